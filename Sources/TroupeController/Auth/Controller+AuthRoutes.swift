import Foundation
import HTTPTypes
import SQLKit

extension Controller {
    /// `/api/login/` (Django-style session login: form, CSRF cookie, 302 to `next`),
    /// `/api/logout/`, and the OAuth2 endpoints `/api/o/` and `/api/o/token/` (password grant).
    func registerAuthRoutes() {
        router.add(.get, "login/", anonymous: true) { context in
            let csrf = context.request.cookies["csrftoken"] ?? SecretBox.randomToken(bytes: 24)
            let next = context.request.queryValue("next") ?? "/api/"
            var response = APIResponse(body: .text(BrowsableAPI.loginPage(csrf: csrf, next: next, error: nil), contentType: "text/html; charset=utf-8"))
            response.headers.append((.setCookie, "csrftoken=\(csrf); Path=/; SameSite=Lax"))
            return response
        }
        router.add(.post, "login/", anonymous: true) { context in
            let request = context.request
            let form = Dictionary(APIRequest.parseForm(String(decoding: request.body, as: UTF8.self)), uniquingKeysWith: { $1 })
            if let cookie = request.cookies["csrftoken"] {
                let sent = request.header(HTTPField.Name("X-CSRFToken")!) ?? form["csrfmiddlewaretoken"]
                if let sent, sent != cookie { throw APIError.forbidden("CSRF Failed: CSRF token incorrect.") }
            }
            let username = form["username"] ?? "", password = form["password"] ?? ""
            guard let user = try await context.controller.authenticator.verifyPassword(username: username, password: password) else {
                let csrf = request.cookies["csrftoken"] ?? SecretBox.randomToken(bytes: 24)
                return APIResponse(status: .unauthorized, body: .text(
                    BrowsableAPI.loginPage(csrf: csrf, next: form["next"] ?? "/api/", error: "Please enter a correct username and password. Note that both fields may be case-sensitive."),
                    contentType: "text/html; charset=utf-8"))
            }
            let key = try await context.controller.authenticator.createSession(userID: user.id)
            var next = form["next"] ?? "/api/"
            if !next.hasPrefix("/") || next.hasPrefix("//") { next = "/api/" }
            var response = APIResponse.redirect(next, status: .found)
            response.headers.append((.setCookie, "\(Authenticator.sessionCookie)=\(key); Path=/; HttpOnly; SameSite=Lax; Max-Age=\(Int(Authenticator.sessionSeconds))"))
            response.headers.append((.setCookie, "userLoggedIn=true; Path=/; SameSite=Lax"))
            response.headers.append((HTTPField.Name("X-API-Session-Cookie-Name")!, Authenticator.sessionCookie))
            return response
        }
        let logout: APIHandler = { context in
            if let key = context.request.cookies[Authenticator.sessionCookie] {
                try await context.controller.authenticator.endSession(key)
            }
            var response = APIResponse.redirect("/api/", status: .found)
            response.headers.append((.setCookie, "\(Authenticator.sessionCookie)=; Path=/; Max-Age=0"))
            response.headers.append((.setCookie, "userLoggedIn=false; Path=/; Max-Age=0"))
            return response
        }
        router.add(.get, "logout/", anonymous: true, logout)
        router.add(.post, "logout/", anonymous: true, logout)
        router.add(.get, "o/", anonymous: true) { _ in
            .json(["authorize": "/api/o/authorize/", "token": "/api/o/token/", "revoke_token": "/api/o/revoke_token/"])
        }
        router.add(.post, "o/token/", anonymous: true) { context in
            let form = Dictionary(APIRequest.parseForm(String(decoding: context.request.body, as: UTF8.self)), uniquingKeysWith: { $1 })
            guard form["grant_type"] == "password" else {
                return .json(["error": "unsupported_grant_type"], status: .badRequest)
            }
            guard let user = try await context.controller.authenticator.verifyPassword(username: form["username"] ?? "", password: form["password"] ?? "") else {
                return .json(["error": "invalid_grant", "error_description": "Invalid credentials given."], status: .badRequest)
            }
            let scope = form["scope"].flatMap { $0.isEmpty ? nil : $0 } ?? "write"
            guard TokenStore.validScopes.contains(scope) else {
                return .json(["error": "invalid_scope"], status: .badRequest)
            }
            // The client: `client_id`/`client_secret` in the form or as HTTP Basic. Without
            // one the token is a personal one (Troupe's leniency; AWX requires an application).
            var applicationID: Int?
            if let client = Controller.oauthClient(context.request, form: form) {
                switch try await Controller.authenticateClient(context, id: client.id, secret: client.secret) {
                case .success(let id): applicationID = id
                case .failure(let refusal): return refusal.response
                }
            }
            let issued = try await TokenStore(controller: context.controller).issue(userID: user.id, description: "", scope: scope, actor: user,
                                                                                     applicationID: applicationID)
            return .json(["access_token": .string(issued.token), "token_type": "Bearer", "expires_in": .int(TokenStore.lifetimeSeconds),
                          "refresh_token": .null, "scope": .string(scope)])
        }
        router.add(.post, "o/revoke_token/", anonymous: true) { context in
            let form = Dictionary(APIRequest.parseForm(String(decoding: context.request.body, as: UTF8.self)), uniquingKeysWith: { $1 })
            if let token = form["token"] {
                try await context.database.run(SQLQueryString("DELETE FROM tokens WHERE token_hash = \(bind: context.controller.secrets.tokenHash(token))"))
            }
            return .json(.object(JSONObject()))
        }
    }
}

/// Issues OAuth2 personal access tokens; only the keyed hash is stored.
struct TokenStore {
    static let validScopes: Set<String> = ["read", "write", "read write"]
    static let lifetimeSeconds = 31_536_000_000
    let controller: Controller

    struct Issued {
        let id: Int
        let token: String
    }

    func issue(userID: Int, description: String, scope: String, actor: AuthenticatedUser, applicationID: Int? = nil) async throws -> Issued {
        let token = SecretBox.randomToken(bytes: 24)
        let now = Date()
        // AWX's default lifetime is ~1000 years; cap the date so it stays a 4-digit year.
        let expires = Timestamp.format(now.addingTimeInterval(Double(900 * 365 * 86_400)))
        let hash = controller.secrets.tokenHash(token)
        let stamp = Timestamp.format(now)
        let rows = try await controller.database.all(SQLQueryString("""
            INSERT INTO tokens (user_id, description, scope, token_hash, expires, application_id, created, modified)
            VALUES (\(bind: userID), \(bind: description), \(bind: scope), \(bind: hash), \(bind: expires), \(bind: applicationID),
                    \(bind: stamp), \(bind: stamp)) RETURNING id
            """))
        let id = try rows[0].decode(column: "id", as: Int.self)
        return Issued(id: id, token: token)
    }
}
