import Foundation
import Logging
import SQLKit

/// The job machinery of one node, assembled: store, ingestor, dispatcher and API. The
/// controller builds one in `Controller.prepare`, starts it (recovery, then dispatching)
/// and mounts its routes (`Routes+Jobs.swift`).
struct JobsService: Sendable {
    let store: JobStore
    let ingestor: EventIngestor
    let dispatcher: Dispatcher
    let api: JobsAPI
    let scheduler: Scheduler
    let notifier: JobNotifier
    /// This node's `instances` row, heartbeat and lost-node sweep.
    let registry: InstanceRegistry
    /// LISTEN/NOTIFY between nodes (no-op on SQLite).
    let bus: ClusterBus
    private let listener = ListenerTask()

    /// `dataDirectory/jobs` holds the private data dirs; `troupePath` is the engine binary
    /// (next to troupe-server by default, or `TROUPE_BINARY`).
    init(database: Database, secrets: SecretBox, node: String, dataDirectory: URL, projectsDirectory: URL,
         troupePath: String = JobsService.siblingTroupe(), capacity: Int? = nil, nodeType: ControllerConfiguration.NodeType = .hybrid,
         heartbeatInterval: Duration = .seconds(10), nodeLostAfter: Duration = .seconds(60),
         logger: Logger = Logger(label: "troupe.jobs")) {
        let store = JobStore(database: database, node: node)
        self.store = store
        let bus = ClusterBus(database: database, node: node, logger: logger)
        self.bus = bus
        let ingestor = EventIngestor(store: store, bus: bus, logger: logger)
        self.ingestor = ingestor
        let environment = JobRun.Environment(troupePath: troupePath, jobsDirectory: dataDirectory.appendingPathComponent("jobs").path,
                                             store: store, ingestor: ingestor, logger: logger)
        let resolver = JobSpecResolver(store: store, secrets: secrets, projectsDirectory: projectsDirectory)
        let dispatcher = Dispatcher(store: store, runEnvironment: environment, capacity: nodeType.runsJobs ? capacity : 0,
                                    runsJobs: nodeType.runsJobs, bus: bus, logger: logger) { id in
            try await resolver.spec(id)
        }
        self.dispatcher = dispatcher
        registry = InstanceRegistry(
            database: database,
            settings: .init(node: node, nodeType: nodeType, capacity: dispatcher.capacity, heartbeatInterval: heartbeatInterval,
                            lostAfter: nodeLostAfter),
            logger: logger,
            usage: { (await dispatcher.usedCapacity, await dispatcher.runningCount) },
            lostJobs: { jobs in
                for (id, kind) in jobs { await ingestor.publishFinished(id, status: "error", kind: kind) }
                // A lost slice can end its workflow job.
                _ = try? await WorkflowSettlement.settle(afterJobs: jobs.map(\.0), database: database)
                dispatcher.launched()  // capacity came back, and blocked workflow jobs may start
            },
            reinstated: {
                // Declared lost during a stall: the jobs it ran were ended `error` elsewhere.
                let stopped = await dispatcher.stopRunsEndedElsewhere()
                if !stopped.isEmpty { logger.warning("stopped jobs \(stopped): another node ended them while this node was lost") }
            })
        api = JobsAPI(store: store, dispatcher: dispatcher)
        notifier = JobNotifier(store: store, ingestor: ingestor, secrets: secrets, logger: logger)
        scheduler = Scheduler(store: store, logger: logger) { templateID, extraData, _ in
            try await JobsService.launchScheduled(store: store, dispatcher: dispatcher, templateID: templateID, extraData: extraData)
        }
    }

    /// A due schedule's launch: the template's launch rules with `extra_data` as the
    /// launch's extra_vars (taken only where the template prompts for them, as in AWX).
    static func launchScheduled(store: JobStore, dispatcher: Dispatcher, templateID: Int, extraData: String) async throws {
        guard let template = try await JobLaunch.loadTemplate(store.database, templateID) else { return }
        var body: [String: Any] = [:]
        if let vars = LaunchPlan.parseVars(extraData), !vars.isEmpty { body["extra_vars"] = vars }
        switch LaunchPlan.make(template, body: body) {
        case .success(var plan):
            plan.job.launchType = "scheduled"
            let slices = try await SlicedLaunch.effectiveSliceCount(plan.jobSliceCount, database: store.database, inventoryID: plan.job.inventoryID)
            if slices > 1 {
                _ = try await SlicedLaunch.create(store.database, template: plan.job, count: slices)
            } else {
                _ = try await store.createPending(plan.job)
            }
            dispatcher.launched()
        case .failure(let error):
            throw JobRunError.setup("the schedule cannot launch template \(templateID): \(LaunchPlan.jsonText(error.body))")
        }
    }

