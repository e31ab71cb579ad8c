import HTTPTypes

/// What a handler answers; the responder adds the AWX headers and renders JSON or HTML.
public struct APIResponse: Sendable {
    public enum Body: Sendable {
        case json(JSON)
        case text(String, contentType: String)
        case empty
    }

    public var status: HTTPResponse.Status
    public var headers: [(HTTPField.Name, String)]
    public var body: Body

    public init(status: HTTPResponse.Status = .ok, headers: [(HTTPField.Name, String)] = [], body: Body) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json(_ json: JSON, status: HTTPResponse.Status = .ok) -> APIResponse {
        APIResponse(status: status, body: .json(json))
    }

    /// 201 with the new object and its `Location`.
    public static func created(_ object: JSON) -> APIResponse {
        var response = APIResponse(status: .created, body: .json(object))
        if let url = object["url"]?.stringValue { response.headers.append((.location, url)) }
        return response
    }

    public static let noContent = APIResponse(status: .noContent, body: .empty)

    public static func redirect(_ location: String, status: HTTPResponse.Status = .movedPermanently) -> APIResponse {
        APIResponse(status: status, headers: [(.location, location)], body: .empty)
    }
}
