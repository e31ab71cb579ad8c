import Foundation
import SQLKit

/// The job endpoints' logic, independent of the HTTP framework: each call takes the path
/// id and the query (or body) and returns an AWX status and body. `JobsRoutes` mounts them.
struct JobsAPI: Sendable {
    let store: JobStore
    let dispatcher: Dispatcher
    var prefix = "/api/v2/"

    struct Reply: Sendable {
        var status: Int
        var body: Data
        var contentType = "application/json"
        var headers: [(String, String)] = []

        static func json(_ status: Int, _ object: Any) -> Reply {
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes, .sortedKeys])) ?? Data("{}".utf8)
            return Reply(status: status, body: data)
        }

        static func notFound() -> Reply { json(404, ["detail": "Not found."]) }
        static func text(_ text: String, contentType: String = "text/plain; charset=utf-8") -> Reply {
            Reply(status: 200, body: Data(text.utf8), contentType: contentType)
        }
    }

    /// The API's name of a kind and its event endpoint.
    enum Kind: String, Sendable {
        case job
        case adHocCommand = "ad_hoc_command"

        var collection: String { self == .job ? "jobs" : "ad_hoc_commands" }
        var eventsPath: String { self == .job ? "job_events" : "events" }
        var eventType: String { self == .job ? "job_event" : "ad_hoc_command_event" }
        var eventCollection: String { self == .job ? "job_events" : "ad_hoc_command_events" }
    }

    // MARK: - Jobs

    func row(_ id: Int, kind: Kind) async throws -> (any SQLRow)? {
        try await store.read { db in
            try await db.select().column("*").from("unified_jobs")
                .where("id", .equal, id).where("kind", .equal, kind.rawValue).first()
        }
    }

    func detail(_ id: Int, kind: Kind) async throws -> Reply {
        guard let row = try await row(id, kind: kind) else { return .notFound() }
        return .json(200, try JobSerializer(prefix: prefix).job(row, kind: kind))
    }

    /// `visibleTo`: nil for users who read everything, else the job templates the user
    /// may read (jobs of other templates, and ad hoc commands not launched by the user, are hidden).
    func list(kind: Kind?, parameters: [(String, String)], restriction: (user: Int, templates: [Int])? = nil) async throws -> Reply {
        try await list(listing: kind.map(Listing.jobs) ?? .unified, parameters: parameters, restriction: restriction)
    }

    /// What a list shows: one kind, every kind (`unified_jobs`, workflow jobs included), or
    /// workflow jobs (`workflow_jobs`, `job_templates/N/slice_workflow_jobs`).
    enum Listing: Sendable {
        case jobs(Kind)
        case unified
        case workflowJobs

        var kinds: [String] {
            switch self {
            case .jobs(let kind): return [kind.rawValue]
            case .unified: return ["job", "ad_hoc_command", "workflow_job"]
            case .workflowJobs: return ["workflow_job"]
            }
        }

        var collection: String {
            switch self {
            case .jobs(let kind): return kind.collection
            case .unified: return "unified_jobs"
            case .workflowJobs: return "workflow_jobs"
            }
        }
    }

    func list(listing: Listing, parameters: [(String, String)], restriction: (user: Int, templates: [Int])? = nil) async throws -> Reply {
        var page = 1, pageSize = 25
        var filters: [@Sendable (SQLSelectBuilder) -> Void] = []
        var order: [(String, Bool)] = []
        for (key, value) in parameters {
            switch key {
            case "page": page = max(Int(value) ?? 1, 1)
            case "page_size": pageSize = min(max(Int(value) ?? 25, 1), 200)
            case "order_by":
                for item in value.split(separator: ",") {
                    let desc = item.hasPrefix("-")
                    let name = String(desc ? item.dropFirst() : item)
                    guard ["id", "created", "started", "finished", "status", "name", "elapsed"].contains(name) else {
                        return .json(400, ["detail": "Cannot resolve keyword '\(name)' into field."])
                    }
                    order.append((name, desc))
                }
            case "status", "launch_type", "name", "playbook", "execution_node", "job_type", "module_name":
                filters.append { $0.where(SQLColumn(key), .equal, SQLBind(value)) }
            case "status__in":
                let values = value.split(separator: ",").map { SQLBind(String($0)) }
                filters.append { $0.where(SQLColumn("status"), .in, SQLGroupExpression(values)) }
            case "failed", "is_sliced_job":
                let flag = ["true", "1", "True"].contains(value)
                filters.append { $0.where(SQLColumn(key), .equal, SQLBind(flag)) }
            case "job_template", "inventory", "project", "id", "unified_job_template", "workflow_job", "unified_job_node__workflow_job",
                 "job_slice_number", "job_slice_count":
                guard let n = Int(value) else { return .json(400, ["detail": "Invalid value \(value)"]) }
                // `unified_job_node__workflow_job`: the jobs a workflow job spawned (awxkit's workflow monitor).
                let column = key == "id" ? "id" : key == "unified_job_template" ? "job_template_id"
                    : key == "unified_job_node__workflow_job" ? "workflow_job_id" : key.hasPrefix("job_slice") ? key : key + "_id"
                filters.append { $0.where(SQLColumn(column), .equal, SQLBind(n)) }
            case "format", "search", "page__gt", "not__launch_type": continue
            default:
                return .json(400, ["detail": "Cannot resolve keyword '\(key)' into field."])
            }
        }
        if let restriction {
            let user = restriction.user
            let templates = restriction.templates
            filters.append { query in
                query.where { group in
                    group.where("launched_by", .equal, user)
                    if !templates.isEmpty { group.orWhere("job_template_id", .in, templates) }
                    return group
                }
            }
        }
        let sorting = order.isEmpty ? [("id", false)] : order
        let kinds = listing.kinds
        let (total, rows) = try await store.read { [filters, page, pageSize] db in
            let filtered = { () -> SQLSelectBuilder in
                let query = db.select().column("*").from("unified_jobs")
                query.where("kind", .in, kinds)
                for filter in filters { filter(query) }
                return query
            }
            let total = try await Self.count(db, filtered())
            let query = filtered()
            for (column, desc) in sorting { query.orderBy(column, desc ? .descending : .ascending) }
            return (total, try await query.limit(pageSize).offset((page - 1) * pageSize).all())
        }
        let serializer = JobSerializer(prefix: prefix)
        let results = try rows.map { row -> [String: Any] in
            let kindName = try row.decode(column: "kind", as: String.self)
            if kindName == "workflow_job" { return try WorkflowJobSerializer(prefix: prefix).workflowJob(row, detail: false) }
            return try serializer.job(row, kind: Kind(rawValue: kindName) ?? .job)
        }
        let path = prefix + listing.collection + "/"
        return .json(200, pageEnvelope(count: total, page: page, pageSize: pageSize, path: path, results: results, parameters: parameters))
    }

    /// DELETE: a job that has not finished cannot be deleted (403 as AWX).
    func delete(_ id: Int, kind: Kind) async throws -> Reply {
        guard let row = try await row(id, kind: kind) else { return .notFound() }
        let status = try row.decode(column: "status", as: String.self)
        if ["new", "pending", "waiting", "running"].contains(status) {
            return .json(403, ["detail": "Cannot delete running job resource."])
        }
        _ = try await store.transaction { db in
            try await db.delete(from: "job_events").where("unified_job_id", .equal, id).run()
            try await db.delete(from: "job_host_summaries").where("unified_job_id", .equal, id).run()
            try await db.delete(from: "unified_jobs").where("id", .equal, id).run()
        }
        return Reply(status: 204, body: Data())
    }

    // MARK: - Cancel

    func canCancel(_ id: Int, kind: Kind) async throws -> Reply {
        guard let row = try await row(id, kind: kind) else { return .notFound() }
        let status = try row.decode(column: "status", as: String.self)
        return .json(200, ["can_cancel": ["new", "pending", "waiting", "running"].contains(status)])
    }

    func cancel(_ id: Int, kind: Kind) async throws -> Reply {
        guard try await row(id, kind: kind) != nil else { return .notFound() }
        switch try await store.requestCancel(id) {
        case .notFound: return .notFound()
        case .notCancelable: return .json(405, ["error": "Job is not running."])
        case .canceledBeforeStart: return Reply(status: 202, body: Data())
        case .requested(let node):
            if node == store.node || node.isEmpty { await dispatcher.cancel(id) } else { dispatcher.announceCancel(id) }
            dispatcher.wake()  // ours checks `cancel_requested` now (a job claimed meanwhile)
            return Reply(status: 202, body: Data())
        }
    }

    // MARK: - Events

    func events(_ id: Int, kind: Kind, parameters: [(String, String)]) async throws -> Reply {
        guard try await row(id, kind: kind) != nil else { return .notFound() }
        let query: JobEventQuery
        do {
            query = try JobEventQuery(parameters)
        } catch JobEventQuery.QueryError.invalidField(let name) {
            return .json(400, ["detail": "\(name) is not an allowed field name. Must be ascii encodable."])
        } catch JobEventQuery.QueryError.invalidValue(let text) {
            return .json(400, ["detail": text])
        }
        let total: Int
        let rows: [any SQLRow]
        do {
            (total, rows) = try await store.read { db in
                let total = try await Self.count(db, try query.apply(to: db.select().column("id").from("job_events").where("unified_job_id", .equal, id)))
                let filtered = try query.apply(to: db.select().column("*").from("job_events").where("unified_job_id", .equal, id))
                for order in query.orderBy { filtered.orderBy(order.column, order.descending ? .descending : .ascending) }
                if !query.orderBy.contains(where: { $0.column == "counter" }) { filtered.orderBy("counter") }
                return (total, try await filtered.limit(query.pageSize).offset((query.page - 1) * query.pageSize).all())
            }
        } catch JobEventQuery.QueryError.invalidValue(let text) {
            return .json(400, ["detail": text])
        }
        let serializer = JobSerializer(prefix: prefix)
        let results = try rows.map { try serializer.event($0, kind: kind, truncate: !query.noTruncate) }
        let path = prefix + kind.collection + "/\(id)/" + kind.eventsPath + "/"
        return .json(200, pageEnvelope(count: total, page: query.page, pageSize: query.pageSize, path: path, results: results,
                                       parameters: parameters))
    }

    func childrenSummary(_ id: Int) async throws -> Reply {
        guard let job = try await row(id, kind: .job) else { return .notFound() }
        var body: [String: Any] = ["children_summary": [String: Any](), "meta_event_nested_uuid": [String: Any](),
                                   "event_processing_finished": false, "is_tree": true]
        guard try job.decode(column: "event_processing_finished", as: Bool.self) else { return .json(200, body) }
        body["event_processing_finished"] = true
        let rows = try await store.read { db in
            try await db.select().columns("counter", "uuid", "parent_uuid", "event").from("job_events")
                .where("unified_job_id", .equal, id).orderBy("counter").all()
        }
        let events = try rows.map {
            ChildrenSummary.Event(counter: try $0.decode(column: "counter", as: Int.self), uuid: try $0.decode(column: "uuid", as: String.self),
                                  parentUUID: try $0.decode(column: "parent_uuid", as: String?.self), event: try $0.decode(column: "event", as: String.self))
        }
        let summary = ChildrenSummary.compute(events)
        body["is_tree"] = summary.isTree
        var children: [String: Any] = [:]
        for (counter, tally) in summary.children { children[String(counter)] = ["rowNumber": tally.rowNumber, "numChildren": tally.numChildren] }
        body["children_summary"] = children
        body["meta_event_nested_uuid"] = Dictionary(uniqueKeysWithValues: summary.metaEventNestedUUID.map { (String($0.key), $0.value) })
        return .json(200, body)
    }

    func hostSummaries(_ id: Int, parameters: [(String, String)]) async throws -> Reply {
        guard try await row(id, kind: .job) != nil else { return .notFound() }
        var filters: [@Sendable (SQLSelectBuilder) -> Void] = []
        var page = 1, pageSize = 25
        for (key, value) in parameters {
            switch key {
            case "page": page = max(Int(value) ?? 1, 1)
            case "page_size": pageSize = min(max(Int(value) ?? 25, 1), 200)
            case "failed":
                let failed = ["true", "1", "True"].contains(value)
                filters.append { $0.where("failed", .equal, failed) }
            case "host_name": filters.append { $0.where("host_name", .equal, value) }
            case "order_by", "format": continue
            default: return .json(400, ["detail": "Cannot resolve keyword '\(key)' into field."])
            }
        }
        let (total, rows) = try await store.read { [filters, page, pageSize] db in
            let filtered = { () -> SQLSelectBuilder in
                let query = db.select().column("*").from("job_host_summaries").where("unified_job_id", .equal, id)
                for filter in filters { filter(query) }
                return query
            }
            let total = try await Self.count(db, filtered())
            return (total, try await filtered().orderBy("host_name").limit(pageSize).offset((page - 1) * pageSize).all())
        }
        let serializer = JobSerializer(prefix: prefix)
        let results = try rows.map { try serializer.hostSummary($0) }
        return .json(200, pageEnvelope(count: total, page: page, pageSize: pageSize, path: prefix + "jobs/\(id)/job_host_summaries/", results: results,
                                       parameters: parameters))
    }

    // MARK: - Stdout

    func stdout(_ id: Int, kind: Kind, parameters: [(String, String)], accept: String? = nil) async throws -> Reply {
        guard try await row(id, kind: kind) != nil else { return .notFound() }
        let params = Dictionary(parameters, uniquingKeysWith: { _, last in last })
        let formatName = params["format"] ?? (accept?.contains("text/plain") == true ? "txt" : accept?.contains("text/html") == true ? "html" : "json")
        guard let format = JobStdout.Format(rawValue: formatName == "api" ? "html" : formatName) else {
            return .json(404, ["detail": "Not found."])
        }
        let rows = try await store.read { db in
            try await db.select().column("stdout").from("job_events")
                .where("unified_job_id", .equal, id).where("stdout", .notEqual, "").orderBy("start_line").orderBy("counter").all()
        }
        let raw = JobStdout.raw(try rows.map { try $0.decode(column: "stdout", as: String.self) })
        let fileName = "\(kind.rawValue)_\(id)"
        switch format {
        case .ansi: return .text(raw)
        case .txt: return .text(JobStdout.plain(raw))
        case .txtDownload, .ansiDownload:
            var reply = Reply.text(format == .txtDownload ? JobStdout.plain(raw) : raw)
            reply.headers = [("Content-Disposition", "attachment; filename=\"\(fileName)\(format == .ansiDownload ? ".ansi" : "").txt\"")]
            return reply
        case .json, .html:
            let start = Int(params["start_line"] ?? "0") ?? 0
            let end = params["end_line"].flatMap { Int($0) }
            let limited = JobStdout.limited(raw, start: start, end: end)
            if format == .html {
                let page = JobStdout.htmlPage(title: kind == .job ? "Job Stdout" : "Ad Hoc Command Stdout", body: JobStdout.html(limited.content))
                return .text(page, contentType: "text/html; charset=utf-8")
            }
            var content = limited.content
            if params["content_encoding"] == "base64" { content = Data(content.utf8).base64EncodedString() }
            return .json(200, ["range": ["start": limited.start, "end": limited.end, "absolute_end": limited.absoluteEnd], "content": content])
        }
    }

    // MARK: - Helpers

    /// `SELECT count(*) FROM (query)`: the filtered row count for the page envelope.
    static func count(_ db: any SQLDatabase, _ query: SQLSelectBuilder) async throws -> Int {
        let row = try await db.select()
            .column(SQLFunction("count", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLGroupExpression(query.select), as: SQLIdentifier("filtered")))
            .first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// AWX's page envelope. `next`/`previous` are relative links on the same path that keep
    /// the request's other parameters (awxkit's `list --all` follows `next` as given).
    func pageEnvelope(count: Int, page: Int, pageSize: Int, path: String, results: [Any],
                      parameters: [(String, String)] = []) -> [String: Any] {
        func link(_ target: Int) -> String {
            var items = parameters.filter { $0.0 != "page" && $0.0 != "page_size" }
            items.append(("page", String(target)))
            if pageSize != 25 { items.append(("page_size", String(pageSize))) }
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
            return path + "?" + items.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
        }
        let next = orNull(page * pageSize < count ? link(page + 1) : nil)
        let previous = orNull(page > 1 ? link(page - 1) : nil)
        return ["count": count, "next": next, "previous": previous, "results": results]
    }
}