    /// Registers this node (refused on SQLite beside another live node), ends jobs a
    /// previous process of it left running, then dispatches pending ones and listens to
    /// the other nodes.
    func start() async throws {
        try await registry.register()
        await notifier.start()
        try await dispatcher.start()
        await scheduler.start()
        await registry.start()
        guard bus.isActive else { return }
        let dispatcher = self.dispatcher
        let ingestor = self.ingestor
        let task = bus.listen(handler: { channel, body in
            switch channel {
            case .dispatch:
                dispatcher.wake()
            case .cancel:
                if let id = Int(body) { await dispatcher.cancel(id) }
            case .events:
                await ingestor.relay(ClusterBus.decodeEvents(body))
            }
        }, connected: {
            // Whatever was launched or canceled while not listening is in the database.
            dispatcher.wake()
        })
        await listener.set(task)
    }

    func shutdown() async {
        await listener.cancel()
        await registry.stop()
        await scheduler.stop()
        await notifier.stop()
        await dispatcher.shutdown()
    }

    /// `TROUPE_BINARY`, else `troupe` next to the running executable (troupe-server, or the
    /// test bundle in `.build/debug`), else on PATH.
    static func siblingTroupe() -> String {
        if let override = ProcessInfo.processInfo.environment["TROUPE_BINARY"], !override.isEmpty { return override }
        let me = URL(fileURLWithPath: CommandLine.arguments.first ?? "troupe-server").resolvingSymlinksInPath()
        var directory = me.deletingLastPathComponent()
        // An .xctest bundle on Linux is a file in .build/debug; on macOS a directory tree.
        for _ in 0..<4 {
            let sibling = directory.appendingPathComponent("troupe").path
            if FileManager.default.isExecutableFile(atPath: sibling) { return sibling }
            directory = directory.deletingLastPathComponent()
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = String(dir) + "/troupe"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return me.deletingLastPathComponent().appendingPathComponent("troupe").path
    }
}

/// The LISTEN task of a running node (set at start, cancelled at shutdown).
actor ListenerTask {
    private var task: Task<Void, Never>?
    func set(_ task: Task<Void, Never>) { self.task = task }
    func cancel() {
        task?.cancel()
        task = nil
    }
}

/// Builds a claimed job's `JobSpec` from the database: the job row, its inventory's hosts
/// and groups, the project directory and the decrypted Machine/Vault credentials.
struct JobSpecResolver: Sendable {
    let store: JobStore
    let secrets: SecretBox
    let projectsDirectory: URL

