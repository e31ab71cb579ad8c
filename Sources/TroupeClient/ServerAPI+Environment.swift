import Foundation

extension ServerAPI {
    /// Builds a connection from environment variables:
    /// - `TROUPE_SERVER_URL` and `TROUPE_API_KEY` (Troupe's own names), or
    /// - AWX's names, so existing environments work: `CONTROLLER_HOST` with
    ///   `CONTROLLER_OAUTH_TOKEN`, or `CONTROLLER_USERNAME` and `CONTROLLER_PASSWORD`;
    /// - `TROUPE_SERVER_TIMEOUT` (seconds per request), `TROUPE_CA_FILE` (a PEM CA bundle) and `CONTROLLER_VERIFY_SSL=false` (labs only).
    ///
    /// Throws `ClientError.missingEnvironment` naming the first variable that is missing.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       options: ServerOptions = ServerOptions()) throws -> ServerAPI {
        func value(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                return nil
            }
            return value
        }
        var options = options
        if let caFile = value("TROUPE_CA_FILE") { options.caFile = caFile }
        // As ayon_api's AYON_SERVER_TIMEOUT: seconds per request.
        if let timeout = value("TROUPE_SERVER_TIMEOUT").flatMap(TimeInterval.init), timeout > 0 {
            options.timeout = timeout
        }
        if let verify = value("CONTROLLER_VERIFY_SSL")?.lowercased(), ["false", "0", "no", "off"].contains(verify) {
            options.verifyTLS = false
        }
        if let url = value("TROUPE_SERVER_URL") {
            if let token = value("TROUPE_API_KEY") ?? value("CONTROLLER_OAUTH_TOKEN") {
                return try ServerAPI(url: url, apiKey: token, options: options)
            }
            if let username = value("CONTROLLER_USERNAME"), let password = value("CONTROLLER_PASSWORD") {
                return try ServerAPI(url: url, username: username, password: password, options: options)
            }
            throw ClientError.missingEnvironment("TROUPE_API_KEY")
        }
        if let host = value("CONTROLLER_HOST") {
            // awxkit accepts a bare host name and assumes https.
            let url = host.contains("://") ? host : "https://\(host)"
            if let token = value("CONTROLLER_OAUTH_TOKEN") ?? value("TROUPE_API_KEY") {
                return try ServerAPI(url: url, apiKey: token, options: options)
            }
            guard let username = value("CONTROLLER_USERNAME") else {
                throw ClientError.missingEnvironment("CONTROLLER_OAUTH_TOKEN")
            }
            guard let password = value("CONTROLLER_PASSWORD") else {
                throw ClientError.missingEnvironment("CONTROLLER_PASSWORD")
            }
            return try ServerAPI(url: url, username: username, password: password, options: options)
        }
        throw ClientError.missingEnvironment("TROUPE_SERVER_URL")
    }

    /// The process-wide default connection (ayon_api's `get_server_api_connection()`),
    /// created from the environment on first use.
    public static func connection() throws -> ServerAPI {
        try DefaultConnection.shared.get()
    }

    /// Replaces the default connection (nil: the next `connection()` reads the environment again).
    public static func setConnection(_ connection: ServerAPI?) {
        DefaultConnection.shared.set(connection)
    }

    /// Whether the default connection exists yet.
    public static var isConnectionCreated: Bool { DefaultConnection.shared.isCreated }
}

/// Owner of the process-wide default connection.
private final class DefaultConnection: @unchecked Sendable {
    static let shared = DefaultConnection()

    // Guards `connection`; every access goes through `lock`.
    private let lock = NSLock()
    private var connection: ServerAPI?

    func get() throws -> ServerAPI {
        lock.lock()
        defer { lock.unlock() }
        if let connection { return connection }
        let created = try ServerAPI.fromEnvironment()
        connection = created
        return created
    }

    func set(_ newValue: ServerAPI?) {
        lock.lock()
        connection = newValue
        lock.unlock()
    }

    var isCreated: Bool {
        lock.lock()
        defer { lock.unlock() }
        return connection != nil
    }
}
