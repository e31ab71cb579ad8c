import Foundation
import Hummingbird
import HummingbirdCore
import HTTPTypes
import HummingbirdWebSocket
import NIOCore
import TroupeClient

/// A small in-memory stand-in for the controller, serving the parts of AWX's v2 API the client
/// uses (pagination, filters, named URLs, AWX error bodies, launch/events/stdout/cancel/relaunch,
/// ad hoc commands) on a loopback port. It exists for what a real server cannot be made to do
/// on demand (answer 503, count requests), and until the controller branch serves jobs.
final class FakeController: Sendable {
    static let adminToken = "admin-token"
    static let readOnlyToken = "read-only-token"

    let state: FakeState
    let port: Int
    private let task: Task<Void, Error>

    var url: String { "http://127.0.0.1:\(port)" }

    private init(state: FakeState, port: Int, task: Task<Void, Error>) {
        self.state = state
        self.port = port
        self.task = task
    }

    /// Starts on a free loopback port. `eventStream: false` serves no `<job>/stream/` (AWX has
    /// none), `webSocket: false` no `/websocket/`; with neither, clients must poll.
    static func start(webSocket: Bool = true, eventStream: Bool = true) async throws -> FakeController {
        let state = FakeState(servesEventStream: eventStream)
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            let app = Application(
                responder: FakeResponder(state: state),
                server: webSocket ? FakeWebSocket.server(state: state) : .http1(),
                configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in
                    portContinuation.yield(channel.localAddress?.port ?? 0)
                    portContinuation.finish()
                }
            )
            try await app.runService(gracefulShutdownSignals: [])
        }
        var port = 0
        for await bound in portStream { port = bound }
        return FakeController(state: state, port: port, task: task)
    }

    func stop() async {
        await state.closeSubscribers()
        task.cancel()
        _ = await task.result
    }

    /// A connection to this server. The long timeout is for `make test`, where eight builds
    /// and every test's server share two cores.
    func api(token: String = FakeController.adminToken, options: ServerOptions = ServerOptions(timeout: 120)) throws -> ServerAPI {
        try ServerAPI(url: url, apiKey: token, options: options)
    }
}

/// Runs a test body against a fresh fake controller and stops it afterwards.
func withFakeController(webSocket: Bool = true, eventStream: Bool = true,
                        _ body: (FakeController) async throws -> Void) async throws {
    let server = try await FakeController.start(webSocket: webSocket, eventStream: eventStream)
    do {
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

struct FakeRequest: Sendable {
    let method: String
    let path: String
    let query: [(String, String)]
    let authorization: String?
    let contentType: String?
    let body: Data

    func queryValue(_ name: String) -> String? { query.last { $0.0 == name }?.1 }
}

struct FakeResponse: Sendable {
    var status: Int
    var body: Data
    var contentType = "application/json"
    var headers: [(String, String)] = []

    static func json(_ status: Int, _ value: JSONValue) -> FakeResponse {
        FakeResponse(status: status, body: Data(value.jsonString().utf8))
    }

    static func detail(_ status: Int, _ text: String) -> FakeResponse {
        .json(status, ["detail": .string(text)])
    }
}

struct FakeResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let state: FakeState

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 22)
        var query: [(String, String)] = []
        if let text = request.uri.query {
            for pair in text.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                let decode = { (text: String) in
                    text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text
                }
                query.append((decode(parts[0]), parts.count > 1 ? decode(parts[1]) : ""))
            }
        }
        let fake = FakeRequest(
            method: request.method.rawValue, path: request.uri.path, query: query,
            authorization: request.headers[.authorization], contentType: request.headers[.contentType],
            body: Data(body.readableBytesView))
        if let live = await state.eventStream(fake) {
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                for await text in live { try await writer.write(ByteBuffer(string: text)) }
                try await writer.finish(nil)
            })
        }
        let answer = await state.handle(fake)
        var headers = HTTPFields()
        headers[.contentType] = answer.contentType
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return Response(status: .init(code: answer.status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}
