import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PostgresNIO
import SQLKit

/// The one HTTP entry point: trailing-slash redirects, the `/api/controller/` prefix,
/// authentication, CSRF and token scope, routing, AWX's error bodies and headers, and
/// JSON or browsable-HTML rendering. No error escapes as a stack trace.
struct ControllerResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let controller: Controller

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        var response: APIResponse
        var apiPrefix = "/api/"
        var wantsHTML = false
        do {
            let rawPath = request.uri.path
            let rawQuery = request.uri.query ?? ""
            let query = APIRequest.parseForm(rawQuery)
            wantsHTML = ControllerResponder.wantsHTML(query: query, accept: request.headers[.accept])
            if !rawPath.hasSuffix("/") {
                // AWX (Django APPEND_SLASH): every URL ends in "/", others get a 301.
                response = .redirect(rawPath + "/" + (rawQuery.isEmpty ? "" : "?" + rawQuery))
            } else {
                var path = rawPath
                if path.hasPrefix("/api/controller/") {
                    apiPrefix = "/api/controller/"
                    path = "/api/" + path.dropFirst("/api/controller/".count)
                }
                let body: [UInt8]
                do {
                    var buffer = try await request.body.collect(upTo: controller.configuration.maxBodyBytes)
                    body = buffer.readBytes(length: buffer.readableBytes) ?? []
                } catch {
                    throw APIError(.contentTooLarge, detail: "Request body exceeds the limit of \(controller.configuration.maxBodyBytes) bytes.")
                }
                let apiRequest = APIRequest(method: request.method, path: path, apiPrefix: apiPrefix, query: query,
                                            headers: request.headers, body: body, rawQuery: rawQuery)
                response = try await route(apiRequest)
            }
        } catch let error as APIError {
            response = APIResponse(status: error.status, headers: error.headers, body: .json(error.body))
        } catch {
            response = ControllerResponder.classify(error, logger: controller)
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return render(response, apiPrefix: apiPrefix, html: wantsHTML, elapsed: elapsed, request: request)
    }

    private func route(_ request: APIRequest) async throws -> APIResponse {
        guard request.path.hasPrefix("/api/") else { throw APIError.notFound }
        let relative = String(request.path.dropFirst("/api/".count))
        guard let matched = controller.router.match(relative) else { throw APIError.notFound }
        let (route, parameters) = matched
        let method = request.method == .head ? HTTPRequest.Method.get : request.method
        let outcome = try await controller.authenticator.authenticate(request)
        var user: AuthenticatedUser?
        var authentication = AuthenticationMethod.none
        switch outcome {
        case .anonymous: break
        case .authenticated(let found, let how): user = found; authentication = how
        case .rejected(let message):
            if !route.anonymous.contains(method) { throw APIError.unauthorized(message) }
        }
        guard let handler = route.handlers[method] ?? (method == .options ? defaultOptions(route) : nil) else {
            if user == nil && !route.anonymous.contains(where: { _ in true }) { throw APIError.unauthorized() }
            throw APIError.methodNotAllowed(request.method.rawValue)
        }
        if user == nil && !route.anonymous.contains(method) { throw APIError.unauthorized() }
        let unsafe = ![.get, .head, .options].contains(request.method)
        if unsafe, case .token(let scope) = authentication, !scope.split(separator: " ").contains("write") {
            throw APIError.forbidden("You do not have permission to perform this action.")
        }
        if unsafe, authentication == .session {
            let cookie = request.cookies["csrftoken"]
            guard let cookie, let sent = request.header(HTTPField.Name("X-CSRFToken")!), sent == cookie else {
                throw APIError.forbidden("CSRF Failed: CSRF token missing or incorrect.")
            }
        }
        let context = APIContext(controller: controller, request: request, parameters: parameters, user: user, authentication: authentication)
        var response = try await handler(context)
        if response.headers.first(where: { $0.0 == .allow }) == nil, method == .options || method == .get {
            response.headers.append((.allow, ControllerResponder.allowHeader(route)))
        }
        return response
    }

    /// OPTIONS for a route without its own metadata. It still carries `actions` (GET, and
    /// POST when the route takes one) because awxkit reads `actions` on every sub-list it
    /// meets during `awx export` and crashes on a body without it. A role attach list
    /// (`users/N/roles/`) gets AWX's `RoleMetadata` POST fields, so export treats it as an
    /// attachable relation.
    private func defaultOptions(_ route: APIRouter.Route) -> APIHandler {
        let allow = ControllerResponder.allowHeader(route)
        var actions = JSONObject()
        if route.handlers[.get] != nil { actions["GET"] = .object(JSONObject()) }
        if route.handlers[.post] != nil {
            actions["POST"] = route.pattern.last == .literal("roles") ? ControllerResponder.rolePostFields : .object(JSONObject())
        }
        let body: JSON = .object(JSONObject([
            ("name", ""), ("description", ""), ("renders", ["application/json", "text/html"]), ("parses", ["application/json"]),
            ("actions", .object(actions)),
        ]))
        return { _ in APIResponse(status: .ok, headers: [(.allow, allow)], body: .json(body)) }
    }

    /// AWX's `RoleMetadata` POST fields (grant with `id`, revoke with `disassociate`).
    static let rolePostFields: JSON = [
        "id": ["type": "integer", "label": "ID", "help_text": "Database ID for this role."],
        "disassociate": ["type": "integer", "label": "Disassociate", "help_text": "Provide to remove this role."],
    ]

    static func allowHeader(_ route: APIRouter.Route) -> String {
        let order: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]
        var methods = order.filter { route.handlers[$0] != nil }.map(\.rawValue)
        if route.handlers[.get] != nil { methods.append("HEAD") }
        methods.append("OPTIONS")
        return methods.joined(separator: ", ")
    }

    static func wantsHTML(query: [(String, String)], accept: String?) -> Bool {
        if let format = query.last(where: { $0.0 == "format" })?.1 { return format == "api" }
        guard let accept else { return false }
        return accept.contains("text/html")
    }

    /// Errors that are not `APIError`: database constraint violations are the client's
    /// fault (400, as AWX turns IntegrityError into a ParseError); anything else is logged
    /// and answered with a generic 500 body.
    static func classify(_ error: any Error, logger controller: Controller) -> APIResponse {
        if let postgres = error as? PSQLError, let state = postgres.serverInfo?[.sqlState] {
            // Class 22 (data exception) and 23 (integrity violation) are the client's input.
            if state.hasPrefix("22") { return .json(["detail": "Invalid value in request."], status: .badRequest) }
            if state.hasPrefix("23") {
                return .json(["detail": "Database constraint violated; the object conflicts with an existing one or refers to a missing one."], status: .badRequest)
            }
        }
        let text = String(reflecting: error)
        let lowered = text.lowercased()
        if lowered.contains("unique") || lowered.contains("constraint") || lowered.contains("foreign key") {
            return .json(["detail": "Database constraint violated; the object conflicts with an existing one or refers to a missing one."], status: .badRequest)
        }
        controller.logger.error("request failed: \(text)")
        return .json(["detail": "A server error has occurred."], status: .internalServerError)
    }

    private func render(_ response: APIResponse, apiPrefix: String, html: Bool, elapsed: Double, request: Request) -> Response {
        var fields = HTTPFields()
        fields[HTTPField.Name("X-API-Product-Name")!] = "AWX"
        fields[HTTPField.Name("X-API-Product-Version")!] = ControllerVersion.apiVersion
        fields[HTTPField.Name("X-API-Node")!] = controller.configuration.nodeName
        fields[HTTPField.Name("X-API-Time")!] = String(format: "%.3fs", elapsed)
        fields[.vary] = "Accept, Cookie"
        for (name, value) in response.headers {
            let rewritten = apiPrefix == "/api/" ? value : ControllerResponder.rewritePrefix(value, prefix: apiPrefix)
            if name == .setCookie || name == .allow { fields.append(HTTPField(name: name, value: rewritten)) } else { fields[name] = rewritten }
        }
        var bodyText: String
        switch response.body {
        case .empty:
            bodyText = ""
        case .text(let text, let contentType):
            bodyText = text
            fields[.contentType] = contentType
        case .json(let json):
            if html {
                bodyText = BrowsableAPI.page(for: json, status: response.status, request: request, allow: fields[.allow])
                fields[.contentType] = "text/html; charset=utf-8"
            } else {
                bodyText = json.serialized()
                fields[.contentType] = "application/json"
            }
        }
        if apiPrefix != "/api/" { bodyText = ControllerResponder.rewritePrefix(bodyText, prefix: apiPrefix) }
        let buffer = ByteBuffer(string: request.method == .head ? "" : bodyText)
        fields[.contentLength] = String(bodyText.utf8.count)
        return Response(status: response.status, headers: fields, body: .init(byteBuffer: buffer))
    }

    /// Body URLs follow the prefix the client used (`/api/controller/v2/…`).
    static func rewritePrefix(_ text: String, prefix: String) -> String {
        text.replacingOccurrences(of: "\"/api/v2/", with: "\"" + prefix + "v2/")
            .replacingOccurrences(of: "/api/v2/", with: prefix + "v2/", options: .anchored)
    }
}

public enum ControllerVersion {
    /// The AWX API release this controller follows.
    public static let apiVersion = "24.6.1"
}
