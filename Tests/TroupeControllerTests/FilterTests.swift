import Foundation
import Testing
@testable import TroupeController

/// Every lookup, prefix, search, order, page and named URL — on SQLite and PostgreSQL.
@Suite("Filters and named URLs", .serialized)
struct FilterTests {
    /// Two organizations, two inventories, five hosts, groups with a child.
    static func seed(_ server: TestController) async throws -> [String: Int] {
        var ids: [String: Int] = [:]
        ids["org1"] = try await server.create("/api/v2/organizations/", ["name": "Org1", "description": "first org"])
        ids["org2"] = try await server.create("/api/v2/organizations/", ["name": "Org+Two", "description": "second"])
        ids["inv1"] = try await server.create("/api/v2/inventories/", ["name": "Inv1", "organization": .int(ids["org1"]!)])
        ids["inv2"] = try await server.create("/api/v2/inventories/", ["name": "Inv2", "organization": .int(ids["org2"]!), "variables": "a: 1"])
        let hosts: [(String, String, Bool, String)] = [("web1", "inv1", true, "Frontend A"), ("web2", "inv1", false, "frontend b"),
                                                        ("db1", "inv1", true, "Database"), ("web1", "inv2", true, "other web1"),
                                                        ("cache_1", "inv2", true, "100% cache")]
        for (name, inventory, enabled, description) in hosts {
            ids["\(name)@\(inventory)"] = try await server.create("/api/v2/hosts/", [
                "name": .string(name), "inventory": .int(ids[inventory]!), "enabled": .bool(enabled), "description": .string(description),
                "variables": .string("{\"role\": \"\(name)\"}")])
        }
        ids["g.web"] = try await server.create("/api/v2/groups/", ["name": "webservers", "inventory": .int(ids["inv1"]!)])
        ids["g.all"] = try await server.create("/api/v2/groups/", ["name": "everything", "inventory": .int(ids["inv1"]!)])
        for host in ["web1@inv1", "web2@inv1"] {
            #expect(try await server.request("POST", "/api/v2/groups/\(ids["g.web"]!)/hosts/", json: ["id": .int(ids[host]!)]).status == 204)
        }
        #expect(try await server.request("POST", "/api/v2/groups/\(ids["g.all"]!)/children/", json: ["id": .int(ids["g.web"]!)]).status == 204)
        return ids
    }

    static func names(_ server: TestController, _ query: String) async throws -> [String] {
        let reply = try await server.get("/api/v2/hosts/?\(query)&order_by=name,inventory&page_size=200")
        guard reply.status == 200 else { throw TestFailure("\(query) → \(reply.status) \(reply.body)") }
        return (reply.json["results"]?.arrayValue ?? []).compactMap { host in
            guard let name = host["name"]?.stringValue, let inventory = host["summary_fields"]?["inventory"]?["name"]?.stringValue else { return nil }
            return "\(name)@\(inventory.lowercased())"
        }
    }

