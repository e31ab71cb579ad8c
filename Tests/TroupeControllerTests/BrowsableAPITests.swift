import Foundation
import Testing
@testable import TroupeController

/// The browsable API in a real headless Chromium, driven over WebDriver (chromedriver):
/// log in through the form, navigate to an object, create one through the raw-data form.
@Suite("Browsable API", .serialized)
struct BrowsableAPITests {
    @Test func renderedPagesWithoutABrowser() async throws {
        try await withController { server in
            let page = try await server.request("GET", "/api/v2/organizations/?format=api")
            #expect(page.status == 200)
            #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(page.body.contains("<textarea id=\"form-content\""))
            let forced = try await server.request("GET", "/api/v2/organizations/?format=json", accept: "text/html")
            #expect(forced.header("Content-Type") == "application/json")
            let accepted = try await server.request("GET", "/api/v2/", accept: "text/html,application/xhtml+xml")
            #expect(accepted.body.contains("<a href=\"/api/v2/hosts/\">/api/v2/hosts/</a>"))
        }
    }

    // Bounded: a stalled Chromium fails the test after three minutes; the cancellation
    // handler then kills chromedriver's process group so no browser outlives the test.
    @Test(.timeLimit(.minutes(3)))
    func loginNavigateAndCreateInChromium() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else {
            throw TestFailure("chromedriver is missing; scripts/install-deps.sh installs Debian's chromium-driver")
        }
        try await withController { server in
            try await server.create("/api/v2/organizations/", ["name": "Existing", "description": "seen in the browser"])
            try await WebDriver.session { driver in
                try await driver.logIn(server, next: "/api/v2/organizations/")
                try await driver.waitFor { $0.contains("Existing") }
                #expect(try await driver.currentURL().hasSuffix("/api/v2/organizations/"))
                // Navigate through a link to the object.
                try await driver.click("a[href='/api/v2/organizations/1/']")
                try await driver.waitFor { $0.contains("seen in the browser") }
                // Create through the form on the list page.
                try await driver.open(server.baseURL + "/api/v2/organizations/")
                try await driver.clear("#form-content")
                try await driver.type("#form-content", "{\"name\": \"MadeInChromium\"}")
                try await driver.click("#form-submit")
                try await driver.waitFor { $0.contains("MadeInChromium") && $0.contains("/api/v2/organizations/2/") }
                #expect(try await server.get("/api/v2/organizations/MadeInChromium/").status == 200)
            }
        }
    }
}

/// A minimal W3C WebDriver client for chromedriver.
final class WebDriver: @unchecked Sendable {
    /// Runs `body` with a fresh Chromium session and always ends it; a cancelled test (its
    /// time limit) kills chromedriver's process group, and no browser may outlive the body.
    static func session(_ body: (WebDriver) async throws -> Void) async throws {
        let driver = try await WebDriver.start()
        try await withTaskCancellationHandler {
            do {
                try await body(driver)
            } catch {
                await driver.stop()
                throw error
            }
            await driver.stop()
            #expect(WebDriver.liveProcesses(inGroup: driver.process.processIdentifier).isEmpty, "Chromium outlived the test")
        } onCancel: {
            driver.killProcessGroup()
        }
    }

    /// Logs in as admin through the login form, which then goes to `next`.
    func logIn(_ server: TestController, next: String) async throws {
        try await open(server.baseURL + "/api/login/?next=" + next)
        try await type("#id_username", "admin")
        try await type("#id_password", TestController.adminPassword)
        try await click("#login-submit")
    }

    let process: Process
    let base: String
    let session: String

