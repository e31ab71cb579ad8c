import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// Which SQL engine a `Database` talks to; the few statements that differ branch on it.
public enum DatabaseEngine: String, Sendable {
    case sqlite, postgres
}

/// The controller's one storage handle: a pool of SQLKit connections over SQLite (the
/// embedded default, `DATA_DIR/troupe.db` in WAL mode) or PostgreSQL (`postgres://…`).
/// Every caller gets an `any SQLDatabase`, so queries are written once for both engines.
public final class Database: Sendable {
    public let engine: DatabaseEngine
    /// The `postgres://…` URL (the cluster's LISTEN connection opens its own session); nil on SQLite.
    let postgresURL: String?
    private let pools: Pools
    let logger: Logger

    /// async-kit's pools synchronise themselves with a lock but are not marked Sendable.
    private enum Pools: @unchecked Sendable {
        case sqlite(EventLoopGroupConnectionPool<TroupeSQLiteSource>)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>)
    }

    /// Opens `url` (`postgres://…` or `postgresql://…`), or the SQLite file `sqlitePath`
    /// when `url` is nil or a `sqlite:` path.
    public static func open(url: String?, sqlitePath: String, logger: Logger = Logger(label: "troupe.db")) async throws -> Database {
        let group = MultiThreadedEventLoopGroup.singleton
        if let url, url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            let configuration = try SQLPostgresConfiguration(url: url)
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: 4, requestTimeout: .seconds(30), pruneInterval: nil,
                logger: logger, on: group)
            let database = Database(engine: .postgres, postgresURL: url, pools: .postgres(pool), logger: logger)
            // Fail fast with a clear error if the server is unreachable; a pool must be
            // shut down before it is released (async-kit asserts it), so close it first.
            do {
                try await database.withConnection { try await $0.raw("SELECT 1").run() }
            } catch {
                await database.shutdown()
                throw error
            }
            return database
        }
        var path = sqlitePath
        if let url, url.hasPrefix("sqlite:") {
            path = String(url.dropFirst("sqlite:".count)).replacingOccurrences(of: "//", with: "", options: .anchored)
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let source = TroupeSQLiteSource(path: path)
        let pool = EventLoopGroupConnectionPool(
            source: source, maxConnectionsPerEventLoop: 4, requestTimeout: .seconds(30), pruneInterval: nil,
            logger: logger, on: group)
        let database = Database(engine: .sqlite, postgresURL: nil, pools: .sqlite(pool), logger: logger)
        // WAL is a property of the file: set once, readers then never block the writer.
        do {
            try await database.withConnection { try await $0.raw("PRAGMA journal_mode=WAL").run() }
        } catch {
            await database.shutdown()
            throw error
        }
        return database
    }

    private init(engine: DatabaseEngine, postgresURL: String?, pools: Pools, logger: Logger) {
        self.engine = engine
        self.postgresURL = postgresURL
        self.pools = pools
        self.logger = logger
    }

    /// Runs `body` on one pooled connection (consecutive statements share a session).
    public func withConnection<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        switch pools {
        case .sqlite(let pool):
            let connection = try await pool.requestConnection().get()
            defer { pool.releaseConnection(connection) }
            return try await body(connection.sql())
        case .postgres(let pool):
            let connection = try await pool.requestConnection().get()
            defer { pool.releaseConnection(connection) }
            return try await body(connection.sql())
        }
    }

    /// Runs `body` inside one transaction; rolls back when it throws. On SQLite the
    /// transaction takes the write lock up front (`BEGIN IMMEDIATE`) so two writers never
    /// deadlock upgrading from a read lock.
    public func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let begin = engine == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await withConnection { db in
            try await db.raw(SQLQueryString(begin)).run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Runs one expression and returns its rows.
    public func all(_ expression: any SQLExpression) async throws -> [any SQLRow] {
        try await withConnection { db in
            try await db.withSession { session in
                let rows = RowCollector()
                try await session.execute(sql: expression) { rows.append($0) }
                return rows.rows
            }
        }
    }

    /// Runs one statement for its effect.
    public func run(_ expression: any SQLExpression) async throws {
        try await withConnection { db in try await db.execute(sql: expression) { _ in } }
    }

    public func shutdown() async {
        switch pools {
        case .sqlite(let pool): try? await pool.shutdownAsync()
        case .postgres(let pool): try? await pool.shutdownAsync()
        }
    }
}

/// Collects rows delivered by SQLKit's row callback (called serially on one connection).
final class RowCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [any SQLRow] = []
    func append(_ row: any SQLRow) { lock.lock(); storage.append(row); lock.unlock() }
    var rows: [any SQLRow] { lock.lock(); defer { lock.unlock() }; return storage }
}

extension SQLDatabase {
    /// Rows of one expression on this connection.
    public func rows(_ expression: any SQLExpression) async throws -> [any SQLRow] {
        let rows = RowCollector()
        try await execute(sql: expression) { rows.append($0) }
        return rows.rows
    }
}

/// SQLite connections with the per-connection settings the controller relies on:
/// foreign keys, a busy timeout instead of immediate SQLITE_BUSY under concurrent writers,
/// case-sensitive LIKE (so `contains` means what it means on PostgreSQL), and a `regexp`
/// function for the `regex`/`iregex` lookups.
///
/// SQLite's busy handler waits on a thread of the connection's thread pool while another
/// connection holds the write lock. With the 2-thread shared pool, two waiting writers
/// took every thread and the lock holder could not run its COMMIT: a deadlock until the
/// busy timeout ("database is locked" under concurrent job launches). So SQLite gets a
/// pool with more threads than the connections that can wait at once.
struct TroupeSQLiteSource: ConnectionPoolSource, Sendable {
    let path: String

    static let threadPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4 * System.coreCount + 4)
        pool.start()
        return pool
    }()

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        SQLiteConnection.open(storage: .file(path: path), threadPool: Self.threadPool, logger: logger, on: eventLoop)
            .flatMap { connection in
                let pragmas = ["PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 15000",
                               "PRAGMA case_sensitive_like = ON", "PRAGMA synchronous = NORMAL"]
                var future: EventLoopFuture<Void> = eventLoop.makeSucceededVoidFuture()
                for pragma in pragmas {
                    future = future.flatMap { connection.query(pragma).map { _ in } }
                }
                // A connection that fails its set-up is closed here: the pool never sees
                // it, and SQLiteNIO traps on a connection released while still open.
                return future
                    .flatMap { connection.install(customFunction: SQLiteRegexp.function) }
                    .map { connection }
                    .flatMapError { error in connection.close().flatMapThrowing { throw error } }
            }
    }
}
