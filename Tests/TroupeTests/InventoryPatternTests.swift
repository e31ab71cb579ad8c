import XCTest
import Jinja
@testable import Troupe

/// Host pattern results checked against ansible-core 2.19: every expected list below was
/// recorded from `ansible -i Fixtures/inventory/patterns/hosts.ini PATTERN --list-hosts`
/// (and `--limit LIMIT` for the limit cases).
final class InventoryPatternTests: XCTestCase {
    struct PatternCase {
        let pattern: String
        let hosts: [String]
        let warnings: [String]
        init(_ pattern: String, _ hosts: [String], warnings: [String]) {
            self.pattern = pattern
            self.hosts = hosts
            self.warnings = warnings
        }
    }

    struct LimitCase {
        let pattern: String
        let limit: String
        let hosts: [String]
        let warnings: [String]
        init(_ pattern: String, limit: String, _ hosts: [String], warnings: [String]) {
            self.pattern = pattern
            self.limit = limit
            self.hosts = hosts
            self.warnings = warnings
        }
    }

    static let cases: [PatternCase] = [
        PatternCase("all", ["lonely", "10.0.0.1", "db1", "db2", "web3", "192.168.1.10", "host_with_underscore", "web1", "web2", "cache-a", "web4", "web5", "cache-b", "alpha.example.com"], warnings: []),
        PatternCase("*", ["lonely", "10.0.0.1", "db1", "db2", "web3", "192.168.1.10", "host_with_underscore", "web1", "web2", "cache-a", "web4", "web5", "cache-b", "alpha.example.com"], warnings: []),
        PatternCase("web", ["web1", "web2", "web3", "web4", "web5", "alpha.example.com"], warnings: []),
        PatternCase("db", ["db1", "db2", "web3"], warnings: []),
        PatternCase("web:db", ["web1", "web2", "web3", "web4", "web5", "alpha.example.com", "db1", "db2"], warnings: []),
        PatternCase("web,db", ["web1", "web2", "web3", "web4", "web5", "alpha.example.com", "db1", "db2"], warnings: []),
        PatternCase("web:&east", ["web1", "web2"], warnings: []),
        PatternCase("web:!east", ["web3", "web4", "web5", "alpha.example.com"], warnings: []),
        PatternCase("!web", ["lonely", "10.0.0.1", "db1", "db2", "192.168.1.10", "host_with_underscore", "cache-a", "cache-b"], warnings: []),
        PatternCase("&east", ["db1", "web1", "web2", "cache-a"], warnings: []),
        PatternCase("web*", ["web1", "web2", "web3", "web4", "web5", "alpha.example.com"], warnings: []),
        PatternCase("*.example.com", ["alpha.example.com"], warnings: []),
        PatternCase("web[0]", ["web1"], warnings: []),
        PatternCase("web[1]", ["web2"], warnings: []),
        PatternCase("web[-1]", ["alpha.example.com"], warnings: []),
        PatternCase("web[1:]", ["web2", "web3", "web4", "web5", "alpha.example.com"], warnings: []),
        PatternCase("web[0:2]", ["web1", "web2", "web3"], warnings: []),
        PatternCase("web[2:0]", ["web3"], warnings: []),
        PatternCase("web[1-2]", ["web2", "web3"], warnings: ["Use [x:y] inclusive subscripts instead of [x-y] which has been removed"]),
        PatternCase("~web[0-9]", ["web1", "web2", "web3", "web4", "web5"], warnings: []),
        PatternCase("~(db|cache)", ["db1", "db2", "web3", "cache-a", "cache-b", "web1"], warnings: []),
        PatternCase("datacenter", ["web1", "web2", "db1", "cache-a", "web4", "web5", "db2", "cache-b"], warnings: []),
        PatternCase("datacenter:!west", ["web1", "web2", "db1", "cache-a"], warnings: []),
        PatternCase("datacenter:&frontend:!cache", ["web2", "web4", "web5"], warnings: []),
        PatternCase("frontend[3:]", ["web4", "web5", "alpha.example.com", "cache-a", "cache-b"], warnings: []),
        PatternCase("east:west", ["web1", "web2", "db1", "cache-a", "web4", "web5", "db2", "cache-b"], warnings: []),
        PatternCase("west:east", ["web4", "web5", "db2", "cache-b", "web1", "web2", "db1", "cache-a"], warnings: []),
        PatternCase("nosuch", [], warnings: ["Could not match supplied host pattern, ignoring: nosuch"]),
        PatternCase("nosuch:web1", ["web1"], warnings: ["Could not match supplied host pattern, ignoring: nosuch"]),
        PatternCase("localhost", ["localhost"], warnings: []),
        PatternCase("127.0.0.1", ["127.0.0.1"], warnings: []),
        PatternCase("ungrouped", ["lonely", "10.0.0.1"], warnings: []),
        PatternCase("lonely", ["lonely"], warnings: []),
        PatternCase("10.0.0.1", ["10.0.0.1"], warnings: []),
        PatternCase("10.0.0.*", ["10.0.0.1"], warnings: []),
        PatternCase("web1,db1,web1", ["web1", "db1"], warnings: []),
        PatternCase("web?", ["web1", "web2", "web3", "web4", "web5"], warnings: []),
        PatternCase("cache-[ab]", ["cache-a", "cache-b"], warnings: []),
        PatternCase("cache-[!a]", ["cache-b"], warnings: []),
        PatternCase("*_*", ["host_with_underscore"], warnings: []),
        PatternCase("db:web:!web3", ["db1", "db2", "web1", "web2", "web4", "web5", "alpha.example.com"], warnings: []),
        PatternCase("!db:web", ["web1", "web2", "web4", "web5", "alpha.example.com"], warnings: []),
        PatternCase("web:&db:&east", [], warnings: []),
        PatternCase("special", ["192.168.1.10", "host_with_underscore"], warnings: []),
        // Ansible orders grandchild groups by Python set iteration, which varies between
        // runs; this is the order ansible printed in most runs (and the one Troupe keeps:
        // declaration order), identical to the `all` case above.
        PatternCase("al*", ["lonely", "10.0.0.1", "db1", "db2", "web3", "192.168.1.10", "host_with_underscore", "web1", "web2", "cache-a", "web4", "web5", "cache-b", "alpha.example.com"], warnings: []),
        PatternCase("e*:&w*", ["web1", "web2"], warnings: []),
        PatternCase("web[5]", ["alpha.example.com"], warnings: []),
        PatternCase("192.168.1.10", ["192.168.1.10"], warnings: []),
        PatternCase("all:!frontend", ["lonely", "10.0.0.1", "db1", "db2", "192.168.1.10", "host_with_underscore"], warnings: []),
        PatternCase("web , db", ["web1", "web2", "web3", "web4", "web5", "alpha.example.com", "db1", "db2"], warnings: []),
        PatternCase("datacenter[0]", ["web1"], warnings: []),
        PatternCase("datacenter[-2]", ["db2"], warnings: []),
        PatternCase("db[0:5]", ["db1", "db2", "web3"], warnings: []),
        PatternCase("~.*\\.example\\.com", ["alpha.example.com"], warnings: []),
        PatternCase("~WEB", [], warnings: ["Could not match supplied host pattern, ignoring: ~WEB"]),
        PatternCase("web1:web1", ["web1"], warnings: []),
        PatternCase("all[0]", ["lonely"], warnings: []),
    ]

