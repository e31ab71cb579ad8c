import Foundation
import Hummingbird
import Logging
import NIOCore
import SQLKit

/// One controller node: configuration, storage, secrets and the API router. `prepare`
/// opens and migrates the database and seeds the first start; `run` serves HTTP.
public final class Controller: Sendable {
    public let configuration: ControllerConfiguration
    public let database: Database
    public let secrets: SecretBox
    public let router: APIRouter
    public let logger: Logger
    let authenticator: Authenticator
    /// Set when this start created `admin` with a generated password (printed once).
    public let generatedAdminPassword: String?
    public let installUUID: String
    /// The job machinery of this node (store, event ingestor, dispatcher, API).
    let jobs: JobsService

    public static func prepare(_ configuration: ControllerConfiguration, logger: Logger = Logger(label: "troupe.controller")) async throws -> Controller {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        try fileManager.createDirectory(at: configuration.projectsDirectory, withIntermediateDirectories: true)
        let database = try await Database.open(url: configuration.databaseURL, sqlitePath: configuration.sqlitePath, logger: logger)
        do {
            try await MigrationRunner(database: database).run()
            let secrets = try SecretBox.load(dataDirectory: configuration.dataDirectory)
            let seed = try await Bootstrap(database: database, configuration: configuration).run()
            let router = APIRouter()
            let controller = Controller(configuration: configuration, database: database, secrets: secrets, router: router,
                                        logger: logger, generatedAdminPassword: seed.generatedAdminPassword, installUUID: seed.installUUID)
            controller.registerRoutes()
            router.seal()
            // Recovery (jobs this node left running end `error`), then dispatching.
            try await controller.jobs.start()
            return controller
        } catch {
            await database.shutdown()
            throw error
        }
    }

    private init(configuration: ControllerConfiguration, database: Database, secrets: SecretBox, router: APIRouter,
                 logger: Logger, generatedAdminPassword: String?, installUUID: String) {
        self.configuration = configuration
        self.database = database
        self.secrets = secrets
        self.router = router
        self.logger = logger
        self.authenticator = Authenticator(database: database, secrets: secrets)
        self.generatedAdminPassword = generatedAdminPassword
        self.installUUID = installUUID
        self.jobs = JobsService(database: database, secrets: secrets, node: configuration.nodeName,
                                dataDirectory: configuration.dataDirectory, projectsDirectory: configuration.projectsDirectory,
                                capacity: configuration.capacity, nodeType: configuration.nodeType,
                                heartbeatInterval: configuration.heartbeatInterval, nodeLostAfter: configuration.nodeLostAfter,
                                logger: logger)
    }

    /// Every module's routes. New modules add one line here.
    private func registerRoutes() {
        registerRootRoutes()
        registerAuthRoutes()
        registerResourceRoutes()
        registerJobRoutes()
        registerClusterRoutes()
        registerWorkflowRoutes()
    }

    /// Serves until the task is cancelled (or, with `handlingSignals`, until SIGTERM or
    /// SIGINT, finishing requests in flight); `onStarted` gets the bound port.
    public func run(handlingSignals: Bool = false, onStarted: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(
            responder: ControllerResponder(controller: self),
            server: JobsWebSocket.server(controller: self),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onStarted(channel.localAddress?.port ?? 0) },
            logger: logger)
        if handlingSignals { try await app.runService() } else { try await app.run() }
    }

    public func shutdown() async {
        await jobs.shutdown()
        await database.shutdown()
    }
}
