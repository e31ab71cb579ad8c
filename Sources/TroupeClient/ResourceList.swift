import Foundation

/// The objects of a list endpoint, page after page: each page is fetched when the previous
/// one is used up, following the server's `next` link until it is null.
public struct ResourceList<Element: Sendable>: AsyncSequence, Sendable {
    let api: ServerAPI
    let firstPath: String
    let query: [String: JSONValue]
    let convert: @Sendable (JSONValue) throws -> Element

    public func makeAsyncIterator() -> Iterator {
        Iterator(list: self)
    }

    /// Every element in one array.
    public func collect() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }

    public struct Iterator: AsyncIteratorProtocol {
        let list: ResourceList
        var buffer: [JSONValue] = []
        var index = 0
        var nextPath: String?
        var started = false
        /// Pages fetched so far (tests check pagination with it).
        public private(set) var pagesFetched = 0

        init(list: ResourceList) {
            self.list = list
        }

        public mutating func next() async throws -> Element? {
            while index >= buffer.count {
                let page: JSONValue
                if !started {
                    started = true
                    page = try await list.api.get(list.firstPath, list.query)
                } else if let nextPath {
                    page = try await list.api.get(nextPath)
                } else {
                    return nil
                }
                pagesFetched += 1
                guard let results = page["results"]?.arrayValue else {
                    throw ClientError.invalidResponse(method: "GET", path: nextPath ?? list.firstPath,
                                                      reason: "a list page has no 'results'")
                }
                buffer = results
                index = 0
                nextPath = page["next"]?.stringValue
            }
            defer { index += 1 }
            return try list.convert(buffer[index])
        }
    }
}

/// An object's identity in a path: its numeric id, or its AWX named URL
/// (`web1++inv++Default` for a host, `Default` for an organization).
public enum ResourceID: Sendable, Hashable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    case id(Int)
    case name(String)

    public init(integerLiteral value: Int) { self = .id(value) }
    public init(stringLiteral value: String) { self = .name(value) }

    /// A named URL from its parts, each part a node's values (AWX's encoding: `; / ? : @ = & [ ]`
    /// percent-encoded, `+` written `[+]`, values joined by `+`, nodes by `++`).
    /// `ResourceID.named(["web1"], ["inv"], ["Default"])` is `web1++inv++Default`.
    public static func named(_ nodes: [String]...) -> ResourceID {
        .name(nodes.map { $0.map(encodeNamedValue).joined(separator: "+") }.joined(separator: "++"))
    }

    static func encodeNamedValue(_ value: String) -> String {
        var encoded = ""
        for character in value {
            switch character {
            case ";", "/", "?", ":", "@", "=", "&", "[", "]":
                encoded += String(character).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            case "+":
                encoded += "[+]"
            default:
                encoded.append(character)
            }
        }
        return encoded
    }

    /// The path segment: an id as is; a name with the characters a path cannot carry escaped.
    var pathSegment: String {
        switch self {
        case .id(let id): return String(id)
        case .name(let name):
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "/?#")
            allowed.insert(charactersIn: "[]")
            return name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
        }
    }

    public var description: String {
        switch self {
        case .id(let id): return String(id)
        case .name(let name): return name
        }
    }
}

extension ServerAPI {
    /// Objects of a collection (`hosts`, `/api/v2/jobs/`, `inventories/3/hosts`) matching AWX
    /// filters (`["status": "failed", "name__icontains": "web"]`), as JSON.
    public func list(_ resource: String, _ filters: [String: JSONValue] = [:]) -> ResourceList<JSONValue> {
        ResourceList(api: self, firstPath: resource, query: filters, convert: { $0 })
    }

    /// Typed objects of a model's collection matching AWX filters.
    public func list<T: ServerResource>(_ type: T.Type, _ filters: [String: JSONValue] = [:]) -> ResourceList<T> {
        ResourceList(api: self, firstPath: T.resourcePath, query: filters, convert: { value in
            guard let fields = value.objectValue else {
                throw ClientError.invalidResponse(method: "GET", path: T.resourcePath, reason: "a result is not an object")
            }
            var object = T(fields: fields)
            object.bind(to: self)
            return object
        })
    }

    /// The path of one object: `job_templates/7` or `job_templates/deploy++Default`.
    public func path<T: ServerResource>(of type: T.Type, _ identifier: ResourceID) -> String {
        "\(T.resourcePath)/\(identifier.pathSegment)/"
    }

    public func get<T: ServerResource>(_ type: T.Type, _ identifier: ResourceID) async throws -> T {
        try await model(T.self, from: get(path(of: T.self, identifier)))
    }

    /// Creates an object: POST to the collection, the answer (201) is the new object.
    public func create<T: ServerResource>(_ type: T.Type, _ fields: [String: JSONValue]) async throws -> T {
        try await model(T.self, from: post(T.resourcePath, fields))
    }

    /// Changes the given fields (PATCH); the answer is the whole updated object.
    public func update<T: ServerResource>(_ type: T.Type, _ identifier: ResourceID,
                                          _ fields: [String: JSONValue]) async throws -> T {
        try await model(T.self, from: patch(path(of: T.self, identifier), fields))
    }

    /// Replaces an object (PUT) with `object.fields`.
    public func replace<T: ServerResource>(_ object: T) async throws -> T {
        try await model(T.self, from: put(object.url, object.fields))
    }

    public func delete<T: ServerResource>(_ type: T.Type, _ identifier: ResourceID) async throws {
        _ = try await delete(path(of: T.self, identifier))
    }

    /// The id of an object given by id, named URL, or plain name. A plain name (no `++`) is
    /// looked up with `?name=` — AWX also accepts a bare job template name as a named URL, but
    /// a lookup works for every resource and every server.
    public func resolveID<T: ServerResource>(_ type: T.Type, _ identifier: ResourceID) async throws -> Int {
        switch identifier {
        case .id(let id):
            return id
        case .name(let name) where name.contains("++"):
            return try await get(T.self, identifier).id
        case .name(let name):
            let page = try await get(T.resourcePath, ["name": .string(name), "page_size": 2])
            guard let first = page["results"]?[0], let id = first["id"]?.intValue else {
                throw ClientError.notFound(resource: T.resourcePath, identifier: name)
            }
            return id
        }
    }

    func model<T: ServerResource>(_ type: T.Type, from value: JSONValue) throws -> T {
        guard let fields = value.objectValue else {
            throw ClientError.invalidResponse(method: "GET", path: T.resourcePath, reason: "expected an object")
        }
        var object = T(fields: fields)
        object.bind(to: self)
        return object
    }
}