    func spec(_ id: Int) async throws -> JobSpec {
        var spec = try await store.baseSpec(id)
        let projectsRoot = projectsDirectory.path
        let secrets = self.secrets
        let credentialIDs = spec.credentialIDs
        let ids = try await store.read { db -> ResolvedParts in
            var parts = ResolvedParts()
            guard let job = try await db.select().columns("inventory_id", "project_id").from("unified_jobs").where("id", .equal, id).first() else {
                throw JobRunError.setup("job \(id) does not exist")
            }
            if let projectID = try job.decode(column: "project_id", as: Int?.self),
               let project = try await db.select().column("local_path").from("projects").where("id", .equal, projectID).first() {
                let local = try project.decode(column: "local_path", as: String.self)
                parts.projectPath = local.hasPrefix("/") ? local : projectsRoot + "/" + local
            }
            guard let inventoryID = try job.decode(column: "inventory_id", as: Int?.self) else { return parts }
            if let inventory = try await db.select().column("variables").from("inventories").where("id", .equal, inventoryID).first() {
                parts.inventoryVariables = try inventory.decode(column: "variables", as: String.self)
            }
            for row in try await db.select().columns("id", "name", "variables").from("hosts")
                .where("inventory_id", .equal, inventoryID).where("enabled", .equal, true).orderBy("id").all() {
                parts.hosts.append(JobSpec.Host(id: try row.decode(column: "id", as: Int.self), name: try row.decode(column: "name", as: String.self),
                                                variablesJSON: try row.decode(column: "variables", as: String.self)))
            }
            // A slice runs only its hosts: AWX's `get_sliced_hosts` over the enabled hosts
            // in name order (host i, 0-based, belongs to slice i mod count + 1).
            if let slice = try await db.select().columns("job_slice_number", "job_slice_count").from("unified_jobs").where("id", .equal, id).first() {
                let number = try slice.decode(column: "job_slice_number", as: Int.self)
                let count = try slice.decode(column: "job_slice_count", as: Int.self)
                if count > 1, number > 0 {
                    let ordered = parts.hosts.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
                    parts.hosts = SlicedLaunch.sliceIndices(ordered.count, number: number, count: count).map { ordered[$0] }
                }
            }
            var groups: [Int: JobSpec.Group] = [:]
            for row in try await db.select().columns("id", "name", "variables").from("groups").where("inventory_id", .equal, inventoryID).all() {
                groups[try row.decode(column: "id", as: Int.self)] = JobSpec.Group(
                    name: try row.decode(column: "name", as: String.self), variablesJSON: try row.decode(column: "variables", as: String.self))
            }
            if !groups.isEmpty {
                let hostNames = Dictionary(uniqueKeysWithValues: parts.hosts.compactMap { host in host.id.map { ($0, host.name) } })
                for row in try await db.select().columns("group_id", "host_id").from("group_hosts").where("group_id", .in, Array(groups.keys)).all() {
                    let group = try row.decode(column: "group_id", as: Int.self)
                    if let name = hostNames[try row.decode(column: "host_id", as: Int.self)] { groups[group]?.hosts.append(name) }
                }
                for row in try await db.select().columns("parent_id", "child_id").from("group_children").where("parent_id", .in, Array(groups.keys)).all() {
                    let parent = try row.decode(column: "parent_id", as: Int.self)
                    if let child = groups[try row.decode(column: "child_id", as: Int.self)]?.name { groups[parent]?.children.append(child) }
                }
            }
            parts.groups = groups.keys.sorted().compactMap { groups[$0] }
            for credentialID in credentialIDs {
                guard let row = try await db.raw("""
                    SELECT c.inputs AS inputs, t.kind AS kind, t.name AS type_name FROM credentials c
                    JOIN credential_types t ON t.id = c.credential_type_id WHERE c.id = \(bind: credentialID)
                    """).first() else { continue }
                parts.credentials.append((try row.decode(column: "type_name", as: String.self), try row.decode(column: "inputs", as: String.self)))
            }
            return parts
        }
        if !spec.encryptedExtraVars.isEmpty {
            guard let clear = secrets.decrypt(spec.encryptedExtraVars) else {
                throw JobRunError.setup("the job's encrypted extra vars cannot be decrypted with this node's secret key")
            }
            spec.extraVarsJSON = clear
        }
        spec.projectPath = spec.kind == .job ? ids.projectPath : nil
        spec.inventoryVariablesJSON = Self.variablesJSON(ids.inventoryVariables)
        spec.hosts = ids.hosts.map { var host = $0; host.variablesJSON = Self.variablesJSON(host.variablesJSON); return host }
        spec.groups = ids.groups.map { var group = $0; group.variablesJSON = Self.variablesJSON(group.variablesJSON); return group }
        for (typeName, inputsText) in ids.credentials {
            let inputs = Self.decrypted(inputsText, secrets: secrets)
            switch typeName {
            case "Machine":
                spec.machine = JobSpec.Machine(
                    username: inputs["username"], password: inputs["password"], sshKeyData: inputs["ssh_key_data"],
                    sshKeyUnlock: inputs["ssh_key_unlock"], becomeMethod: inputs["become_method"],
                    becomeUsername: inputs["become_username"], becomePassword: inputs["become_password"])
            case "Vault":
                spec.vaultPassword = inputs["vault_password"]
            default:
                continue
            }
        }
        return spec
    }

    struct ResolvedParts: Sendable {
        var projectPath: String?
        var inventoryVariables = ""
        var hosts: [JobSpec.Host] = []
        var groups: [JobSpec.Group] = []
        /// (credential type name, stored inputs JSON).
        var credentials: [(String, String)] = []
    }

    /// Credential inputs with secret fields decrypted (string values only).
    static func decrypted(_ text: String, secrets: SecretBox) -> [String: String] {
        guard let object = (try? JSONParser.parse(text))?.objectValue else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in object.pairs {
            guard let stored = value.stringValue else { continue }
            result[key] = stored.hasPrefix(SecretBox.storedPrefix) ? secrets.decrypt(stored) : stored
        }
        return result
    }

    /// Host, group and inventory `variables` are JSON or YAML text; the data dir wants JSON.
    static func variablesJSON(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed == "---" { return "{}" }
        if let json = try? JSONParser.parse(trimmed), json.objectValue != nil { return json.serialized() }
        if let yaml = YAMLBridge.object(trimmed) { return JSON.object(yaml).serialized() }
        return "{}"
    }
}
