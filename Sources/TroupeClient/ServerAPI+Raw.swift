import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// An explicit request for the `raw` verbs: nothing is added except authentication.
public struct RawRequest: Sendable {
    public var headers: [(name: String, value: String)]
    /// Query parameters in order; a name may repeat (`or__status=failed&or__status=error`).
    public var query: [(name: String, value: String)]
    public var body: Data?
    /// Sent as `Content-Type` when there is a body.
    public var contentType: String?
    /// Overrides the connection's timeout for this request (seconds).
    public var timeout: TimeInterval?

    public init(headers: [(name: String, value: String)] = [], query: [(name: String, value: String)] = [],
                body: Data? = nil, contentType: String? = nil, timeout: TimeInterval? = nil) {
        self.headers = headers
        self.query = query
        self.body = body
        self.contentType = contentType
        self.timeout = timeout
    }
}

/// What the server answered, untouched. The `raw` verbs return it whatever the status.
public struct RawResponse: Sendable {
    public let status: Int
    public let headers: [(name: String, value: String)]
    public let body: Data
    /// The request this answers, for error messages.
    public let method: String
    public let path: String

    /// The first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON (`null` when empty).
    public func json() throws -> JSONValue {
        do {
            return try JSONValue.parse(body)
        } catch {
            throw ClientError.invalidResponse(method: method, path: path,
                                              reason: "status \(status), body is not JSON: \(text.prefix(200))")
        }
    }

    /// Throws `ServerError` unless the status is 2xx.
    public func checked() throws -> RawResponse {
        if isSuccess { return self }
        throw ServerError(response: self)
    }
}

extension ServerAPI {
    public func rawGet(_ path: String, _ request: RawRequest = RawRequest()) async throws -> RawResponse {
        try await send("GET", path, request)
    }

    public func rawPost(_ path: String, _ request: RawRequest = RawRequest()) async throws -> RawResponse {
        try await send("POST", path, request)
    }

    public func rawPut(_ path: String, _ request: RawRequest = RawRequest()) async throws -> RawResponse {
        try await send("PUT", path, request)
    }

    public func rawPatch(_ path: String, _ request: RawRequest = RawRequest()) async throws -> RawResponse {
        try await send("PATCH", path, request)
    }

    public func rawDelete(_ path: String, _ request: RawRequest = RawRequest()) async throws -> RawResponse {
        try await send("DELETE", path, request)
    }

    /// Any method (OPTIONS, HEAD, …) through the same path handling, retries and authentication.
    public func rawRequest(_ method: String, _ path: String, _ request: RawRequest = RawRequest()) async throws
        -> RawResponse
    {
        try await send(method.uppercased(), path, request)
    }

    /// The full URL and the path (with query) the server will see for `path`:
    /// - `jobs`, `jobs/5` → `/api/v2/jobs/`, `/api/v2/jobs/5/` (relative to the API root);
    /// - `/api/v2/jobs/?page=2` → as is (absolute, e.g. a `next` link);
    /// - `https://host/api/v2/…` → as is.
    /// A trailing slash is added to the path when missing, so the server never has to redirect.
    public func resolve(_ path: String, query: [(name: String, value: String)] = []) -> (url: String, path: String) {
        var target = path
        var prefix = baseURL
        if let schemeRange = target.range(of: "://") {
            // A full URL: keep its origin, normalise its path like any other.
            let afterScheme = target[schemeRange.upperBound...]
            let pathStart = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
            prefix = String(target[..<pathStart])
            target = String(target[pathStart...])
        }
        var existingQuery = ""
        if let questionMark = target.firstIndex(of: "?") {
            existingQuery = String(target[target.index(after: questionMark)...])
            target = String(target[..<questionMark])
        }
        if !target.hasPrefix("/") {
            target = apiRoot + target
        }
        if !target.hasSuffix("/") { target += "/" }
        var queryParts = existingQuery.isEmpty ? [] : [existingQuery]
        queryParts += query.map { "\(Self.percentEncode($0.name))=\(Self.percentEncode($0.value))" }
        let fullPath = queryParts.isEmpty ? target : target + "?" + queryParts.joined(separator: "&")
        return (prefix + fullPath, fullPath)
    }

