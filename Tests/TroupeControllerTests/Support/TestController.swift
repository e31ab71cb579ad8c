import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import TroupeController

/// An in-process controller on a random loopback port with a temporary data dir, on
/// SQLite or on a fresh database of the shared `PostgresTestServer`.
final class TestController: @unchecked Sendable {
    enum Engine: String, CaseIterable, Sendable { case sqlite, postgres }

    static let adminPassword = "admin-secret-1"
    let controller: Controller
    let port: Int
    let dataDirectory: URL
    private let task: Task<Void, any Error>
    let http = TestHTTP()

    var baseURL: String { "http://127.0.0.1:\(port)" }

    static func start(_ engine: Engine = .sqlite, prepareDataDirectory: ((URL) throws -> Void)? = nil) async throws -> TestController {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-ctl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try prepareDataDirectory?(directory)
        var configuration = ControllerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory, nodeName: "test-node",
                                                    adminPassword: adminPassword)
        if engine == .postgres { configuration.databaseURL = try await PostgresTestServer.shared.freshDatabase() }
        let controller = try await Controller.prepare(configuration)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let task = Task {
            try await controller.run { port in continuation.yield(port); continuation.finish() }
        }
        var port = 0
        for await bound in stream { port = bound }
        return TestController(controller: controller, port: port, dataDirectory: directory, task: task)
    }

    private init(controller: Controller, port: Int, dataDirectory: URL, task: Task<Void, any Error>) {
        self.controller = controller
        self.port = port
        self.dataDirectory = dataDirectory
        self.task = task
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
        await controller.shutdown()
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    struct Reply: Sendable {
        let status: Int
        let headers: [(String, String)]
        let body: String
        var json: JSON { (try? JSONParser.parse(body)) ?? .null }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        func headerValues(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }
    }

    enum Auth: Sendable {
        case none
        case basic(String, String)
        case bearer(String)
        case headers([(String, String)])
    }

    static var admin: Auth { .basic("admin", adminPassword) }

    /// One request; `body` is sent as JSON unless `contentType` says otherwise.
    func request(_ method: String, _ path: String, auth: Auth = TestController.admin, body: String? = nil,
                 json: JSON? = nil, contentType: String? = "application/json", accept: String? = nil) async throws -> Reply {
        var headers: [(String, String)] = []
        switch auth {
        case .none: break
        case .basic(let user, let password):
            headers.append(("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()))
        case .bearer(let token): headers.append(("Authorization", "Bearer \(token)"))
        case .headers(let pairs): headers += pairs
        }
        if let accept { headers.append(("Accept", accept)) }
        let payload = json?.serialized() ?? body
        if payload != nil, let contentType { headers.append(("Content-Type", contentType)) }
        return try await http.send(method: method, url: baseURL + path, headers: headers, body: payload.map { Data($0.utf8) })
    }

    func get(_ path: String, auth: Auth = TestController.admin) async throws -> Reply { try await request("GET", path, auth: auth) }

    /// POST that must answer 201; returns the new object's id.
    @discardableResult
    func create(_ path: String, _ json: JSON, auth: Auth = TestController.admin) async throws -> Int {
        let reply = try await request("POST", path, auth: auth, json: json)
        guard reply.status == 201, let id = reply.json["id"]?.intValue else {
            throw TestFailure("POST \(path) \(json.serialized()) → \(reply.status) \(reply.body)")
        }
        return id
    }

    /// Makes a user with a password; returns its id.
    @discardableResult
    func makeUser(_ username: String, password: String = "pw-\(UUID().uuidString.prefix(8))", superuser: Bool = false, auditor: Bool = false) async throws -> Int {
        try await create("/api/v2/users/", ["username": .string(username), "password": .string(password),
                                            "is_superuser": .bool(superuser), "is_system_auditor": .bool(auditor)])
    }

    /// A project directory with a playbook under the project root.
    func makeProjectDirectory(_ name: String, playbook: String = "site.yml") throws {
        let directory = controller.configuration.projectsDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "- hosts: all\n  tasks:\n    - ping:\n".write(to: directory.appendingPathComponent(playbook), atomically: true, encoding: .utf8)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` against a fresh controller and always stops it.
func withController(_ engine: TestController.Engine = .sqlite, _ body: (TestController) async throws -> Void) async throws {
    let server = try await TestController.start(engine)
    do {
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

/// HTTP for the tests over URLSession, without following redirects (the 301/302 are what
/// the tests look at).
final class TestHTTP: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    private lazy var session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.timeoutIntervalForRequest = 120
        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }()
    private let lock = NSLock()

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    func send(method: String, url: String, headers: [(String, String)], body: Data?) async throws -> TestController.Reply {
        guard let target = URL(string: url) else { throw TestFailure("bad URL \(url)") }
        var request = URLRequest(url: target)
        request.httpMethod = method
        for (name, value) in headers { request.addValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let session = lock.withLock { self.session }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestFailure("no HTTP response for \(url)") }
        var pairs: [(String, String)] = []
        for (key, value) in http.allHeaderFields {
            let name = "\(key)", text = "\(value)"
            // URLSession folds repeated headers into one comma-separated value; Set-Cookie stays splittable.
            if name.lowercased() == "set-cookie" {
                for cookie in text.components(separatedBy: ", ") where cookie.contains("=") { pairs.append((name, cookie)) }
            } else {
                pairs.append((name, text))
            }
        }
        return TestController.Reply(status: http.statusCode, headers: pairs, body: String(decoding: data, as: UTF8.self))
    }
}
