import Foundation

/// The server answered with an error status. Carries AWX's error body decoded:
/// `{"detail": "..."}` for simple errors, `{"field": ["message", ...], "__all__": [...]}` for
/// validation errors.
public struct ServerError: Error, Sendable, CustomStringConvertible {
    public let status: Int
    public let method: String
    /// The path (with query) the request was sent to.
    public let path: String
    /// AWX's `detail`, when the body has one.
    public let detail: String?
    /// Validation errors by field; non-field errors are under `__all__`.
    public let fieldErrors: [String: [String]]
    /// The whole body (JSON, or a string when it was not JSON).
    public let body: JSONValue

    public init(response: RawResponse) {
        status = response.status
        method = response.method
        path = response.path
        let parsed = (try? JSONValue.parse(response.body)) ?? .string(response.text)
        body = parsed
        var detail: String?
        var fieldErrors: [String: [String]] = [:]
        if case .object(let object) = parsed {
            for (key, value) in object {
                if key == "detail", let text = value.stringValue {
                    detail = text
                    continue
                }
                switch value {
                case .string(let message): fieldErrors[key] = [message]
                case .array(let messages): fieldErrors[key] = messages.map { $0.stringValue ?? $0.jsonString() }
                default: fieldErrors[key] = [value.jsonString()]
                }
            }
        }
        self.detail = detail
        self.fieldErrors = fieldErrors
    }

    public var isUnauthorized: Bool { status == 401 }
    public var isForbidden: Bool { status == 403 }
    public var isNotFound: Bool { status == 404 }

    public var description: String {
        var message = "\(method) \(path): \(status) \(Self.reason(status))"
        if let detail {
            message += ": \(detail)"
        } else if !fieldErrors.isEmpty {
            let fields = fieldErrors.keys.sorted().map { "\($0): \(fieldErrors[$0]!.joined(separator: " "))" }
            message += ": " + fields.joined(separator: "; ")
        }
        return message
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 415: return "Unsupported Media Type"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "HTTP error"
        }
    }
}
