import Foundation

/// ayon_api's convenience verbs: arguments of `post`/`put`/`patch` become the JSON body,
/// arguments of `get`/`delete` the query string. Each returns the decoded JSON (`null` for an
/// empty answer such as a 204) and throws `ServerError` for any status outside 2xx.
extension ServerAPI {
    public func get(_ path: String, _ query: [String: JSONValue] = [:]) async throws -> JSONValue {
        try await rawGet(path, RawRequest(query: Self.queryItems(query))).checked().json()
    }

    public func get<Query: Encodable & Sendable>(_ path: String, query: Query) async throws -> JSONValue {
        try await get(path, Self.objectFields(of: query))
    }

    public func delete(_ path: String, _ query: [String: JSONValue] = [:]) async throws -> JSONValue {
        try await rawDelete(path, RawRequest(query: Self.queryItems(query))).checked().json()
    }

    public func post(_ path: String, _ body: [String: JSONValue] = [:]) async throws -> JSONValue {
        try await rawPost(path, Self.jsonRequest(.object(body))).checked().json()
    }

    public func post<Body: Encodable & Sendable>(_ path: String, body: Body) async throws -> JSONValue {
        try await rawPost(path, Self.jsonRequest(JSONValue(encoding: body))).checked().json()
    }

    public func put(_ path: String, _ body: [String: JSONValue] = [:]) async throws -> JSONValue {
        try await rawPut(path, Self.jsonRequest(.object(body))).checked().json()
    }

    public func put<Body: Encodable & Sendable>(_ path: String, body: Body) async throws -> JSONValue {
        try await rawPut(path, Self.jsonRequest(JSONValue(encoding: body))).checked().json()
    }

    public func patch(_ path: String, _ body: [String: JSONValue] = [:]) async throws -> JSONValue {
        try await rawPatch(path, Self.jsonRequest(.object(body))).checked().json()
    }

    public func patch<Body: Encodable & Sendable>(_ path: String, body: Body) async throws -> JSONValue {
        try await rawPatch(path, Self.jsonRequest(JSONValue(encoding: body))).checked().json()
    }

    /// The same verbs decoding the answer into a type (a model or any Decodable).
    public func get<T: Decodable>(_ path: String, _ query: [String: JSONValue] = [:], as type: T.Type) async throws -> T {
        try Self.decode(type, from: await get(path, query))
    }

    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try JSONDecoder().decode(type, from: JSONEncoder.sorted.encode(value))
    }

    static func jsonRequest(_ body: JSONValue) -> RawRequest {
        RawRequest(body: Data(body.jsonString().utf8), contentType: "application/json")
    }

    /// Query items in key order (stable URLs); a `nil` value is left out, as ayon does.
    static func queryItems(_ query: [String: JSONValue]) -> [(name: String, value: String)] {
        query.keys.sorted().compactMap { key in
            guard let value = query[key], value != .null else { return nil }
            return (key, value.queryArgument)
        }
    }

    static func objectFields<T: Encodable>(of value: T) throws -> [String: JSONValue] {
        guard case .object(let fields) = try JSONValue(encoding: value) else {
            throw ClientError.invalidConfiguration("query arguments must encode to a JSON object")
        }
        return fields
    }
}