    @Test(arguments: TestController.Engine.allCases)
    func lookups(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let ids = try await FilterTests.seed(server)
            func check(_ query: String, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let got = try await FilterTests.names(server, query)
                #expect(got == expected, "\(engine) \(query)", sourceLocation: sourceLocation)
            }
            try await check("name=web1", ["web1@inv1", "web1@inv2"])
            try await check("name__exact=db1", ["db1@inv1"])
            try await check("name__iexact=WEB2", ["web2@inv1"])
            try await check("description__contains=front", ["web2@inv1"])
            try await check("description__icontains=FRONT", ["web1@inv1", "web2@inv1"])
            try await check("name__startswith=web", ["web1@inv1", "web1@inv2", "web2@inv1"])
            try await check("name__istartswith=WE", ["web1@inv1", "web1@inv2", "web2@inv1"])
            try await check("name__endswith=1", ["cache_1@inv2", "db1@inv1", "web1@inv1", "web1@inv2"])
            // "web1" ends in "b1" as well: iendswith is a case-insensitive suffix test.
            try await check("name__iendswith=B1", ["db1@inv1", "web1@inv1", "web1@inv2"])
            try await check("name__regex=^w.b[12]$", ["web1@inv1", "web1@inv2", "web2@inv1"])
            try await check("name__iregex=^DB", ["db1@inv1"])
            try await check("id__gt=\(ids["db1@inv1"]!)", ["cache_1@inv2", "web1@inv2"])
            try await check("id__gte=\(ids["db1@inv1"]!)", ["cache_1@inv2", "db1@inv1", "web1@inv2"])
            try await check("id__lt=\(ids["web2@inv1"]!)", ["web1@inv1"])
            try await check("id__lte=\(ids["web2@inv1"]!)", ["web1@inv1", "web2@inv1"])
            try await check("name__in=db1,cache_1", ["cache_1@inv2", "db1@inv1"])
            try await check("description__contains=100%", ["cache_1@inv2"])
            try await check("name__contains=_", ["cache_1@inv2"])
            try await check("enabled=false", ["web2@inv1"])
            try await check("enabled=0", ["web2@inv1"])
            try await check("enabled=1&name=web1", ["web1@inv1", "web1@inv2"])
            try await check("inventory=\(ids["inv2"]!)", ["cache_1@inv2", "web1@inv2"])
            try await check("inventory__int=\(ids["inv2"]!)", ["cache_1@inv2", "web1@inv2"])
            try await check("inventory__name=Inv1&name__startswith=w", ["web1@inv1", "web2@inv1"])
            try await check("inventory__organization__name=Org+Two".replacingOccurrences(of: "+", with: "%2B"), ["cache_1@inv2", "web1@inv2"])
            try await check("inventory__organization__description__icontains=FIRST&name=db1", ["db1@inv1"])
            try await check("groups__name=webservers", ["web1@inv1", "web2@inv1"])
            try await check("groups__isnull=true", ["cache_1@inv2", "db1@inv1", "web1@inv2"])
            try await check("last_job__isnull=true&name=db1", ["db1@inv1"])
            try await check("not__name=web1", ["cache_1@inv2", "db1@inv1", "web2@inv1"])
            try await check("or__name=db1&or__name=web2", ["db1@inv1", "web2@inv1"])
            try await check("or__name=db1&or__not__enabled=true", ["db1@inv1", "web2@inv1"])
            try await check("chain__name__startswith=web&chain__not__enabled=false", ["web1@inv1", "web1@inv2"])
            try await check("variables__icontains=CACHE", ["cache_1@inv2"])
            try await check("search=front", ["web1@inv1", "web2@inv1"])
            try await check("search=front,web2", ["web2@inv1"])
            // A space must be percent-encoded in a URL; the raw space never reached the server as one term.
            try await check("search=%22frontend%20b%22", ["web2@inv1"])
            try await check("inventory__search=inv2", ["cache_1@inv2", "web1@inv2"])
            try await check("groups__search=webs", ["web1@inv1", "web2@inv1"])
            try await check("type=host&name=db1", ["db1@inv1"])
            try await check("page_size=200&format=json&limit=1&name=db1", ["db1@inv1"])
            // Related lists and group children.
            let children = try await server.get("/api/v2/groups/?children__name=webservers")
            #expect(children.json["results"]?.arrayValue?.map { $0["name"] } == ["everything"])
            let parents = try await server.get("/api/v2/groups/?parents__name=everything")
            #expect(parents.json["results"]?.arrayValue?.map { $0["name"] } == ["webservers"])
            let orgs = try await server.get("/api/v2/organizations/?inventories__hosts__name=cache_1")
            #expect(orgs.json["results"]?.arrayValue?.map { $0["name"] } == ["Org+Two"])
        }
    }

    @Test(arguments: TestController.Engine.allCases)
    func ordering(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            _ = try await FilterTests.seed(server)
            func order(_ query: String) async throws -> [String] {
                let reply = try await server.get("/api/v2/hosts/?\(query)")
                #expect(reply.status == 200, "\(query): \(reply.body)")
                return (reply.json["results"]?.arrayValue ?? []).compactMap { "\($0["name"]?.stringValue ?? "")@\($0["summary_fields"]?["inventory"]?["name"]?.stringValue ?? "")" }
            }
            #expect(try await order("order_by=name,id") == ["cache_1@Inv2", "db1@Inv1", "web1@Inv1", "web1@Inv2", "web2@Inv1"])
            #expect(try await order("order_by=-name,id") == ["web2@Inv1", "web1@Inv1", "web1@Inv2", "db1@Inv1", "cache_1@Inv2"])
            #expect(try await order("order=-inventory__name,name") == ["cache_1@Inv2", "web1@Inv2", "db1@Inv1", "web1@Inv1", "web2@Inv1"])
            // "Org+Two" sorts before "Org1" ("+" < "1"); the test server uses the C collation.
            #expect(try await order("order_by=inventory__organization__name,-name") == ["web1@Inv2", "cache_1@Inv2", "web2@Inv1", "web1@Inv1", "db1@Inv1"])
            let bad = try await server.get("/api/v2/hosts/?order_by=nope")
            #expect(bad.status == 400)
            let secret = try await server.get("/api/v2/users/?order_by=password")
            #expect(secret.status == 403)
        }
    }

    @Test(arguments: TestController.Engine.allCases)
    func errors(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            _ = try await FilterTests.seed(server)
            let unknown = try await server.get("/api/v2/hosts/?nope=1")
            #expect(unknown.status == 400)
            #expect(unknown.json["detail"] == "Host has no field named 'nope'")
            let loop = try await server.get("/api/v2/hosts/?inventory__hosts__inventory__name=x")
            #expect(loop.status == 400)
            #expect(loop.json["detail"]?.stringValue?.hasPrefix("Loops not allowed in filters") == true)
            let noRelation = try await server.get("/api/v2/hosts/?name__foo__bar=1")
            #expect(noRelation.status == 400)
            #expect(noRelation.json["detail"] == "No related model for field name.")
            let password = try await server.get("/api/v2/users/?password__startswith=pbkdf2")
            #expect(password.status == 403)
            let inputs = try await server.get("/api/v2/credentials/?inputs__icontains=x")
            #expect(inputs.status == 403)
            let boolean = try await server.get("/api/v2/hosts/?enabled=maybe")
            #expect(boolean.status == 400)
            #expect(boolean.json["detail"] == "Unable to convert \"maybe\" to boolean")
            let fk = try await server.get("/api/v2/hosts/?inventory=abc")
            #expect(fk.json["detail"] == "Invalid inventory id: abc")
            let emptyIn = try await server.get("/api/v2/hosts/?name__in=")
            #expect(emptyIn.status == 400)
            let regex = try await server.get("/api/v2/hosts/?name__regex=(")
            #expect(regex.status == 400)
            let roleLevel = try await server.get("/api/v2/hosts/?role_level=admin_role")
            #expect(roleLevel.status == 400)
            let iexactInt = try await server.get("/api/v2/hosts/?id__iexact=1")
            #expect(iexactInt.status == 400)
            let emptyName = try await server.get("/api/v2/hosts/?__exact=1")
            #expect(emptyName.status == 400)
        }
    }

    @Test(arguments: TestController.Engine.allCases)
    func namedURLs(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let ids = try await FilterTests.seed(server)
            let host = try await server.get("/api/v2/hosts/web1++Inv1++Org1/")
            #expect(host.status == 200)
            #expect(host.json["id"] == .int(ids["web1@inv1"]!))
            #expect(host.json["related"]?["named_url"] == "/api/v2/hosts/web1++Inv1++Org1/")
            let escaped = try await server.get("/api/v2/inventories/Inv2++Org%5B%2B%5DTwo/")
            #expect(escaped.json["id"] == .int(ids["inv2"]!))
            #expect(escaped.json["related"]?["named_url"] == "/api/v2/inventories/Inv2++Org[+]Two/")
            #expect(try await server.get("/api/v2/users/admin/").json["username"] == "admin")
            #expect(try await server.get("/api/v2/hosts/web1++Inv1++Nope/").status == 404)
            #expect(try await server.get("/api/v2/hosts/web1++Inv1/").status == 404)
            let sub = try await server.get("/api/v2/groups/webservers++Inv1++Org1/hosts/")
            #expect(sub.json["count"] == 2)
            let machine = try await server.get("/api/v2/credential_types/Machine+ssh/")
            #expect(machine.json["kind"] == "ssh")
            let settings = try await server.get("/api/v2/settings/named-url/")
            #expect(settings.json["NAMED_URL_FORMATS"]?["hosts"] == "<name>++<inventory.name>++<inventory.organization.name>")
            #expect(settings.json["NAMED_URL_FORMATS"]?["users"] == "<username>")
        }
    }

    @Test func filterParserFuzz() async throws {
        // Random keys and values never crash the compiler: each is SQL or a 4xx APIError.
        var generator = SystemRandomNumberGenerator()
        let pieces = ["name", "inventory", "organization", "hosts", "groups", "__", "not", "or", "chain", "exact", "in", "isnull",
                      "regex", "search", "x", "id", "'", ";", "--", "DROP TABLE", "\u{0}", "é", "%", "_", "pk", "type", "children"]
        for _ in 0..<3000 {
            let key = (0..<Int.random(in: 1...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let value = (0..<Int.random(in: 0...4, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined(separator: ",")
            for descriptor in [ResourceCatalog.hosts, ResourceCatalog.groups, ResourceCatalog.users] {
                var compiler = FilterCompiler(descriptor: descriptor, engine: .sqlite)
                do {
                    _ = try compiler.whereClause([(key, value)])
                    _ = try compiler.orderClause([("order_by", key)])
                } catch let error as APIError {
                    #expect((400..<500).contains(Int(error.status.code)))
                }
            }
        }
    }
}
