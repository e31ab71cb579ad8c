import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// How a connection authenticates: an OAuth2 token sent as `Bearer`, or HTTP basic.
public enum ServerCredentials: Sendable, Hashable {
    case apiKey(String)
    case basic(username: String, password: String)

    var authorizationHeader: String {
        switch self {
        case .apiKey(let token):
            return "Bearer \(token)"
        case .basic(let username, let password):
            return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        }
    }
}

/// Per-connection behaviour. The defaults follow ayon_api: 10 s timeout, 3 tries.
public struct ServerOptions: Sendable {
    /// Deadline for one request (connect, send, receive), in seconds.
    public var timeout: TimeInterval
    /// Tries per request on connection errors and 502/503/504 (at least 1).
    public var maxAttempts: Int
    /// First pause between tries; it doubles on each retry, capped at `maxBackoff`.
    public var backoff: TimeInterval
    public var maxBackoff: TimeInterval
    /// Verify the server's TLS certificate. On by default; turning it off is for labs only.
    public var verifyTLS: Bool
    /// A PEM file of extra trusted CA certificates (a private CA), used instead of the system roots.
    public var caFile: String?

    public init(timeout: TimeInterval = 10, maxAttempts: Int = 3, backoff: TimeInterval = 0.2,
                maxBackoff: TimeInterval = 5, verifyTLS: Bool = true, caFile: String? = nil) {
        self.timeout = timeout
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.maxBackoff = maxBackoff
        self.verifyTLS = verifyTLS
        self.caFile = caFile
    }
}

/// A connection to a Troupe (or AWX) controller, modelled on ayon_api's `ServerAPI`:
/// one method per HTTP verb that takes the body or query as arguments (`get`, `post`, …),
/// a `raw` variant of each that passes the request through untouched (`rawGet`, …), and
/// high-level helpers on top (`list`, `launch`, `Job.wait`, …).
///
/// Connections are cheap and `Sendable`; share one across tasks. `ServerAPI.connection()`
/// is the process-wide default, created lazily from the environment.
public final class ServerAPI: Sendable {
    /// `scheme://host[:port][/prefix]` without a trailing slash.
    public let baseURL: String
    public let credentials: ServerCredentials?
    public let options: ServerOptions
    /// Prefix of relative paths: `/api/v2/`.
    public let apiRoot: String

    let httpClient: HTTPClient
    /// Whether this connection created `httpClient` (custom TLS) and must shut it down.
    private let ownsHTTPClient: Bool

    public convenience init(url: String, apiKey: String, options: ServerOptions = ServerOptions()) throws {
        try self.init(url: url, credentials: .apiKey(apiKey), options: options)
    }

    public convenience init(url: String, username: String, password: String,
                            options: ServerOptions = ServerOptions()) throws {
        try self.init(url: url, credentials: .basic(username: username, password: password), options: options)
    }

    public init(url: String, credentials: ServerCredentials?, options: ServerOptions = ServerOptions(),
                apiRoot: String = "/api/v2/") throws {
        var trimmed = url.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty
        else {
            throw ClientError.invalidURL(url)
        }
        self.baseURL = trimmed
        self.credentials = credentials
        self.options = options
        self.apiRoot = apiRoot
        if options.verifyTLS && options.caFile == nil {
            // The shared client verifies certificates against the system roots and needs no shutdown.
            self.httpClient = HTTPClient.shared
            self.ownsHTTPClient = false
        } else {
            if let caFile = options.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                throw ClientError.invalidConfiguration("CA file \(caFile) is not readable")
            }
            var configuration = HTTPClient.Configuration(tlsConfiguration: options.tlsConfiguration())
            configuration.decompression = .enabled(limit: .none)
            self.httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            self.ownsHTTPClient = true
        }
    }

    deinit {
        if ownsHTTPClient {
            // deinit cannot await; the callback form does not block an event loop.
            httpClient.shutdown { _ in }
        }
    }

    /// Shuts down a connection-owned HTTP client (custom CA or verification off). Optional:
    /// connections that use the shared client have nothing to close.
    public func close() async throws {
        if ownsHTTPClient { try await httpClient.shutdown() }
    }
}

/// Errors raised by the client itself (as opposed to `ServerError`, an HTTP error answer).
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `fromEnvironment()` found no value for this variable (nor its AWX-named alternative).
    case missingEnvironment(String)
    case invalidURL(String)
    case invalidConfiguration(String)
    /// The server could not be reached after every try.
    case unreachable(method: String, url: String, attempts: Int, reason: String)
    /// The server answered something that is not what the API promises.
    case invalidResponse(method: String, path: String, reason: String)
    /// A named object does not exist (`launch(jobTemplate: "name")` and friends).
    case notFound(resource: String, identifier: String)
    /// `Job.wait(timeout:)` or an event stream ran out of time.
    case timedOut(String)

    public var description: String {
        switch self {
        case .missingEnvironment(let variable):
            return "environment variable \(variable) is not set"
        case .invalidURL(let url):
            return "invalid server URL '\(url)' (expected http:// or https:// and a host)"
        case .invalidConfiguration(let reason):
            return reason
        case .unreachable(let method, let url, let attempts, let reason):
            return "\(method) \(url): server unreachable after \(attempts) attempt(s): \(reason)"
        case .invalidResponse(let method, let path, let reason):
            return "\(method) \(path): invalid response: \(reason)"
        case .notFound(let resource, let identifier):
            return "\(resource) '\(identifier)' not found"
        case .timedOut(let what):
            return "timed out: \(what)"
        }
    }
}
