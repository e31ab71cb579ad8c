import Foundation
import SQLKit

/// The workflow job endpoints of sliced launches: list and detail (`workflow_jobs`,
/// `job_templates/N/slice_workflow_jobs`), cancel (which cancels every slice), the nodes
/// (`workflow_jobs/N/workflow_nodes`, `workflow_job_nodes/N`) and delete. Readers settle
/// finished workflow jobs first (`WorkflowSettlement.settleOpen`), so a workflow job
/// whose last slice ended where no hook saw it (a lost node) still shows its end.
struct WorkflowJobsAPI: Sendable {
    let jobs: JobsAPI
    var prefix: String { jobs.prefix }
    var store: JobStore { jobs.store }
    typealias Reply = JobsAPI.Reply

    static let activeStates = ["new", "pending", "waiting", "running"]

    func row(_ id: Int) async throws -> (any SQLRow)? {
        try await store.read { db in
            try await db.select().column("*").from("unified_jobs").where("id", .equal, id).where("kind", .equal, "workflow_job").first()
        }
    }

    func settleOpen() async {
        _ = try? await WorkflowSettlement.settleOpen(database: store.database)
        if let started = try? await WorkflowStarter.startReady(store.database), !started.isEmpty { jobs.dispatcher.launched() }
    }

    func list(parameters: [(String, String)], restriction: (user: Int, templates: [Int])?) async throws -> Reply {
        await settleOpen()
        return try await jobs.list(listing: .workflowJobs, parameters: parameters, restriction: restriction)
    }

    func detail(_ id: Int) async throws -> Reply {
        await settleOpen()
        guard let row = try await row(id) else { return .notFound() }
        return .json(200, try WorkflowJobSerializer(prefix: prefix).workflowJob(row, detail: true))
    }

    func canCancel(_ id: Int) async throws -> Reply {
        guard let row = try await row(id) else { return .notFound() }
        return .json(200, ["can_cancel": Self.activeStates.contains(try row.decode(column: "status", as: String.self))])
    }

    /// AWX's workflow cancel: the cancel flag, then every slice still active is canceled
    /// (on whichever node runs it); the workflow job ends `canceled` when they have ended.
    func cancel(_ id: Int) async throws -> Reply {
        guard let row = try await row(id) else { return .notFound() }
        guard Self.activeStates.contains(try row.decode(column: "status", as: String.self)) else {
            return .json(405, ["error": "Job is not running."])
        }
        let slices = try await store.transaction { db -> [Int] in
            try await db.update("unified_jobs").set("cancel_requested", to: true).set("modified", to: JobClock.now())
                .where("id", .equal, id).run()
            return try await db.select().column("id").from("unified_jobs").where("workflow_job_id", .equal, id)
                .where("status", .in, Self.activeStates).orderBy("id").all().map { try $0.decode(column: "id", as: Int.self) }
        }
        for slice in slices { _ = try await jobs.cancel(slice, kind: .job) }
        _ = try await WorkflowSettlement.settle(id, database: store.database)
        return Reply(status: 202, body: Data())
    }

    /// DELETE: as for jobs, only once it has ended; its slices stay (AWX keeps them too).
    func delete(_ id: Int) async throws -> Reply {
        guard let row = try await row(id) else { return .notFound() }
        if Self.activeStates.contains(try row.decode(column: "status", as: String.self)) {
            return .json(403, ["detail": "Cannot delete running job resource."])
        }
        _ = try await store.transaction { db in
            try await db.update("unified_jobs").set(SQLColumn("workflow_job_id"), to: SQLLiteral.null).where("workflow_job_id", .equal, id).run()
            try await db.delete(from: "workflow_job_nodes").where("workflow_job_id", .equal, id).run()
            try await db.delete(from: "unified_jobs").where("id", .equal, id).run()
        }
        return Reply(status: 204, body: Data())
    }

    func nodes(_ id: Int, parameters: [(String, String)]) async throws -> Reply {
        guard try await row(id) != nil else { return .notFound() }
        var page = 1, pageSize = 25
        for (key, value) in parameters {
            switch key {
            case "page": page = max(Int(value) ?? 1, 1)
            case "page_size": pageSize = min(max(Int(value) ?? 25, 1), 200)
            case "format", "order_by": continue
            default: return .json(400, ["detail": "Cannot resolve keyword '\(key)' into field."])
            }
        }
        let (total, rows) = try await store.read { [page, pageSize] db in
            let total = try await db.raw("SELECT count(*) AS n FROM workflow_job_nodes WHERE workflow_job_id = \(bind: id)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            let rows = try await db.raw("""
                \(unsafeRaw: WorkflowJobSerializer.nodeSelect) WHERE n.workflow_job_id = \(bind: id) ORDER BY n.id
                LIMIT \(literal: pageSize) OFFSET \(literal: (page - 1) * pageSize)
                """).all()
            return (total, rows)
        }
        let serializer = WorkflowJobSerializer(prefix: prefix)
        let results = try rows.map { try serializer.node($0) }
        return .json(200, jobs.pageEnvelope(count: total, page: page, pageSize: pageSize, path: prefix + "workflow_jobs/\(id)/workflow_nodes/",
                                            results: results, parameters: parameters))
    }

    /// The workflow job a node belongs to (for access checks), or nil.
    func nodeWorkflow(_ nodeID: Int) async throws -> Int? {
        try await store.read { db in
            try await db.select().column("workflow_job_id").from("workflow_job_nodes").where("id", .equal, nodeID).first()?
                .decode(column: "workflow_job_id", as: Int.self)
        }
    }

    func node(_ nodeID: Int) async throws -> Reply {
        let row = try await store.read { db in
            try await db.raw("\(unsafeRaw: WorkflowJobSerializer.nodeSelect) WHERE n.id = \(bind: nodeID)").first()
        }
        guard let row else { return .notFound() }
        return .json(200, try WorkflowJobSerializer(prefix: prefix).node(row))
    }
}
