// Compiled with `-Xswiftc -DTROUPE_JOBS_SQL` only: this file uses the database and HTTP
// layers and has not been compiled yet (the build did not finish before the deadline of
// the session that wrote it). See the jobs report; remove the #if once it builds and its
// tests pass.
#if TROUPE_JOBS_SQL
import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import XCTest
@testable import TroupeController

/// The job routes and `/websocket/` served over HTTP, exercised by real clients: Python's
/// `websockets` for AWX's WebSocket protocol, server-sent events with curl, and the job
/// page in headless chromium.
final class JobsLiveTests: XCTestCase {
    /// A server on a free loopback port with the job routes under /api/v2 and /websocket/.
    private final class LiveServer: @unchecked Sendable {
        let lab: JobsHarness
        let service: JobsService
        private(set) var port = 0
        private var task: Task<Void, Error>?

        init(lab: JobsHarness) {
            self.lab = lab
            service = JobsService(store: lab.store, ingestor: lab.ingestor, dispatcher: lab.dispatcher)
        }

        func start() async throws {
            let router = Router(context: BasicWebSocketRequestContext.self)
            service.mount(on: router.group("api/v2"))
            // Tests authenticate with a session cookie; anything else is anonymous.
            JobsWebSocket.add(to: router, service: service) { request in
                JobsWebSocket.cookie("sessionid", in: request.headers[.cookie]) == "test-session" ? 1 : nil
            }
            let (portStream, portSink) = AsyncStream.makeStream(of: Int.self)
            let app = Application(router: router, server: .http1WebSocketUpgrade(webSocketRouter: router),
                                   configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                   onServerRunning: { channel in portSink.yield(channel.localAddress?.port ?? 0) })
            task = Task { try await app.runService(gracefulShutdownSignals: []) }
            for await value in portStream { port = value; break }
        }

        func stop() { task?.cancel() }
    }

