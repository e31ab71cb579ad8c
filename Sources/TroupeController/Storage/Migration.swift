import Foundation
import SQLKit

/// One schema change. `sql` is written once for both engines; the few words that differ
/// are placeholders replaced per engine:
/// - `$PK`   → `INTEGER PRIMARY KEY AUTOINCREMENT` (SQLite) / `BIGSERIAL PRIMARY KEY` (PostgreSQL)
/// - `$BLOB` → `BLOB` / `BYTEA`
/// Everything else (TEXT, BIGINT, BOOLEAN, INTEGER, DOUBLE PRECISION, REFERENCES …
/// ON DELETE CASCADE, UNIQUE, CREATE INDEX) means the same on both.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: [String]
    /// Statements for one engine only, run after `sql` (rarely needed).
    public let sqliteOnly: [String]
    public let postgresOnly: [String]

    public init(version: Int, name: String, sql: [String], sqliteOnly: [String] = [], postgresOnly: [String] = []) {
        self.version = version
        self.name = name
        self.sql = sql
        self.sqliteOnly = sqliteOnly
        self.postgresOnly = postgresOnly
    }

    func statements(for engine: DatabaseEngine) -> [String] {
        let pk = engine == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        let blob = engine == .sqlite ? "BLOB" : "BYTEA"
        let shared = sql.map { $0.replacingOccurrences(of: "$PK", with: pk).replacingOccurrences(of: "$BLOB", with: blob) }
        return shared + (engine == .sqlite ? sqliteOnly : postgresOnly)
    }
}

/// Every migration, in order. Each concern lists its own in a `Migrations+<Concern>.swift`
/// file; version ranges keep them apart: core 1–99, jobs 100–199, scale-out 200–299.
public enum Migrations {
    public static var all: [Migration] {
        (core + applications + jobs + cluster).sorted { $0.version < $1.version }
    }
}

/// Applies pending migrations at start, each in its own transaction, recorded in
/// `schema_migrations`. On PostgreSQL an advisory lock serialises nodes starting together.
public struct MigrationRunner: Sendable {
    public let database: Database
    public let migrations: [Migration]

    public init(database: Database, migrations: [Migration] = Migrations.all) {
        self.database = database
        self.migrations = migrations
    }

    /// Returns the versions it applied.
    @discardableResult
    public func run() async throws -> [Int] {
        let versions = Set(migrations.map(\.version))
        precondition(versions.count == migrations.count, "two migrations share a version number")
        let engine = database.engine
        let migrations = self.migrations
        return try await database.withConnection { db in
            if engine == .postgres { try await db.raw("SELECT pg_advisory_lock(7201514)").run() }
            do {
                try await db.raw("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)").run()
                let applied = Set(try await db.raw("SELECT version FROM schema_migrations").all().map { try $0.decode(column: "version", as: Int.self) })
                var ran: [Int] = []
                for migration in migrations where !applied.contains(migration.version) {
                    try await db.raw(SQLQueryString(engine == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN")).run()
                    do {
                        for statement in migration.statements(for: engine) {
                            try await db.raw(SQLQueryString(statement)).run()
                        }
                        try await db.raw("INSERT INTO schema_migrations (version, applied) VALUES (\(bind: migration.version), \(bind: Timestamp.now()))").run()
                        try await db.raw("COMMIT").run()
                    } catch {
                        try? await db.raw("ROLLBACK").run()
                        throw MigrationError(version: migration.version, name: migration.name, underlying: "\(error)")
                    }
                    ran.append(migration.version)
                }
                if engine == .postgres { try await db.raw("SELECT pg_advisory_unlock(7201514)").run() }
                return ran
            } catch {
                if engine == .postgres { try? await db.raw("SELECT pg_advisory_unlock(7201514)").run() }
                throw error
            }
        }
    }
}

public struct MigrationError: Error, CustomStringConvertible {
    public let version: Int
    public let name: String
    public let underlying: String
    public var description: String { "migration \(version) (\(name)) failed: \(underlying)" }
}
