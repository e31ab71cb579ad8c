import Foundation
import SQLKit

/// Every SQL statement of the job machinery: event batches, status transitions, the
/// dispatcher's claim and start-up recovery. One value per node, over the controller's
/// `SQLDatabase` (SQLite or PostgreSQL).
struct JobStore: Sendable {
    let database: Database
    /// This node's name (`execution_node`, `job_events.node`).
    let node: String

    var isPostgres: Bool { database.engine == .postgres }

    /// Runs `body` in one transaction on one connection (SQLite: `BEGIN IMMEDIATE`).
    func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await database.transaction(body)
    }

    /// Runs `body` on one pooled connection.
    func read<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await database.withConnection(body)
    }

    // MARK: - Events

    static let eventColumns = ["unified_job_id", "counter", "event", "event_display", "event_data", "event_level", "failed",
                               "changed", "uuid", "parent_uuid", "host_id", "host_name", "playbook", "play", "task", "role",
                               "stdout", "start_line", "end_line", "verbosity", "created", "node"]

    /// Inserts a batch of events in one transaction (multi-row INSERTs of up to 500 rows).
    func insert(events: [JobEventRow]) async throws {
        guard !events.isEmpty else { return }
        try await transaction { db in
            var start = 0
            while start < events.count {
                let chunk = events[start..<min(start + 500, events.count)]
                var insert = db.insert(into: "job_events").columns(Self.eventColumns)
                for e in chunk {
                    let values: [any Encodable & Sendable] = [
                        e.unifiedJobID, e.counter, e.event, e.eventDisplay, e.eventData, e.eventLevel, e.failed, e.changed,
                        e.uuid, e.parentUUID, e.hostID, e.hostName, e.playbook, e.play, e.task, e.role, e.stdout,
                        e.startLine, e.endLine, e.verbosity, e.created, e.node,
                    ]
                    insert = insert.values(values)
                }
                try await insert.run()
                start += 500
            }
        }
    }

    // MARK: - Status

    /// `waiting` → `running` with `started`; false when the job was canceled meanwhile.
    func markRunning(_ id: Int, started: String) async throws -> Bool {
        let rows = try await read { db in
            try await db.update("unified_jobs")
                .set("status", to: "running").set("started", to: started).set("modified", to: started)
                .where("id", .equal, id).where("status", .equal, "waiting").where("cancel_requested", .equal, false)
                .returning("id").all()
        }
        return !rows.isEmpty
    }

    /// What a finished run leaves behind.
    struct Outcome: Sendable {
        var status: String
        var explanation: String
        var finished: String
        var elapsed: Double
        var summaries: [JobHostSummaryRow] = []
        var changedParents: [String] = []
        var failedParents: [String] = []
        var stdoutLines = 0
    }

    /// Host summaries, AWX's one-level `changed`/`failed` propagation to parent events,
    /// the terminal status and `event_processing_finished`, in one transaction (call after
    /// every event of the job is stored).
    func finish(_ id: Int, _ outcome: Outcome) async throws {
        try await transaction { db in
            if !outcome.summaries.isEmpty {
                var insert = db.insert(into: "job_host_summaries").columns(
                    "unified_job_id", "host_id", "host_name", "created", "modified", "changed", "dark", "failures",
                    "ignored", "ok", "processed", "rescued", "skipped", "failed")
                for s in outcome.summaries {
                    let values: [any Encodable & Sendable] = [
                        s.unifiedJobID, s.hostID, s.hostName, outcome.finished, outcome.finished, s.changed, s.dark,
                        s.failures, s.ignored, s.ok, s.processed, s.rescued, s.skipped, s.failed,
                    ]
                    insert = insert.values(values)
                }
                try await insert.run()
            }
            for (column, uuids) in [("changed", outcome.changedParents), ("failed", outcome.failedParents)] where !uuids.isEmpty {
                try await db.update("job_events").set(column, to: true)
                    .where("unified_job_id", .equal, id).where("uuid", .in, uuids).run()
            }
            try await db.update("unified_jobs")
                .set("status", to: outcome.status)
                .set("failed", to: outcome.status == "failed" || outcome.status == "error")
                .set("job_explanation", to: outcome.explanation)
                .set("finished", to: outcome.finished).set("modified", to: outcome.finished)
                .set("elapsed", to: outcome.elapsed)
                .set("result_stdout_lines", to: outcome.stdoutLines)
                .set("event_processing_finished", to: true)
                // A job the lost-node sweep already ended `error` stays ended.
                .where("id", .equal, id).where("status", .in, ["waiting", "running"]).run()
        }
        try await WorkflowSettlement.settle(afterJobs: [id], database: database)
    }

    /// Ends a job that never ran (setup failure, canceled while waiting).
    func end(_ id: Int, status: String, explanation: String) async throws {
        let now = JobClock.now()
        try await read { db in
            try await db.update("unified_jobs")
            .set("status", to: status).set("failed", to: status == "failed" || status == "error")
            .set("job_explanation", to: explanation).set("finished", to: now).set("modified", to: now)
            .set("event_processing_finished", to: true)
            .where("id", .equal, id).run()
        }
        try await WorkflowSettlement.settle(afterJobs: [id], database: database)
    }

    /// `cancel_requested` of a job.
    func cancelRequested(_ id: Int) async throws -> Bool {
        let row = try await read { db in
            try await db.select().column("cancel_requested").from("unified_jobs").where("id", .equal, id).first()
        }
        return try row?.decode(column: "cancel_requested", as: Bool.self) ?? false
    }
}
