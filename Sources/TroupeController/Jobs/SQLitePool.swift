import AsyncKit
import Logging
import NIOCore
import NIOPosix
import SQLiteKit
import SQLKit

/// A pool of SQLite connections (WAL, busy handler) usable as one `SQLDatabase`, so a
/// transaction (`withSession`) gets a connection of its own while other tasks keep
/// querying. Jobs tests and benchmarks open their database with it; the controller's own
/// `Database` wrapper can replace it.
struct SQLitePool: SQLiteDatabase {
    let pool: EventLoopGroupConnectionPool<SQLiteConnectionSource>
    let logger: Logger

    var eventLoop: any EventLoop { pool.eventLoopGroup.any() }

    /// Opens (creating) `path` in WAL mode with up to `connections` connections per event loop.
    static func open(path: String, connections: Int = 4, logger: Logger = Logger(label: "troupe.sqlite")) async throws -> SQLitePool {
        let source = SQLiteConnectionSource(configuration: .init(storage: .file(path: path), enableForeignKeys: false))
        let pool = EventLoopGroupConnectionPool(source: source, maxConnectionsPerEventLoop: connections,
                                                logger: logger, on: MultiThreadedEventLoopGroup.singleton)
        let database = SQLitePool(pool: pool, logger: logger)
        try await database.sql().raw("PRAGMA journal_mode=WAL").run()
        return database
    }

    func shutdown() async throws { try await pool.shutdownAsync() }

    func query(_ query: String, _ binds: [SQLiteData], logger: Logger,
               _ onRow: @escaping @Sendable (SQLiteRow) -> Void) -> EventLoopFuture<Void> {
        pool.withConnection(logger: logger) { $0.query(query, binds, logger: logger, onRow) }
    }

    func withConnection<T>(_ closure: @escaping @Sendable (SQLiteConnection) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        pool.withConnection(logger: logger, closure)
    }
}
