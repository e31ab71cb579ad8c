import ArgumentParser
import Foundation
import TroupeController

/// `troupe-server` (also started as `troupe serve`): the AWX-compatible controller.
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
        """,
        version: TroupeControllerVersion.version)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8013
    @Option(name: .customLong("data-dir"), help: "Data directory (default $XDG_DATA_HOME/troupe or ~/.local/share/troupe).")
    var dataDirectory: String?
    @Option(help: "Database URL: postgres://user:password@host:port/db (default: SQLite DATA_DIR/troupe.db).")
    var database: String?
    @Option(name: .customLong("node-name"), help: "This node's name (default: the host name).") var nodeName: String?

    func run() async throws { try await serve() }

    func serve() async throws {
        var configuration = ControllerConfiguration(host: host, port: port)
        if let dataDirectory { configuration.dataDirectory = URL(fileURLWithPath: dataDirectory) }
        configuration.databaseURL = database
        if let nodeName { configuration.nodeName = nodeName }
        let controller: Controller
        do {
            controller = try await Controller.prepare(configuration)
        } catch {
            FileHandle.standardError.write(Data("troupe-server: \(error)\n".utf8))
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

// Parse and run explicitly: `await TroupeServer.main()` in top-level code picks the
// synchronous `ParsableCommand.main()` on Linux, which refuses to run an async command.
do {
    let command = try TroupeServer.parse()
    try await command.serve()
} catch {
    TroupeServer.exit(withError: error)
}