    static func start() async throws -> WebDriver {
        let port = PostgresTestServer.freePort()
        let process = Process()
        // Foundation's Process makes the child the leader of its own process group, which
        // every Chromium process inherits: one kill(-pid) reaches them all.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chromedriver")
        process.arguments = ["--port=\(port)"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let base = "http://127.0.0.1:\(port)"
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-chromium-\(UUID().uuidString)").path
        var sessionID: String?
        let capabilities: JSON = ["capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": [
            "binary": "/usr/bin/chromium", "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-crash-reporter",
                     "--no-first-run", .string("--user-data-dir=\(profile)")]]]]]
        var lastError: (any Error)?
        for _ in 0..<100 {
            do {
                let reply = try await WebDriver.call("POST", base + "/session", capabilities)
                sessionID = reply["value"]?["sessionId"]?.stringValue
                break
            } catch {
                lastError = error
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        guard let sessionID else {
            WebDriver.killGroup(of: process)
            try? FileManager.default.removeItem(atPath: profile)
            throw TestFailure("chromedriver did not start a Chromium session: \(lastError.map { "\($0)" } ?? "no session id")")
        }
        return WebDriver(process: process, base: base, session: sessionID, profile: profile)
    }

    let profile: String

    private init(process: Process, base: String, session: String, profile: String) {
        self.process = process
        self.base = base
        self.session = session
        self.profile = profile
    }

    /// One WebDriver command through curl: URLSession on Linux (libcurl underneath) fails
    /// chromedriver's answers with "Failed writing header", so the test speaks through the
    /// curl tool itself, bounded to a minute per command.
    static func call(_ method: String, _ url: String, _ body: JSON? = nil) async throws -> JSON {
        let (status, text) = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Int, String), any Error>) in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
                    process.arguments = ["-sS", "-m", "60", "-X", method, "-H", "Content-Type: application/json",
                                         "--data-binary", body?.serialized() ?? "", "-w", "\n%{http_code}", url]
                    let output = Pipe()
                    process.standardOutput = output
                    process.standardError = FileHandle.nullDevice
                    try process.run()
                    let data = readAllRetryingEINTR(output.fileHandleForReading.fileDescriptor)
                    process.waitUntilExit()
                    let text = String(decoding: data, as: UTF8.self)
                    guard process.terminationStatus == 0, let cut = text.lastIndex(of: "\n"), let status = Int(text[text.index(after: cut)...]) else {
                        throw TestFailure("curl \(method) \(url) failed (\(process.terminationStatus))")
                    }
                    return (status, String(text[..<cut]))
                })
            }
        }
        if status >= 400 { throw TestFailure("WebDriver \(method) \(url) → \(status): \(text.prefix(500))") }
        return try JSONParser.parse(text)
    }

    func command(_ method: String, _ path: String, _ body: JSON? = nil) async throws -> JSON {
        try await WebDriver.call(method, "\(base)/session/\(session)\(path)", body)
    }

    func open(_ url: String) async throws { _ = try await command("POST", "/url", ["url": .string(url)]) }
    func currentURL() async throws -> String { try await command("GET", "/url")["value"]?.stringValue ?? "" }
    func source() async throws -> String { try await command("GET", "/source")["value"]?.stringValue ?? "" }

    func element(_ css: String) async throws -> String {
        let reply = try await command("POST", "/element", ["using": "css selector", "value": .string(css)])
        guard let id = reply["value"]?["element-6066-11e4-a52e-4f735466cecf"]?.stringValue else { throw TestFailure("no element \(css)") }
        return id
    }

    func type(_ css: String, _ text: String) async throws {
        _ = try await command("POST", "/element/\(try await element(css))/value", ["text": .string(text)])
    }

    func clear(_ css: String) async throws { _ = try await command("POST", "/element/\(try await element(css))/clear", .object(JSONObject())) }
    func click(_ css: String) async throws { _ = try await command("POST", "/element/\(try await element(css))/click", .object(JSONObject())) }

    func waitFor(_ condition: (String) -> Bool) async throws {
        for _ in 0..<100 {
            if condition(try await source()) { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw TestFailure("page never matched; last source:\n\(try await source().prefix(2000))")
    }

    /// Ends the session (Chromium quits), then the whole process group, and waits for it.
    func stop() async {
        _ = try? await WebDriver.call("DELETE", "\(base)/session/\(session)")
        WebDriver.killGroup(of: process)
        try? FileManager.default.removeItem(atPath: profile)
    }

    func killProcessGroup() { WebDriver.killGroup(of: process) }

    /// Pids of processes in `group` that are not zombies (a zombie is reaped by init; on
    /// some VMs init never reaps, so zombies must not count as leaks).
    static func liveProcesses(inGroup group: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            // After "pid (comm)": state, ppid, pgrp.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", Int32(fields[2]) == group else { return nil }
            return pid
        }
    }

    /// SIGTERM to the group, SIGKILL after three seconds, then reaps chromedriver.
    static func killGroup(of process: Process) {
        let group = process.processIdentifier
        guard group > 0 else { return }
        kill(-group, SIGTERM)
        for _ in 0..<30 where process.isRunning { usleep(100_000) }
        kill(-group, SIGKILL)
        process.waitUntilExit()
    }
}
