import Foundation
import Testing
import TroupeClient
import TroupeController

/// The real controller, in process, on a free loopback port with a throwaway data dir and
/// SQLite. The client tests that need AWX's exact answers (errors, pagination, named URLs,
/// token scopes) run against it; `FakeController` stays for what a real server cannot be
/// made to do on demand (answer 503, count requests).
final class RealController: Sendable {
    static let adminPassword = "client-admin-1"

    let controller: Controller
    let port: Int
    let dataDirectory: URL
    private let task: Task<Void, any Error>

    var url: String { "http://127.0.0.1:\(port)" }

    static func start() async throws -> RealController {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configuration = ControllerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory,
                                                    nodeName: "client-test", adminPassword: adminPassword)
        let controller = try await Controller.prepare(configuration)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            try await controller.run { port in
                continuation.yield(port)
                continuation.finish()
            }
        }
        var port = 0
        for await bound in ports { port = bound }
        return RealController(controller: controller, port: port, dataDirectory: directory, task: task)
    }

    private init(controller: Controller, port: Int, dataDirectory: URL, task: Task<Void, any Error>) {
        self.controller = controller
        self.port = port
        self.dataDirectory = dataDirectory
        self.task = task
    }

    func stop() async {
        task.cancel()
        _ = await task.result
        await controller.shutdown()
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    /// The admin over Basic authentication; a long timeout because `make test` shares two
    /// cores between the test processes.
    func adminAPI() throws -> ServerAPI {
        try ServerAPI(url: url, username: "admin", password: Self.adminPassword, options: ServerOptions(timeout: 120))
    }

    /// A personal access token of the admin with the given scope (`write` or `read`).
    func adminToken(scope: String) async throws -> String {
        let answer = try await adminAPI().post("users/admin/personal_tokens", ["scope": .string(scope)])
        guard let token = answer["token"]?.stringValue else {
            throw ClientError.invalidResponse(method: "POST", path: "/api/v2/users/admin/personal_tokens/", reason: "no token in \(answer.jsonString())")
        }
        return token
    }
}

/// Runs a test body against a fresh real controller and always stops it.
func withRealController(_ body: (RealController) async throws -> Void) async throws {
    let server = try await RealController.start()
    do {
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}
