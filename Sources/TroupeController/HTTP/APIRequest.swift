import Foundation
import HTTPTypes

/// One parsed API request: method, path, ordered query parameters and the raw body.
public struct APIRequest: Sendable {
    public let method: HTTPRequest.Method
    /// The path as routed, always under `/api/` (the `/api/controller/` prefix removed).
    public let path: String
    /// The prefix the client used (`/api/` or `/api/controller/`); body URLs follow it.
    public let apiPrefix: String
    public let query: [(String, String)]
    public let headers: HTTPFields
    public let body: [UInt8]
    /// The raw query string, for pagination links.
    public let rawQuery: String

    public func header(_ name: HTTPField.Name) -> String? { headers[name] }

    public func queryValue(_ name: String) -> String? { query.last { $0.0 == name }?.1 }

    public var contentType: String? { headers[.contentType] }

    public var cookies: [String: String] {
        var cookies: [String: String] = [:]
        for field in headers[values: .cookie] {
            for part in field.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2 { cookies[pair[0]] = pair[1] }
            }
        }
        return cookies
    }

    /// Parses `a=1&b=2` (form bodies and query strings) with `+` as space.
    public static func parseForm(_ text: String) -> [(String, String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(pair[0]), pair.count > 1 ? decode(pair[1]) : "")
        }
    }

    /// The body as JSON. AWX accepts only JSON: another Content-Type is a 415, a malformed
    /// body a 400 "JSON parse error - …", an empty one `{}`.
    public func jsonBody() throws -> JSON {
        if let contentType, !contentType.lowercased().hasPrefix("application/json") {
            throw APIError.unsupportedMediaType(contentType)
        }
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .object(JSONObject()) }
        do {
            return try JSONParser.parse(body)
        } catch let error as JSONParseError {
            throw APIError.badRequest("JSON parse error - \(error.description)")
        }
    }

    /// The body as a JSON object (most writes), else AWX's non-field error.
    public func jsonObjectBody() throws -> JSONObject {
        let json = try jsonBody()
        guard case .object(let object) = json else {
            throw APIError.validation("non_field_errors", "Invalid data. Expected a dictionary, but got \(json.kindName).")
        }
        return object
    }
}
