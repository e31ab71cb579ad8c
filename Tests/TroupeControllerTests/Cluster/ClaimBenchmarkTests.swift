import Foundation
import SQLKit
import Testing
@testable import TroupeController

/// The claim transaction alone, on PostgreSQL, from several nodes at once: every pending
/// job is claimed exactly once, and (with TROUPE_BENCH=1, at full size, for
/// benchmarks/controller) how many claims per second the database sustains.
@Suite("claim path on PostgreSQL", .serialized)
struct ClaimBenchmarkTests {
    static var full: Bool { ProcessInfo.processInfo.environment["TROUPE_BENCH"] == "1" }

    /// `perClaim`: the capacity each claim fills (1: one transaction per job, the worst
    /// case; 20: a node with room takes a batch of a burst of launches).
    @Test(arguments: [1, 20])
    func concurrentNodesClaimEveryJobExactlyOnce(perClaim: Int) async throws {
        let url = try await PostgresTestServer.shared.freshDatabase()
        let database = try await Database.open(url: url, sqlitePath: "")
        do {
            try await MigrationRunner(database: database).run()
            try await measure(database, perClaim: perClaim)
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }

    private func measure(_ database: Database, perClaim: Int) async throws {
        let jobs = Self.full ? 20_000 : 600
        let nodes = 3
        for start in stride(from: 0, to: jobs, by: 500) {
            let count = min(500, jobs - start)
            try await database.transaction { db in
                var insert = db.insert(into: "unified_jobs").columns("kind", "name", "status", "created", "modified", "allow_simultaneous", "impact")
                for _ in 0..<count {
                    let now = JobClock.now()
                    let values: [any Encodable & Sendable] = ["job", "bench", "pending", now, now, true, 1]
                    insert = insert.values(values)
                }
                try await insert.run()
            }
        }
        // Each node claims until nothing is left; the claimed ids come back per node.
        let begin = Date()
        let claimedByNode = try await withThrowingTaskGroup(of: (String, [Int], [Double]).self) { group in
            for index in 1...nodes {
                let store = JobStore(database: database, node: "bench\(index)")
                group.addTask {
                    var mine: [Int] = []
                    var latencies: [Double] = []
                    while true {
                        let start = Date()
                        let claimed = try await store.claim(freeCapacity: perClaim, idle: false, limit: max(perClaim, 20))
                        latencies.append(Date().timeIntervalSince(start))
                        if claimed.isEmpty { break }
                        mine += claimed
                    }
                    return (store.node, mine, latencies)
                }
            }
            return try await group.reduce(into: [(String, [Int], [Double])]()) { $0.append($1) }
        }
        let elapsed = Date().timeIntervalSince(begin)
        let all = claimedByNode.flatMap(\.1)
        #expect(all.count == jobs, "claimed \(all.count) of \(jobs)")
        #expect(Set(all).count == all.count, "a job was claimed twice")
        for (node, ids, _) in claimedByNode { #expect(!ids.isEmpty, "node \(node) claimed nothing") }
        // The database agrees: every job is waiting on the node that claimed it.
        let rows = try await database.all(SQLQueryString("SELECT id, execution_node, status FROM unified_jobs"))
        var owner: [Int: String] = [:]
        for (node, ids, _) in claimedByNode { for id in ids { owner[id] = node } }
        for row in rows {
            let id = try row.decode(column: "id", as: Int.self)
            #expect(try row.decode(column: "status", as: String.self) == "waiting")
            #expect(try row.decode(column: "execution_node", as: String.self) == owner[id])
        }
        let latencies = claimedByNode.flatMap(\.2).sorted()
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000 }
        print(String(format: "BENCH claim (%d per transaction): %d jobs by %d nodes in %.2f s = %.0f claims/s; claim transaction p50 %.2f ms, p99 %.2f ms",
                     perClaim, jobs, nodes, elapsed, Double(jobs) / elapsed, percentile(0.5), percentile(0.99)))
    }
}
