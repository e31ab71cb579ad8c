import Foundation
import HTTPTypes
import SQLKit

/// The user a request acts for.
public struct AuthenticatedUser: Sendable, Equatable {
    public let id: Int
    public let username: String
    public let isSuperuser: Bool
    public let isSystemAuditor: Bool

    /// Sees every object (superuser or system auditor).
    public var readsEverything: Bool { isSuperuser || isSystemAuditor }
}

/// How the request authenticated; decides CSRF and token-scope checks.
public enum AuthenticationMethod: Sendable, Equatable {
    case none
    case basic
    case session
    case token(scope: String)
}

/// Everything a handler needs for one request.
public final class APIContext: Sendable {
    public let controller: Controller
    public let request: APIRequest
    public let parameters: [String: String]
    public let user: AuthenticatedUser?
    public let authentication: AuthenticationMethod

    init(controller: Controller, request: APIRequest, parameters: [String: String], user: AuthenticatedUser?, authentication: AuthenticationMethod) {
        self.controller = controller
        self.request = request
        self.parameters = parameters
        self.user = user
        self.authentication = authentication
    }

    public var database: Database { controller.database }

    /// The authenticated user; routes that allow anonymous access call this only when needed.
    public func requireUser() throws -> AuthenticatedUser {
        guard let user else { throw APIError.unauthorized() }
        return user
    }

    public func parameter(_ name: String) -> String { parameters[name] ?? "" }

    /// The integer in a path parameter, or 404 as AWX answers for a bad id.
    public func intParameter(_ name: String) throws -> Int {
        guard let value = Int(parameter(name)), value > 0 else { throw APIError.notFound }
        return value
    }
}