    private func run(_ executable: String, _ arguments: [String], timeout: Double = 60) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testWebSocketSubscriptionSeesStatusAndEveryEvent() async throws {
        let lab = try await JobsHarness()
        let server = LiveServer(lab: lab)
        defer { server.stop(); Task { await lab.close() } }
        try await lab.dispatcher.start()
        try await server.start()
        let spec = try lab.playbook("ws.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - command: sleep 1.5
                - debug: msg=after
            """, hosts: ["alpha", "beta"])
        let script = NSTemporaryDirectory() + "ws-\(UUID().uuidString.prefix(6)).py"
        try """
        import asyncio, json, sys
        import websockets
        async def main(port, job):
            url = f"ws://127.0.0.1:{port}/websocket/"
            async with websockets.connect(url, additional_headers={"Cookie": "sessionid=test-session; csrftoken=tok"}) as ws:
                accept = json.loads(await ws.recv())
                await ws.send(json.dumps({"xrftoken": "wrong", "groups": {"jobs": ["status_changed"]}}))
                denied = json.loads(await ws.recv())
                await ws.send(json.dumps({"xrftoken": "tok", "groups": {"jobs": ["status_changed"], "job_events": [job]}}))
                groups = json.loads(await ws.recv())
                statuses, counters = [], []
                while True:
                    msg = json.loads(await asyncio.wait_for(ws.recv(), 60))
                    if msg.get("group_name") == "jobs" and msg.get("unified_job_id") == job:
                        statuses.append(msg["status"])
                        if msg["status"] in ("successful", "failed", "error", "canceled"):
                            break
                    elif msg.get("group_name") == "job_events":
                        counters.append(msg["counter"])
                print(json.dumps({"accept": accept, "denied": denied, "groups": groups, "statuses": statuses, "counters": counters}))
            async with websockets.connect(url) as anonymous:
                print(json.dumps(json.loads(await anonymous.recv())))
        asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
        """.write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let id = try await lab.launch(spec)
        let (status, output) = try run("/usr/bin/env", ["python3", script, String(server.port), String(id)])
        XCTAssertEqual(status, 0, output)
        let lines = output.split(separator: "\n")
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try XCTUnwrap(lines.first).utf8)) as? [String: Any])
        XCTAssertEqual((result["accept"] as? [String: Any])?["accept"] as? Bool, true)
        XCTAssertEqual((result["denied"] as? [String: Any])?["error"] as? String, "access denied to channel")
        XCTAssertEqual((result["groups"] as? [String: Any])?["groups_current"] as? [String], ["job_events-\(id)", "jobs-status_changed"])
        XCTAssertEqual((result["statuses"] as? [String])?.last, "successful")
        let stored = try await lab.events(id)
        XCTAssertEqual(result["counters"] as? [Int], stored.map(\.counter), "every event arrived once, in order")
        XCTAssertEqual(lines.last, #"{"close": true}"#, "an anonymous socket is closed")
    }

    func testServerSentEventsAndJobPageInChromium() async throws {
        let lab = try await JobsHarness()
        let server = LiveServer(lab: lab)
        defer { server.stop(); Task { await lab.close() } }
        try await lab.dispatcher.start()
        try await server.start()
        let spec = try lab.playbook("page.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - command: sleep 2
                - debug: msg=page-done
            """)
        let id = try await lab.launch(spec)
        try await lab.waitForStatus(id, "running")
        let base = "http://127.0.0.1:\(server.port)/api/v2/jobs/\(id)/"
        // The page while the job runs: the browser renders events as they arrive.
        let (pageStatus, dom) = try run("/usr/bin/chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=8000",
                                                              "--dump-dom", base + "live/"])
        XCTAssertEqual(pageStatus, 0)
        XCTAssertTrue(dom.contains("TASK [command]"), dom)
        XCTAssertTrue(dom.contains("<span class=\"ansi"), "stdout is coloured")
        let (_, sse) = try run("/usr/bin/curl", ["-sN", "--max-time", "30", base + "stream/"])
        let events = sse.components(separatedBy: "event: job_event\n").count - 1
        let stored = try await lab.events(id)
        XCTAssertEqual(events, stored.count)
        XCTAssertTrue(sse.hasSuffix("event: end\ndata: {}\n\n"))
    }

    func testWebhookNotificationsOnStartAndSuccess() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        let received = LaunchLog()
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
            await received.add("\(request.headers[HTTPField.Name("X-Token")!] ?? "") \(object?["status"] as? String ?? "?")")
            return .ok
        }
        let (portStream, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { portSink.yield($0.localAddress?.port ?? 0) })
        let serverTask = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { serverTask.cancel() }
        var port = 0
        for await value in portStream { port = value; break }

        let now = JobClock.now()
        let configuration = #"{"url": "http://127.0.0.1:\#(port)/hook", "http_method": "POST", "headers": {"X-Token": "t1"}}"#
        try await lab.store.database.insert(into: "notification_templates")
            .columns("name", "notification_type", "notification_configuration", "created", "modified")
            .values(["hook", "webhook", configuration, now, now] as [any Encodable & Sendable]).run()
        for event in ["started", "success", "error"] {
            try await lab.store.database.insert(into: "notification_template_links").columns("notification_template_id", "job_template_id", "event")
                .values([1, 42, event] as [any Encodable & Sendable]).run()
        }
        let notifier = JobNotifier(store: lab.store, ingestor: lab.ingestor)
        await notifier.start()
        defer { Task { await notifier.stop() } }
        try await lab.dispatcher.start()
        let spec = try lab.playbook("notify.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n")
        let id = try await lab.launch(spec, templateID: 42)
        _ = try await lab.waitForEnd(id)
        let other = try await lab.launch(spec)  // no template: no notification
        _ = try await lab.waitForEnd(other)
        for _ in 0..<100 where await received.entries.count < 2 { try await Task.sleep(for: .milliseconds(50)) }
        try await Task.sleep(for: .milliseconds(200))
        let entries = await received.entries
        XCTAssertEqual(entries, ["t1 running", "t1 successful"])
        let deliveries = await notifier.deliveries
        XCTAssertEqual(deliveries.map(\.event), ["started", "success"])
        XCTAssertEqual(deliveries.map(\.status), [200, 200])
    }
}
#endif
