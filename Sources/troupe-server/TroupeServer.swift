import ArgumentParser
import Foundation
import TroupeController

/// `troupe-server` (also started as `troupe serve`): the AWX-compatible controller.
/// `@main` rather than a top-level `await TroupeServer.main()` in main.swift: the latter
/// resolves to the synchronous `ParsableCommand.main()`, which refuses async commands.
@main
struct TroupeServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "troupe-server",
        abstract: "Serve the Troupe controller: an AWX v2-compatible REST API.",
        discussion: """
        On first start the superuser `admin` is created. Its password is taken from the
        TROUPE_ADMIN_PASSWORD environment variable; without it a password is generated and
        printed once. Secrets are encrypted with the key in DATA_DIR/secret.key (created
        0600) or TROUPE_SECRET_KEY.

        Examples:
          troupe serve                                    # SQLite in ~/.local/share/troupe
          troupe serve --port 8013 --data-dir /srv/troupe
          troupe serve --database postgres://troupe:pw@db/troupe

        Several nodes (PostgreSQL only; SQLite serves one node):
          troupe serve --database postgres://… --node web1 --node-type control
          troupe serve --database postgres://… --node exec1 --node-type execution --capacity 16
        Each option also reads an environment variable: TROUPE_DATABASE, TROUPE_NODE,
        TROUPE_NODE_TYPE, TROUPE_CAPACITY, TROUPE_HEARTBEAT_INTERVAL, TROUPE_NODE_LOST_AFTER.
        """,
        version: TroupeControllerVersion.version)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8013
    @Option(name: .customLong("data-dir"), help: "Data directory (default $XDG_DATA_HOME/troupe or ~/.local/share/troupe).")
    var dataDirectory: String?
    @Option(help: "Database URL: postgres://user:password@host:port/db (default: SQLite DATA_DIR/troupe.db).")
    var database: String?
    @Option(name: [.customLong("node"), .customLong("node-name")], help: "This node's name in `instances` (default: the host name).")
    var nodeName: String?
    @Option(name: .customLong("node-type"), help: "hybrid (API and jobs, the default), control (API only) or execution (jobs).")
    var nodeType: String?
    @Option(help: "Forks this node runs at once (default: AWX's figure from cores and memory).") var capacity: Int?
    @Option(name: .customLong("heartbeat-interval"), help: "Seconds between this node's heartbeats (default 10).")
    var heartbeatInterval: Double?
    @Option(name: .customLong("node-lost-after"), help: "Seconds without a heartbeat after which a node is lost and its jobs end as error (default 60).")
    var nodeLostAfter: Double?

    func run() async throws { try await serve() }

    struct OptionError: Error, CustomStringConvertible {
        let description: String
    }

    /// The cluster options, each from its flag or else its environment variable.
    func apply(to configuration: inout ControllerConfiguration, environment: [String: String]) throws {
        func value(_ flag: String?, _ variable: String) -> String? {
            if let flag { return flag }
            if let text = environment[variable], !text.isEmpty { return text }
            return nil
        }
        configuration.databaseURL = value(database, "TROUPE_DATABASE")
        if let name = value(nodeName, "TROUPE_NODE") {
            guard !name.isEmpty, name.count <= 250, !name.contains(where: { $0.isWhitespace }) else {
                throw OptionError(description: "--node: a node name is 1 to 250 characters without spaces, not '\(name)'")
            }
            configuration.nodeName = name
        }
        if let text = value(nodeType, "TROUPE_NODE_TYPE") {
            guard let type = ControllerConfiguration.NodeType(rawValue: text) else {
                throw OptionError(description: "--node-type: '\(text)' is not one of hybrid, control, execution")
            }
            configuration.nodeType = type
        }
        if let text = value(capacity.map(String.init), "TROUPE_CAPACITY") {
            guard let forks = Int(text), forks >= 0 else { throw OptionError(description: "--capacity: '\(text)' is not a number of forks (0 or more)") }
            configuration.capacity = forks
        }
        func seconds(_ flag: Double?, _ variable: String, _ option: String) throws -> Duration? {
            guard let text = value(flag.map { String($0) }, variable) else { return nil }
            guard let number = Double(text), number > 0, number < 86_400 else {
                throw OptionError(description: "\(option): '\(text)' is not a number of seconds above 0")
            }
            return .milliseconds(Int64(number * 1000))
        }
        if let interval = try seconds(heartbeatInterval, "TROUPE_HEARTBEAT_INTERVAL", "--heartbeat-interval") {
            configuration.heartbeatInterval = interval
        }
        if let lost = try seconds(nodeLostAfter, "TROUPE_NODE_LOST_AFTER", "--node-lost-after") { configuration.nodeLostAfter = lost }
        guard configuration.nodeLostAfter > configuration.heartbeatInterval else {
            throw OptionError(description: "--node-lost-after (\(configuration.nodeLostAfter)) must be longer than --heartbeat-interval (\(configuration.heartbeatInterval))")
        }
    }

    func serve() async throws {
        var configuration = ControllerConfiguration(host: host, port: port)
        if let dataDirectory { configuration.dataDirectory = URL(fileURLWithPath: dataDirectory) }
        do {
            try apply(to: &configuration, environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("troupe-server: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let controller: Controller
        do {
            controller = try await Controller.prepare(configuration)
        } catch {
            // PostgresNIO's errors print a placeholder; their reflection carries the server's message.
            let text = "\(error)".hasPrefix("PSQLError") ? String(reflecting: error) : "\(error)"
            FileHandle.standardError.write(Data("troupe-server: \(text)\n".utf8))
            throw ExitCode(1)
        }
        if let password = controller.generatedAdminPassword {
            print("Created superuser 'admin' with password: \(password)")
            print("(shown once; set TROUPE_ADMIN_PASSWORD before the first start to choose it)")
        }
        let started = configuration
        try await controller.run(handlingSignals: true) { port in
            print("troupe-server listening on http://\(started.host):\(port)/api/ (data: \(started.dataDirectory.path), database: \(controller.database.engine.rawValue))")
            fflush(nil)
        }
        await controller.shutdown()
    }
}
