import Foundation
@testable import TroupeController

/// A throwaway PostgreSQL 15 for the tests: `initdb` into a temp dir, `postgres` on a free
/// loopback port (as the `postgres` user when the suite runs as root, since PostgreSQL
/// refuses to run as root), one fresh database per test, stopped when the process exits.
actor PostgresTestServer {
    static let shared = PostgresTestServer()
    static let binaries = "/usr/lib/postgresql/15/bin"

    private var port: Int?
    private var counter = 0

    enum Failure: Error, CustomStringConvertible {
        case unavailable(String)
        var description: String { if case .unavailable(let why) = self { return "PostgreSQL test server: \(why)" }; return "" }
    }

    /// A URL for a new empty database.
    func freshDatabase() async throws -> String {
        let port = try await ensureStarted()
        counter += 1
        let name = "troupe_test_\(ProcessInfo.processInfo.processIdentifier)_\(counter)"
        let admin = try await Database.open(url: "postgres://troupe@127.0.0.1:\(port)/postgres?sslmode=disable", sqlitePath: "")
        do {
            try await admin.run(SQLFragment("CREATE DATABASE \(name)"))
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
        return "postgres://troupe@127.0.0.1:\(port)/\(name)?sslmode=disable"
    }

    private func ensureStarted() async throws -> Int {
        if let port { return port }
        guard FileManager.default.isExecutableFile(atPath: "\(PostgresTestServer.binaries)/initdb") else {
            throw Failure.unavailable("\(PostgresTestServer.binaries)/initdb not found; run scripts/install-deps.sh (Debian package postgresql)")
        }
        let directory = "/tmp/troupe-pg-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        if asRoot { try run("/bin/chown", ["postgres:postgres", directory]) }
        let dataDirectory = directory + "/data"
        try run("\(PostgresTestServer.binaries)/initdb", ["-D", dataDirectory, "-U", "troupe", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgres: asRoot)
        let port = PostgresTestServer.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: asRoot ? "/usr/sbin/runuser" : "\(PostgresTestServer.binaries)/postgres")
        let arguments = ["-D", dataDirectory, "-p", String(port), "-h", "127.0.0.1", "-k", directory,
                         "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"]
        process.arguments = asRoot ? ["-u", "postgres", "--", "\(PostgresTestServer.binaries)/postgres"] + arguments : arguments
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        PostgresTestServer.registerCleanup(pid: process.processIdentifier, directory: directory)
        try PostgresTestServer.startWatchdog(directory: directory)
        // Wait until it accepts connections.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let database = try? await Database.open(url: "postgres://troupe@127.0.0.1:\(port)/postgres?sslmode=disable", sqlitePath: "") {
                await database.shutdown()
                self.port = port
                return port
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        throw Failure.unavailable("postgres did not start on port \(port)")
    }

    private func run(_ executable: String, _ arguments: [String], asPostgres: Bool = false) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: asPostgres ? "/usr/sbin/runuser" : executable)
        process.arguments = asPostgres ? ["-u", "postgres", "--", executable] + arguments : arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            throw Failure.unavailable("\(executable) failed: \(String(decoding: data, as: UTF8.self))")
        }
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `atexit` does not run when the test process is killed or dies of a signal: a small
    /// shell outside it waits for this process to go, then stops the server (SIGQUIT is
    /// PostgreSQL's immediate shutdown) and removes its directory. Its output goes nowhere,
    /// so it never holds the test run's pipes open.
    static func startWatchdog(directory: String) throws {
        let script = """
            while kill -0 \(ProcessInfo.processInfo.processIdentifier) 2>/dev/null; do sleep 1; done
            pid=$(head -n 1 "$1/data/postmaster.pid" 2>/dev/null) && kill -QUIT "$pid" 2>/dev/null
            sleep 1; rm -rf "$1"
            """
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", script, "troupe-pg-watchdog", directory]
        watchdog.standardInput = FileHandle.nullDevice
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
    }

    nonisolated(unsafe) static var cleanupPID: Int32 = 0
    nonisolated(unsafe) static var cleanupDirectory: String = ""

    static func registerCleanup(pid: Int32, directory: String) {
        cleanupPID = pid
        cleanupDirectory = directory
        atexit {
            // runuser forwards the signal to postgres; SIGQUIT is PostgreSQL's immediate shutdown.
            if PostgresTestServer.cleanupPID > 0 {
                kill(PostgresTestServer.cleanupPID, SIGTERM)
                usleep(300_000)
                let pidFile = PostgresTestServer.cleanupDirectory + "/data/postmaster.pid"
                if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let first = text.split(separator: "\n").first, let pid = Int32(first) {
                    kill(pid, SIGQUIT)
                    usleep(300_000)
                }
                try? FileManager.default.removeItem(atPath: PostgresTestServer.cleanupDirectory)
            }
        }
    }
}
