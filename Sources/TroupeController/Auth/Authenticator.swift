import Foundation
import HTTPTypes
import SQLKit

/// Resolves a request's credentials, in AWX's order: Bearer token, session cookie, Basic.
/// Verified Basic passwords are remembered (by a keyed hash of user, password and stored
/// hash) so a client sending Basic on every request does not pay the KDF each time.
final class Authenticator: @unchecked Sendable {
    static let sessionCookie = "awx_sessionid"
    static let sessionSeconds: TimeInterval = 1800

    private let database: Database
    private let secrets: SecretBox
    private let lock = NSLock()
    private var verifiedBasic: Set<String> = []

    init(database: Database, secrets: SecretBox) {
        self.database = database
        self.secrets = secrets
    }

    enum Outcome {
        case anonymous
        case authenticated(AuthenticatedUser, AuthenticationMethod)
        case rejected(String)
    }

    func authenticate(_ request: APIRequest) async throws -> Outcome {
        if let header = request.header(.authorization) {
            let parts = header.split(separator: " ", maxSplits: 1).map(String.init)
            let scheme = parts.first?.lowercased() ?? ""
            let value = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            if scheme == "bearer" { return try await bearer(value) }
            if scheme == "basic" { return try await basic(value) }
        }
        if let key = request.cookies[Authenticator.sessionCookie] {
            if let user = try await session(key) { return .authenticated(user, .session) }
        }
        return .anonymous
    }

    private func bearer(_ token: String) async throws -> Outcome {
        let hash = secrets.tokenHash(token)
        let rows = try await database.all(SQLQueryString(
            "SELECT t.user_id, t.scope, t.expires FROM tokens t WHERE t.token_hash = \(bind: hash)"))
        guard let row = rows.first else { return .rejected("Authentication credentials were not provided.") }
        let expires = try row.decode(column: "expires", as: String.self)
        if expires < Timestamp.now() { return .rejected("Authentication credentials were not provided.") }
        guard let user = try await loadUser(id: try row.decode(column: "user_id", as: Int.self)) else {
            return .rejected("Authentication credentials were not provided.")
        }
        return .authenticated(user, .token(scope: try row.decode(column: "scope", as: String.self)))
    }

    private func basic(_ encoded: String) async throws -> Outcome {
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":") else {
            return .rejected("Invalid basic header. Credentials not correctly base64 encoded.")
        }
        let username = String(text[..<colon]), password = String(text[text.index(after: colon)...])
        guard let user = try await verifyPassword(username: username, password: password) else {
            return .rejected("Invalid username/password.")
        }
        return .authenticated(user, .basic)
    }

    /// The user when `password` is theirs.
    func verifyPassword(username: String, password: String) async throws -> AuthenticatedUser? {
        let rows = try await database.all(SQLQueryString(
            "SELECT id, password FROM users WHERE username = \(bind: username)"))
        guard let row = rows.first else { return nil }
        let stored = try row.decode(column: "password", as: String.self)
        let memo = secrets.tokenHash("\(username)\u{0}\(password)\u{0}\(stored)")
        let known = lock.withLock { verifiedBasic.contains(memo) }
        if !known {
            guard PasswordHasher.verify(password, against: stored) else { return nil }
            lock.withLock { if verifiedBasic.count > 10_000 { verifiedBasic.removeAll() }; verifiedBasic.insert(memo) }
        }
        return try await loadUser(id: try row.decode(column: "id", as: Int.self))
    }

    private func session(_ key: String) async throws -> AuthenticatedUser? {
        let hash = secrets.tokenHash("session:" + key)
        let rows = try await database.all(SQLQueryString(
            "SELECT user_id, expires FROM sessions WHERE key_hash = \(bind: hash)"))
        guard let row = rows.first else { return nil }
        let expires = try row.decode(column: "expires", as: String.self)
        let now = Date()
        if expires < Timestamp.format(now) { return nil }
        // Sliding expiry, written at most once per half period.
        if expires < Timestamp.format(now.addingTimeInterval(Authenticator.sessionSeconds / 2)) {
            try await database.run(SQLQueryString(
                "UPDATE sessions SET expires = \(bind: Timestamp.format(now.addingTimeInterval(Authenticator.sessionSeconds))) WHERE key_hash = \(bind: hash)"))
        }
        return try await loadUser(id: try row.decode(column: "user_id", as: Int.self))
    }

    /// Starts a session; returns the cookie value.
    func createSession(userID: Int) async throws -> String {
        let key = SecretBox.randomToken(bytes: 24)
        let now = Date()
        try await database.run(SQLQueryString("""
            INSERT INTO sessions (key_hash, user_id, expires, created) VALUES (\(bind: secrets.tokenHash("session:" + key)),
            \(bind: userID), \(bind: Timestamp.format(now.addingTimeInterval(Authenticator.sessionSeconds))), \(bind: Timestamp.format(now)))
            """))
        try await database.run(SQLQueryString("UPDATE users SET last_login = \(bind: Timestamp.format(now)) WHERE id = \(bind: userID)"))
        return key
    }

    func endSession(_ key: String) async throws {
        try await database.run(SQLQueryString("DELETE FROM sessions WHERE key_hash = \(bind: secrets.tokenHash("session:" + key))"))
    }

    func loadUser(id: Int) async throws -> AuthenticatedUser? {
        let rows = try await database.all(SQLQueryString(
            "SELECT id, username, is_superuser, is_system_auditor FROM users WHERE id = \(bind: id)"))
        guard let row = rows.first else { return nil }
        return AuthenticatedUser(id: try row.decode(column: "id", as: Int.self),
                                 username: try row.decode(column: "username", as: String.self),
                                 isSuperuser: try row.decode(column: "is_superuser", as: Bool.self),
                                 isSystemAuditor: try row.decode(column: "is_system_auditor", as: Bool.self))
    }
}