    static let limitCases: [LimitCase] = [
        LimitCase("all", limit: "east", ["db1", "web1", "web2", "cache-a"], warnings: []),
        LimitCase("web", limit: "east:!web1", ["web2"], warnings: []),
        LimitCase("all", limit: "@limit.txt", ["db1", "db2", "web3", "web1"], warnings: ["Could not match supplied host pattern, ignoring: # not a comment, a pattern"]),
        LimitCase("datacenter", limit: "~cache", ["web1", "cache-a", "cache-b"], warnings: []),
        LimitCase("web[0:2]", limit: "west", [], warnings: []),
        LimitCase("all", limit: "nosuch", [], warnings: ["Could not match supplied host pattern, ignoring: nosuch"]),
        LimitCase("db", limit: "web", ["web3"], warnings: []),
    ]

    func testPatternsMatchAnsible() throws {
        XCTAssertGreaterThanOrEqual(Self.cases.count, 40)
        for testCase in Self.cases {
            // A fresh inventory per case so warnings belong to this pattern only.
            let inventory = try InventoryFixtures.manager("patterns/hosts.ini")
            let hosts = try inventory.listHosts(testCase.pattern)
            XCTAssertEqual(hosts, testCase.hosts, "pattern \(testCase.pattern)")
            for warning in testCase.warnings {
                XCTAssertTrue(inventory.warnings.contains(warning), "pattern \(testCase.pattern): missing warning \(warning) in \(inventory.warnings)")
            }
            if testCase.warnings.isEmpty {
                XCTAssertFalse(inventory.warnings.contains { $0.hasPrefix("Could not match") }, "pattern \(testCase.pattern): \(inventory.warnings)")
            }
        }
    }

