import Foundation
import TroupeClient

/// The fake controller's data and request handling (one actor owns all of it).
actor FakeState {
    typealias Object = [String: JSONValue]

    static let collections = ["organizations", "inventories", "hosts", "groups", "credentials", "projects",
                              "job_templates", "jobs", "ad_hoc_commands"]
    static let typeNames = ["organizations": "organization", "inventories": "inventory", "hosts": "host",
                            "groups": "group", "credentials": "credential", "projects": "project",
                            "job_templates": "job_template", "jobs": "job", "ad_hoc_commands": "ad_hoc_command"]

    var objects: [String: [Int: Object]] = [:]
    var events: [Int: [Object]] = [:]
    var nextID = 1
    var clock = 0
    /// The next N requests are answered 503 (retry tests).
    var unavailableResponses = 0
    /// Every request as "METHOD path?query", in order.
    var requestLog: [String] = []
    var runningJobs: [Int: Task<Void, Never>] = [:]
    /// Whether `<job>/stream/` (server-sent events) is served.
    let servesEventStream: Bool
    /// Server-sent event subscribers: the job they follow and where its events go.
    var streamSubscribers: [UUID: (jobID: Int, continuation: AsyncStream<String>.Continuation)] = [:]

    init(servesEventStream: Bool = true) {
        self.servesEventStream = servesEventStream
    }

    /// WebSocket subscribers: their groups and where their messages go.
    var subscribers: [UUID: (groups: Set<String>, continuation: AsyncStream<String>.Continuation)] = [:]

    func failNext(_ count: Int) { unavailableResponses = count }
    func log() -> [String] { requestLog }
    func clearLog() { requestLog = [] }

    func handle(_ request: FakeRequest) async -> FakeResponse {
        let queryText = request.query.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        requestLog.append("\(request.method) \(request.path)" + (queryText.isEmpty ? "" : "?\(queryText)"))
        if unavailableResponses > 0 {
            unavailableResponses -= 1
            return .detail(503, "Service Unavailable")
        }
        guard request.path.hasSuffix("/") else {
            var redirect = FakeResponse(status: 301, body: Data())
            redirect.headers = [("Location", request.path + "/")]
            return redirect
        }
        if request.path == "/api/v2/ping/" { return .json(200, ["version": "fake"]) }
        let write = !["GET", "HEAD", "OPTIONS"].contains(request.method)
        let basicAdmin = "Basic " + Data("admin:secret".utf8).base64EncodedString()
        if request.authorization == "Bearer \(FakeController.readOnlyToken)" {
            if write { return .detail(403, "You do not have permission to perform this action.") }
        } else if request.authorization != "Bearer \(FakeController.adminToken)" && request.authorization != basicAdmin {
            return .detail(401, "Authentication credentials were not provided. To establish a login session, visit /api/login/.")
        }
        var body: JSONValue = .null
        if write && !request.body.isEmpty {
            guard request.contentType?.hasPrefix("application/json") == true else {
                return .detail(415, "Unsupported media type \"\(request.contentType ?? "")\" in request; the Content-Type must be application/json.")
            }
            guard let parsed = try? JSONValue.parse(request.body) else {
                return .detail(400, "JSON parse error - Expecting value: line 1 column 1 (char 0)")
            }
            body = parsed
        }
        let segments = request.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        guard segments.count >= 3, segments[0] == "api", segments[1] == "v2",
              Self.collections.contains(segments[2])
        else {
            return .detail(404, "Not found.")
        }
        let collection = segments[2]
        if segments.count == 3 {
            switch request.method {
            case "GET": return list(collection, request)
            case "POST": return create(collection, body.objectValue ?? [:])
            default: return .detail(405, "Method \"\(request.method)\" not allowed.")
            }
        }
        guard let id = resolve(collection, segments[3]) else { return .detail(404, "Not found.") }
        if segments.count == 4 {
            return detail(collection, id, request.method, body.objectValue ?? [:])
        }
        return await subresource(collection, id, segments[4], request, body.objectValue ?? [:])
    }

    // MARK: Collections

    func timestamp() -> String {
        clock += 1
        return String(format: "2026-12-07T12:00:%02d.%06dZ", clock / 1_000_000 % 60, clock % 1_000_000)
    }

    @discardableResult
    func insert(_ collection: String, _ fields: Object) -> Object {
        let id = nextID
        nextID += 1
        var object = fields
        object["id"] = .int(id)
        object["type"] = .string(Self.typeNames[collection] ?? collection)
        object["url"] = .string("/api/v2/\(collection)/\(id)/")
        object["created"] = .string(timestamp())
        object["modified"] = object["created"]
        object["description"] = object["description"] ?? ""
        var related: Object = [:]
        if collection == "job_templates" { related["launch"] = .string("/api/v2/job_templates/\(id)/launch/") }
        if collection == "jobs" || collection == "ad_hoc_commands" {
            let base = "/api/v2/\(collection)/\(id)/"
            related[collection == "jobs" ? "job_events" : "events"] = .string(base + (collection == "jobs" ? "job_events/" : "events/"))
            for name in ["stdout", "cancel", "relaunch"] { related[name] = .string(base + name + "/") }
        }
        object["related"] = .object(related)
        objects[collection, default: [:]][id] = object
        return object
    }

    func list(_ collection: String, _ request: FakeRequest) -> FakeResponse {
        var rows = (objects[collection] ?? [:]).values.sorted { ($0["id"]?.intValue ?? 0) < ($1["id"]?.intValue ?? 0) }
        for (key, value) in request.query where !["page", "page_size", "order_by"].contains(key) {
            if key.hasSuffix("__icontains") {
                let field = String(key.dropLast("__icontains".count))
                rows = rows.filter { ($0[field]?.stringValue ?? "").lowercased().contains(value.lowercased()) }
            } else if ["name", "status", "inventory", "organization"].contains(key) {
                rows = rows.filter { Render.cell($0[key]) == value }
            } else {
                return .json(400, ["detail": .string("No filter \(key) exists.")])
            }
        }
        if request.queryValue("order_by") == "name" {
            rows.sort { ($0["name"]?.stringValue ?? "") < ($1["name"]?.stringValue ?? "") }
        }
        return page(rows, request)
    }

    /// AWX's page body with relative next/previous links (page 1 keeps an explicit `page=1`).
    func page(_ rows: [Object], _ request: FakeRequest) -> FakeResponse {
        var pageSize = Int(request.queryValue("page_size") ?? "") ?? 25
        if pageSize <= 0 { pageSize = 25 }
        pageSize = min(pageSize, 200)
        guard let page = Int(request.queryValue("page") ?? "1"), page >= 1,
              page == 1 || (page - 1) * pageSize < rows.count
        else {
            return .detail(404, "Invalid page.")
        }
        let slice = rows.dropFirst((page - 1) * pageSize).prefix(pageSize)
        func link(_ number: Int) -> JSONValue {
            var items = request.query.filter { $0.0 != "page" && $0.0 != "page_size" }
            items += [("page", String(number)), ("page_size", String(pageSize))]
            return .string(request.path + "?" + items.map { "\($0.0)=\(ServerAPITesting.encode($0.1))" }.joined(separator: "&"))
        }
        return .json(200, [
            "count": .int(rows.count),
            "next": page * pageSize < rows.count ? link(page + 1) : nil,
            "previous": page > 1 ? link(page - 1) : nil,
            "results": .array(slice.map { .object($0) }),
        ])
    }

    func create(_ collection: String, _ fields: Object) -> FakeResponse {
        guard collection != "jobs" else { return .detail(405, "Method \"POST\" not allowed.") }
        if collection == "ad_hoc_commands" { return startAdHoc(fields) }
        var errors: Object = [:]
        if (fields["name"]?.stringValue ?? "").isEmpty { errors["name"] = ["This field is required."] }
        if ["inventories", "job_templates", "projects"].contains(collection), fields["organization"] == nil,
           collection != "job_templates" {
            errors["organization"] = ["This field is required."]
        }
        if let name = fields["name"]?.stringValue,
           objects[collection]?.values.contains(where: { $0["name"]?.stringValue == name && $0["organization"] == fields["organization"] && $0["inventory"] == fields["inventory"] }) == true {
            errors["__all__"] = .array([.string("\(Self.typeNames[collection]!.capitalized) with this Name and Organization already exists.")])
        }
        if !errors.isEmpty { return .json(400, .object(errors)) }
        var response = FakeResponse.json(201, .object(insert(collection, fields)))
        response.headers = [("Location", "/api/v2/\(collection)/\(nextID - 1)/")]
        return response
    }

    func detail(_ collection: String, _ id: Int, _ method: String, _ fields: Object) -> FakeResponse {
        guard var object = objects[collection]?[id] else { return .detail(404, "Not found.") }
        switch method {
        case "GET":
            return .json(200, .object(object))
        case "PUT", "PATCH":
            if method == "PUT", (fields["name"]?.stringValue ?? "").isEmpty, collection != "jobs" {
                return .json(400, ["name": ["This field is required."]])
            }
            for (key, value) in fields where !["id", "type", "url", "related", "created", "modified"].contains(key) {
                object[key] = value
            }
            object["modified"] = .string(timestamp())
            objects[collection]?[id] = object
            return .json(200, .object(object))
        case "DELETE":
            objects[collection]?[id] = nil
            return FakeResponse(status: 204, body: Data())
        default:
            return .detail(405, "Method \"\(method)\" not allowed.")
        }
    }

    /// A path segment to an id: a number, or AWX's named URL (`name`, `name++org`,
    /// `name++inventory++org`), with `[+]` standing for `+`.
    func resolve(_ collection: String, _ segment: String) -> Int? {
        if let id = Int(segment) { return id }
        let parts = segment.components(separatedBy: "++").map { $0.replacingOccurrences(of: "[+]", with: "+") }
        func orgName(_ id: JSONValue?) -> String { id?.intValue.flatMap { objects["organizations"]?[$0]?["name"]?.stringValue } ?? "" }
        func invName(_ id: JSONValue?) -> String { id?.intValue.flatMap { objects["inventories"]?[$0]?["name"]?.stringValue } ?? "" }
        let candidates = (objects[collection] ?? [:]).values.filter { object in
            let name = object["name"]?.stringValue ?? ""
            switch collection {
            case "organizations": return parts == [name]
            case "hosts", "groups":
                let inventory = object["inventory"]?.intValue.flatMap { objects["inventories"]?[$0] }
                return parts == [name, invName(object["inventory"]), orgName(inventory?["organization"])]
            case "job_templates" where parts.count == 1:
                return name == parts[0]  // AWX's legacy bare job template name
            default: return parts == [name, orgName(object["organization"])]
            }
        }
        return candidates.compactMap { $0["id"]?.intValue }.min()
    }
}

enum ServerAPITesting {
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~,")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

enum Render {
    static func cell(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return ""
        case .string(let text)?: return text
        case let other?: return other.jsonString()
        }
    }
}
