import Foundation
import Logging
import SQLKit

/// This node's row in `instances`, kept alive: registration at start, a heartbeat every
/// `heartbeatInterval` (with the capacity it uses), and the lost-node sweep. Any node may
/// find a node whose heartbeat is older than `lostAfter`: it marks it `unavailable` and
/// ends its jobs `error`, in one transaction under an advisory lock, so two nodes never
/// both do it. A node marked lost that is still alive re-registers on its next heartbeat.
actor InstanceRegistry {
    struct Settings: Sendable {
        var node: String
        var nodeType: ControllerConfiguration.NodeType
        var capacity: Int
        var heartbeatInterval: Duration
        var lostAfter: Duration
    }

    /// What a node uses now (from its dispatcher).
    typealias Usage = @Sendable () async -> (consumedCapacity: Int, jobsRunning: Int)
    /// Jobs the sweep ended, for status subscribers: (job id, kind).
    typealias LostJobs = @Sendable ([(Int, String)]) async -> Void
    /// This node was declared lost while alive and has registered again.
    typealias Reinstated = @Sendable () async -> Void

    enum RegistrationError: Error, CustomStringConvertible {
        case secondNodeOnSQLite(other: String, lastSeen: String, lostAfter: Int)

        var description: String {
            switch self {
            case .secondNodeOnSQLite(let other, let lastSeen, let lostAfter):
                return "this SQLite database is served by node '\(other)' (last heartbeat \(lastSeen)); SQLite serves one node. "
                    + "Stop that node, or give every node the same PostgreSQL database with --database postgres://… "
                    + "(a stopped node's claim lapses \(lostAfter) s after its last heartbeat)"
            }
        }
    }

    static let sweepLockKey = 1_415_926_536

    let settings: Settings
    private let database: Database
    private let usage: Usage
    private let lostJobs: LostJobs
    private let reinstated: Reinstated
    private let logger: Logger
    private var heartbeat: Task<Void, Never>?
    private(set) var instanceID: Int?

    init(database: Database, settings: Settings, logger: Logger, usage: @escaping Usage, lostJobs: @escaping LostJobs,
         reinstated: @escaping Reinstated = {}) {
        self.database = database
        self.settings = settings
        self.usage = usage
        self.lostJobs = lostJobs
        self.reinstated = reinstated
        self.logger = logger
    }

    /// Writes this node's row (new, or back from `unavailable`) and its default-group
    /// membership. On SQLite, refuses to start beside another live node.
    func register() async throws {
        let settings = self.settings
        let cutoff = Self.cutoff(settings.lostAfter)
        let sqlite = database.engine == .sqlite
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        let memory = Int(ProcessInfo.processInfo.physicalMemory)
        instanceID = try await database.transaction { db in
            if sqlite {
                let others = try await db.raw("""
                    SELECT hostname, last_seen FROM instances WHERE hostname <> \(bind: settings.node)
                    AND node_state <> 'unavailable' AND last_seen > \(bind: cutoff) ORDER BY last_seen DESC
                    """).all()
                if let other = others.first {
                    throw RegistrationError.secondNodeOnSQLite(
                        other: try other.decode(column: "hostname", as: String.self),
                        lastSeen: try other.decode(column: "last_seen", as: String?.self) ?? "",
                        lostAfter: Int(settings.lostAfter.components.seconds))
                }
            }
            let now = Timestamp.now()
            let id: Int
            if let row = try await db.raw("SELECT id FROM instances WHERE hostname = \(bind: settings.node)").first() {
                id = try row.decode(column: "id", as: Int.self)
                try await db.raw("""
                    UPDATE instances SET node_type = \(bind: settings.nodeType.rawValue), node_state = 'ready', errors = '',
                    capacity = \(bind: settings.capacity), consumed_capacity = 0, jobs_running = 0, cpu = \(bind: cpus),
                    memory = \(bind: memory), cpu_capacity = \(bind: cpus * 4), mem_capacity = \(bind: Self.memoryCapacity(memory)),
                    version = \(bind: ControllerVersion.apiVersion), last_seen = \(bind: now), last_health_check = \(bind: now),
                    modified = \(bind: now) WHERE id = \(bind: id)
                    """).run()
            } else {
                let inserted = try await db.raw("""
                    INSERT INTO instances (hostname, uuid, node_type, node_state, capacity, cpu, memory, cpu_capacity, mem_capacity,
                    version, last_seen, last_health_check, created, modified)
                    VALUES (\(bind: settings.node), \(bind: UUID().uuidString.lowercased()), \(bind: settings.nodeType.rawValue), 'ready',
                    \(bind: settings.capacity), \(bind: cpus), \(bind: memory), \(bind: cpus * 4), \(bind: Self.memoryCapacity(memory)),
                    \(bind: ControllerVersion.apiVersion), \(bind: now), \(bind: now), \(bind: now), \(bind: now)) RETURNING id
                    """).all()
                id = try inserted[0].decode(column: "id", as: Int.self)
            }
            // Every node is in the `default` group (AWX's policy: 100 % of instances).
            if settings.nodeType.runsJobs {
                try await db.raw("""
                    INSERT INTO instance_group_instances (instance_group_id, instance_id)
                    SELECT id, \(bind: id) FROM instance_groups WHERE name = 'default'
                    ON CONFLICT DO NOTHING
                    """).run()
            } else {
                try await db.raw("DELETE FROM instance_group_instances WHERE instance_id = \(bind: id)").run()
            }
            return id
        }
    }

    /// Starts the heartbeat (and with it the lost-node sweep).
    func start() {
        let interval = settings.heartbeatInterval
        heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { return }
                await self.beat()
            }
        }
    }

    /// Stops the heartbeat and waits for a beat in flight, so no query outlives the pool.
    func stop() async {
        heartbeat?.cancel()
        await heartbeat?.value
        heartbeat = nil
    }

    /// One heartbeat: this node's figures, then the sweep for lost nodes.
    func beat() async {
        let (consumed, running) = await usage()
        let node = settings.node
        do {
            let now = Timestamp.now()
            let rows = try await database.withConnection { db in
                try await db.raw("""
                    UPDATE instances SET last_seen = \(bind: now), consumed_capacity = \(bind: consumed), jobs_running = \(bind: running)
                    WHERE hostname = \(bind: node) RETURNING node_state
                    """).all()
            }
            let state = try rows.first?.decode(column: "node_state", as: String.self)
            if state != "ready" {
                // Declared lost while alive (a stall longer than the threshold), or the row
                // was deleted: come back. Jobs already ended `error` stay ended.
                logger.warning("node \(node) was marked \(state ?? "missing"); registering again")
                try await register()
                await reinstated()
            }
            try await sweepLostNodes()
        } catch {
            if !(error is CancellationError) { logger.warning("heartbeat of node \(node) failed: \(String(describing: error))") }
        }
    }

    /// Marks every other node whose heartbeat is older than `lostAfter` as `unavailable`
    /// and ends its `waiting`/`running` jobs `error`, naming it. Returns the ended jobs.
    @discardableResult
    func sweepLostNodes() async throws -> [(Int, String)] {
        let settings = self.settings
        let cutoff = Self.cutoff(settings.lostAfter)
        let postgres = database.engine == .postgres
        let ended: [(Int, String)] = try await database.transaction { db in
            if postgres { try await db.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(Self.sweepLockKey)))").run() }
            let lost = try await db.raw("""
                SELECT hostname, last_seen FROM instances WHERE node_state <> 'unavailable' AND hostname <> \(bind: settings.node)
                AND (last_seen IS NULL OR last_seen < \(bind: cutoff))
                """).all()
            guard !lost.isEmpty else { return [] }
            let now = Timestamp.now()
            var ended: [(Int, String)] = []
            for row in lost {
                let hostname = try row.decode(column: "hostname", as: String.self)
                let lastSeen = try row.decode(column: "last_seen", as: String?.self) ?? "never"
                try await db.raw("""
                    UPDATE instances SET node_state = 'unavailable', capacity = 0, consumed_capacity = 0, jobs_running = 0,
                    errors = \(bind: "Node lost: no heartbeat since \(lastSeen)"), modified = \(bind: now) WHERE hostname = \(bind: hostname)
                    """).run()
                let jobs = try await db.raw("""
                    UPDATE unified_jobs SET status = 'error', failed = TRUE,
                    job_explanation = \(bind: "Job terminated because the controller node \(hostname) was lost (no heartbeat since \(lastSeen))"),
                    finished = \(bind: now), modified = \(bind: now), event_processing_finished = TRUE
                    WHERE execution_node = \(bind: hostname) AND status IN ('waiting', 'running') RETURNING id, kind
                    """).all()
                for job in jobs {
                    ended.append((try job.decode(column: "id", as: Int.self), try job.decode(column: "kind", as: String.self)))
                }
            }
            return ended
        }
        if !ended.isEmpty {
            logger.warning("jobs \(ended.map(\.0)) ended as error: their node was lost")
            await lostJobs(ended)
        }
        return ended
    }

    /// The heartbeat time before which a node counts as lost.
    static func cutoff(_ age: Duration) -> String {
        let seconds = Double(age.components.seconds) + Double(age.components.attoseconds) / 1e18
        return Timestamp.format(Date().addingTimeInterval(-seconds))
    }

    /// AWX's memory capacity: one fork per 100 MB above 2 GB.
    static func memoryCapacity(_ bytes: Int) -> Int { max((bytes / 1_048_576 - 2048) / 100, 0) }
}