    func testLimitsMatchAnsible() throws {
        for testCase in Self.limitCases {
            let inventory = try InventoryFixtures.manager("patterns/hosts.ini", workingDirectory: "patterns")
            try inventory.subset(testCase.limit)
            XCTAssertEqual(try inventory.listHosts(testCase.pattern), testCase.hosts, "\(testCase.pattern) --limit \(testCase.limit)")
            for warning in testCase.warnings {
                XCTAssertTrue(inventory.warnings.contains(warning), "missing warning \(warning) in \(inventory.warnings)")
            }
        }
    }

    func testSubscriptOutOfRangeIsAnError() throws {
        let inventory = try InventoryFixtures.manager("patterns/hosts.ini")
        XCTAssertThrowsError(try inventory.hosts(matching: "web[9]")) { error in
            XCTAssertEqual((error as? TroupeError)?.message, "No hosts matched the subscripted pattern 'web[9]'")
        }
    }

    func testMissingLimitFileIsAnError() throws {
        let inventory = try InventoryFixtures.manager("patterns/hosts.ini")
        XCTAssertThrowsError(try inventory.subset("@does-not-exist.txt"))
    }

    func testMismatchCanBeAnError() throws {
        var options = InventoryManager.Options()
        options.patternMismatch = .error
        let inventory = try InventoryManager(sources: [InventoryFixtures.path("patterns/hosts.ini")], options: options)
        XCTAssertThrowsError(try inventory.hosts(matching: "nosuch"))
    }

    func testRestrictionAndIgnoringLimits() throws {
        let inventory = try InventoryFixtures.manager("patterns/hosts.ini")
        try inventory.subset("east")
        inventory.restrict(to: ["web1", "db2"])
        XCTAssertEqual(try inventory.hosts(matching: "all").map(\.name), ["web1"])
        XCTAssertEqual(try inventory.hosts(matching: "all", ignoreLimits: true).map(\.name), ["db2", "web1"])
        XCTAssertEqual(try inventory.hosts(matching: "web", ignoreLimits: true, ignoreRestrictions: true).count, 6)
        inventory.restrict(to: nil)
        try inventory.subset(nil)
        XCTAssertEqual(try inventory.hosts(matching: "all").count, 14)
    }

    func testImplicitLocalhostIsNotInAll() throws {
        let inventory = try InventoryFixtures.manager("patterns/hosts.ini")
        let local = try XCTUnwrap(try inventory.hosts(matching: "localhost").first)
        XCTAssertTrue(local.isImplicit)
        XCTAssertEqual(local.vars["ansible_connection"], "local")
        XCTAssertEqual(try inventory.hosts(matching: "localhost:all").count, 15)
        XCTAssertFalse(try inventory.hosts(matching: "all").contains(local))
        XCTAssertNil(inventory.groupsVariable["all"]?.listValue?.first { $0 == "localhost" })
    }

    func testPlayOrder() throws {
        let inventory = try InventoryFixtures.manager("patterns/hosts.ini")
        XCTAssertEqual(try inventory.hosts(matching: "db", order: .sorted).map(\.name), ["db1", "db2", "web3"])
        XCTAssertEqual(try inventory.hosts(matching: "db", order: .reverseInventory).map(\.name), ["web3", "db2", "db1"])
        XCTAssertEqual(try inventory.hosts(matching: "db", order: .reverseSorted).map(\.name), ["web3", "db2", "db1"])
        XCTAssertEqual(Set(try inventory.hosts(matching: "db", order: .shuffle).map(\.name)), ["db1", "db2", "web3"])
    }

    func testSplitPattern() {
        XCTAssertEqual(InventoryManager.splitPattern(["a,b[1], c[2:3] , d"]), ["a", "b[1]", "c[2:3]", "d"])
        XCTAssertEqual(InventoryManager.splitPattern(["web:&db:!x"]), ["web", "&db", "!x"])
        XCTAssertEqual(InventoryManager.splitPattern(["host:2222"]), ["host:2222"])
        XCTAssertEqual(InventoryManager.splitPattern(["fe80::1"]), ["fe80::1"])
        XCTAssertEqual(InventoryManager.splitPattern(["web[1:3]:db"]), ["web[1:3]", "db"])
    }
}