    static func percentEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: queryAllowed) ?? text
    }

    private static let queryAllowed: CharacterSet = {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~,")
        return allowed
    }()

    /// Sends one request with retries: connection errors and 502/503/504 are retried with
    /// exponential backoff (a `Retry-After` in seconds is honoured up to `maxBackoff`); other
    /// statuses come back as they are. Errors after the request may have reached the server
    /// (a reset, a timeout) are retried only for idempotent methods, so a POST never runs twice.
    func send(_ method: String, _ path: String, _ request: RawRequest) async throws -> RawResponse {
        let (url, fullPath) = resolve(path, query: request.query)
        var httpRequest = HTTPClientRequest(url: url)
        httpRequest.method = HTTPMethod(rawValue: method)
        httpRequest.headers.add(name: "User-Agent", value: "TroupeClient/\(TroupeClientVersion.version)")
        httpRequest.headers.add(name: "Accept", value: "application/json")
        if let credentials { httpRequest.headers.add(name: "Authorization", value: credentials.authorizationHeader) }
        for header in request.headers {
            httpRequest.headers.replaceOrAdd(name: header.name, value: header.value)
        }
        if let body = request.body {
            if let contentType = request.contentType {
                httpRequest.headers.replaceOrAdd(name: "Content-Type", value: contentType)
            }
            httpRequest.body = .bytes(ByteBuffer(bytes: body))
        }
        let timeout = request.timeout ?? options.timeout
        let attempts = max(1, options.maxAttempts)
        let idempotent = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"].contains(method)
        var pause = options.backoff
        var attempt = 1
        while true {
            do {
                let response = try await httpClient.execute(httpRequest, timeout: .milliseconds(Int64(timeout * 1000)))
                let status = Int(response.status.code)
                let body = try await response.body.collect(upTo: Int.max)
                let headers = response.headers.map { (name: $0.name, value: $0.value) }
                let raw = RawResponse(status: status, headers: headers, body: Data(body.readableBytesView),
                                      method: method, path: fullPath)
                guard [502, 503, 504].contains(status), attempt < attempts else { return raw }
                var wait = pause
                if let retryAfter = raw.header("Retry-After").flatMap(TimeInterval.init) {
                    wait = min(max(retryAfter, 0), options.maxBackoff)
                }
                try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
            } catch let error where !(error is CancellationError) {
                let retryable = Self.isConnectError(error) || (idempotent && Self.isTransportError(error))
                guard retryable, attempt < attempts else {
                    if Self.isConnectError(error) || Self.isTransportError(error) {
                        throw ClientError.unreachable(method: method, url: url, attempts: attempt,
                                                      reason: String(describing: error))
                    }
                    throw error
                }
                try await Task.sleep(nanoseconds: UInt64(pause * 1_000_000_000))
            }
            attempt += 1
            pause = min(pause * 2, options.maxBackoff)
        }
    }

    /// The request never reached the server: safe to retry whatever the method.
    static func isConnectError(_ error: Error) -> Bool {
        if let error = error as? HTTPClientError, error == .connectTimeout { return true }
        if error is NIOConnectionError { return true }
        if let error = error as? IOError {
            return [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL].contains(error.errnoCode)
        }
        return false
    }

    /// The connection failed while the request may have been processed.
    static func isTransportError(_ error: Error) -> Bool {
        if let error = error as? HTTPClientError {
            return [.remoteConnectionClosed, .readTimeout, .deadlineExceeded, .connectTimeout].contains(error)
        }
        if error is IOError || error is ChannelError { return true }
        return false
    }
}
