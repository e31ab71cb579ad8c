import AsyncKit
import Foundation
import NIOPosix
import PostgresKit
import SQLKit
import XCTest
@testable import TroupeController

/// A data dir with a fresh database (SQLite, or PostgreSQL from PostgresTestServer) migrated
/// as the controller does it, an ingestor and a dispatcher
/// that runs the real `troupe` binary of the build on a local-connection inventory.
final class JobsHarness: @unchecked Sendable {
    let root: String
    private let closeDatabase: @Sendable () async -> Void
    let store: JobStore
    let ingestor: EventIngestor
    let dispatcher: Dispatcher
    /// Specs by job id, filled by `launch`; the resolver reads them.
    private let specs = SpecTable()

    let database: Database

    init(capacity: Int = 100, node: String = "node1", root existing: String? = nil, engine: TestController.Engine = .sqlite,
         databaseURL existingURL: String? = nil) async throws {
        root = existing ?? NSTemporaryDirectory() + "troupe-jobs-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root + "/project", withIntermediateDirectories: true)
        var url = existingURL
        if url == nil, engine == .postgres { url = try await PostgresTestServer.shared.freshDatabase() }
        databaseURL = url
        let database = try await Database.open(url: url, sqlitePath: root + "/troupe.db")
        self.database = database
        closeDatabase = { await database.shutdown() }
        try await MigrationRunner(database: database).run()
        store = JobStore(database: database, node: node)
        ingestor = EventIngestor(store: store)
        let environment = JobRun.Environment(troupePath: JobsService.siblingTroupe(), jobsDirectory: root + "/jobs", store: store, ingestor: ingestor)
        let specs = self.specs
        let store = self.store
        let project = root + "/project"
        dispatcher = Dispatcher(store: store, runEnvironment: environment, capacity: capacity) { id in
            if let spec = specs.get(id) { return spec }
            // A relaunch: the row's own parameters, the hosts of the first run of its playbook.
            var spec = try await store.baseSpec(id)
            spec.projectPath = spec.kind == .job ? project : nil
            spec.hosts = specs.hosts(forPlaybook: spec.playbook)
            return spec
        }
    }

    /// The PostgreSQL database of this harness (nil on SQLite), for a restarted node.
    let databaseURL: String?

