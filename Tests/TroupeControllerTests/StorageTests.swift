import Foundation
import Testing
@testable import TroupeController

@Suite("Storage", .serialized)
struct StorageTests {
    @Test(arguments: TestController.Engine.allCases)
    func migrationsRunOnceAndTransactionsRollBack(_ engine: TestController.Engine) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-db-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = engine == .postgres ? try await PostgresTestServer.shared.freshDatabase() : nil
        let database = try await Database.open(url: url, sqlitePath: directory.appendingPathComponent("troupe.db").path)
        do {
            #expect(database.engine.rawValue == engine.rawValue)
            let first = try await MigrationRunner(database: database).run()
            #expect(first == Migrations.all.map(\.version))
            let second = try await MigrationRunner(database: database).run()
            #expect(second.isEmpty)
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await database.transaction { db in
                    try await db.raw("INSERT INTO settings (key, value, modified) VALUES ('k', 'v', 'now')").run()
                    throw Boom()
                }
            }
            #expect(try await database.all(SQLFragment("SELECT key FROM settings WHERE key = 'k'")).isEmpty)
            // A failing migration is rolled back and reported with its version.
            let broken = Migration(version: 9999, name: "broken", sql: ["CREATE TABLE half_done (id $PK)", "CREATE TABLE nope ("])
            await #expect(throws: MigrationError.self) { try await MigrationRunner(database: database, migrations: [broken]).run() }
            #expect(try await database.all(SQLFragment("SELECT version FROM schema_migrations WHERE version = 9999")).isEmpty)
            if engine == .sqlite {
                let mode = try await database.all(SQLFragment("PRAGMA journal_mode"))
                #expect(try mode[0].decode(column: "journal_mode", as: String.self) == "wal")
            }
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }

    @Test func firstStartCreatesAdminAndSecretKey() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-first-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = ControllerConfiguration(port: 0, dataDirectory: directory, adminPassword: nil)
        let controller = try await Controller.prepare(configuration)
        let password = try #require(controller.generatedAdminPassword)
        #expect(password.count >= 12)
        await controller.shutdown()
        // A second start keeps the admin and prints nothing.
        let again = try await Controller.prepare(configuration)
        #expect(again.generatedAdminPassword == nil)
        let rows = try await again.database.all(SQLFragment("SELECT COUNT(*) AS n FROM users"))
        #expect(try rows[0].decode(column: "n", as: Int.self) == 1)
        await again.shutdown()
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("secret.key").path))
        #expect(ControllerConfiguration.defaultDataDirectory(environment: ["XDG_DATA_HOME": "/x"]).path == "/x/troupe")
        #expect(ControllerConfiguration.defaultDataDirectory(environment: ["HOME": "/home/u"]).path == "/home/u/.local/share/troupe")
    }
}
