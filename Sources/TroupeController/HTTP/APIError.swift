import HTTPTypes

/// An error answered with AWX's body: `{"detail": …}` for 400/401/403/404/405/415, or
/// `{"field": ["msg"]}` for validation. Handlers throw these; nothing else reaches the client
/// (any other error becomes a 400/500 with a generic message and no stack trace).
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var body: JSON
    public var headers: [(HTTPField.Name, String)] = []

    public init(status: HTTPResponse.Status, body: JSON, headers: [(HTTPField.Name, String)] = []) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    public init(_ status: HTTPResponse.Status, detail: String) {
        self.init(status: status, body: ["detail": .string(detail)])
    }

    public static func badRequest(_ detail: String) -> APIError { APIError(.badRequest, detail: detail) }
    public static func forbidden(_ detail: String = "You do not have permission to perform this action.") -> APIError {
        APIError(.forbidden, detail: detail)
    }
    public static let notFound = APIError(.notFound, detail: "Not found.")
    public static func methodNotAllowed(_ method: String) -> APIError {
        APIError(.methodNotAllowed, detail: "Method \"\(method)\" not allowed.")
    }
    public static func unsupportedMediaType(_ contentType: String) -> APIError {
        APIError(.unsupportedMediaType, detail: "Unsupported media type \"\(contentType)\" in request. The Content-Type must be application/json.")
    }
    public static func unauthorized(_ detail: String = "Authentication credentials were not provided.") -> APIError {
        APIError(status: .unauthorized,
                 body: ["detail": .string(detail + " To establish a login session, visit /api/login/.")],
                 headers: [(.wwwAuthenticate, "Bearer realm=api authorization_url=/api/o/authorize/")])
    }

    /// `{"field": ["message"], …}` validation errors (400).
    public static func validation(_ errors: [(String, String)]) -> APIError {
        var object = JSONObject()
        for (field, message) in errors {
            var list = object[field]?.arrayValue ?? []
            list.append(.string(message))
            object[field] = .array(list)
        }
        return APIError(status: .badRequest, body: .object(object))
    }

    public static func validation(_ field: String, _ message: String) -> APIError { validation([(field, message)]) }
}