    func close() async {
        await dispatcher.shutdown()
        await closeDatabase()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Writes `project/NAME` and returns a spec running it on `hosts` (local connection).
    func playbook(_ name: String, _ text: String, hosts: [String] = ["localhost"]) throws -> JobSpec {
        try text.write(toFile: root + "/project/" + name, atomically: true, encoding: .utf8)
        var spec = JobSpec(id: 0)
        spec.projectPath = root + "/project"
        spec.playbook = name
        spec.hosts = hosts.enumerated().map { JobSpec.Host(id: $0.offset + 1, name: $0.element,
                                                           variablesJSON: #"{"ansible_connection": "local", "ansible_python_interpreter": "/usr/bin/python3"}"#) }
        specs.remember(spec.hosts)
        return spec
    }

    /// Inserts the job pending, remembers its spec and wakes the dispatcher.
    func launch(_ spec: JobSpec, templateID: Int? = nil, allowSimultaneous: Bool = true) async throws -> Int {
        var job = JobStore.NewJob()
        job.kind = spec.kind.rawValue
        job.playbook = spec.playbook
        job.jobTemplateID = templateID
        job.allowSimultaneous = allowSimultaneous
        job.hostCount = spec.hosts.count
        job.timeout = spec.timeout
        job.limit = spec.limit
        job.moduleName = spec.moduleName
        job.moduleArgs = spec.moduleArgs
        let id = try await store.createPending(job)
        var stored = spec
        stored.id = id
        specs.set(id, stored)
        dispatcher.wake()
        return id
    }

    /// Polls the job row until `status` is terminal and events are processed.
    @discardableResult
    func waitForEnd(_ id: Int, seconds: Double = 60) async throws -> JobRowSnapshot {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let row = try await job(id)
            if ["successful", "failed", "error", "canceled"].contains(row.status), row.eventProcessingFinished { return row }
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTFail("job \(id) did not end within \(seconds) s")
        return try await job(id)
    }

    func waitForStatus(_ id: Int, _ status: String, seconds: Double = 30) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await job(id).status == status { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTFail("job \(id) never reached \(status)")
    }

    struct JobRowSnapshot {
        var status: String
        var failed: Bool
        var explanation: String
        var started: String?
        var finished: String?
        var elapsed: Double
        var eventProcessingFinished: Bool
    }

    func job(_ id: Int) async throws -> JobRowSnapshot {
        let row = try await store.read { db in
            try await db.select().columns("status", "failed", "job_explanation", "started", "finished", "elapsed", "event_processing_finished")
                .from("unified_jobs").where("id", .equal, id).first()
        }
        guard let row else { throw JobRunError.setup("no job \(id)") }
        return JobRowSnapshot(status: try row.decode(column: "status", as: String.self), failed: try row.decode(column: "failed", as: Bool.self),
                              explanation: try row.decode(column: "job_explanation", as: String.self),
                              started: try row.decode(column: "started", as: String?.self),
                              finished: try row.decode(column: "finished", as: String?.self),
                              elapsed: try row.decode(column: "elapsed", as: Double.self),
                              eventProcessingFinished: try row.decode(column: "event_processing_finished", as: Bool.self))
    }

    struct EventSnapshot {
        var counter: Int
        var event: String
        var failed: Bool
        var changed: Bool
        var uuid: String
        var parentUUID: String?
        var hostName: String
        var startLine: Int
        var endLine: Int
        var stdout: String
        var eventLevel: Int
        var eventDisplay: String
        var eventData: String
    }

    func events(_ id: Int) async throws -> [EventSnapshot] {
        let rows = try await store.read { db in
            try await db.select()
                .columns("counter", "event", "failed", "changed", "uuid", "parent_uuid", "host_name", "start_line", "end_line", "stdout",
                         "event_level", "event_display", "event_data")
                .from("job_events").where("unified_job_id", .equal, id).orderBy("counter").all()
        }
        return try rows.map { row in
            EventSnapshot(counter: try row.decode(column: "counter", as: Int.self), event: try row.decode(column: "event", as: String.self),
                          failed: try row.decode(column: "failed", as: Bool.self), changed: try row.decode(column: "changed", as: Bool.self),
                          uuid: try row.decode(column: "uuid", as: String.self),
                          parentUUID: try row.decode(column: "parent_uuid", as: String?.self),
                          hostName: try row.decode(column: "host_name", as: String.self),
                          startLine: try row.decode(column: "start_line", as: Int.self), endLine: try row.decode(column: "end_line", as: Int.self),
                          stdout: try row.decode(column: "stdout", as: String.self),
                          eventLevel: try row.decode(column: "event_level", as: Int.self),
                          eventDisplay: try row.decode(column: "event_display", as: String.self),
                          eventData: try row.decode(column: "event_data", as: String.self))
        }
    }

    func hostSummaries(_ id: Int) async throws -> [(host: String, ok: Int, changed: Int, failures: Int, failed: Bool)] {
        let rows = try await store.read { db in
            try await db.select().columns("host_name", "ok", "changed", "failures", "failed")
                .from("job_host_summaries").where("unified_job_id", .equal, id).orderBy("host_name").all()
        }
        return try rows.map { row in
            (try row.decode(column: "host_name", as: String.self), try row.decode(column: "ok", as: Int.self),
             try row.decode(column: "changed", as: Int.self), try row.decode(column: "failures", as: Int.self),
             try row.decode(column: "failed", as: Bool.self))
        }
    }
}

/// Job specs by id, shared with the dispatcher's resolver.
final class SpecTable: @unchecked Sendable {
    private let lock = NSLock()
    private var specs: [Int: JobSpec] = [:]
    func set(_ id: Int, _ spec: JobSpec) { lock.withLock { specs[id] = spec } }
    func get(_ id: Int) -> JobSpec? { lock.withLock { specs[id] } }
    func hosts(forPlaybook playbook: String) -> [JobSpec.Host] {
        lock.withLock { specs.sorted { $0.key < $1.key }.first { $0.value.playbook == playbook }?.value.hosts ?? lastHosts }
    }
    /// Hosts of the last `playbook(…)` spec, for jobs created through the API.
    private var lastHosts: [JobSpec.Host] = []
    func remember(_ hosts: [JobSpec.Host]) { lock.withLock { lastHosts = hosts } }
}
