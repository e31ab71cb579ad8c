import Foundation
import Testing
@testable import TroupeClient

/// The client against the real controller (in process, SQLite): every verb and raw verb,
/// pagination, named URLs, AWX's typed errors and token scopes, as a user's program sees them.
@Suite struct RealServerTests {
    @Test func everyVerbAndItsRawVariant() async throws {
        try await withRealController { server in
            let api = try server.adminAPI()
            let created = try await api.post("organizations", ["name": "Eng", "description": "first"])
            let id = try #require(created["id"]?.intValue)
            #expect(created["name"] == "Eng" && created["type"] == "organization")

            struct Org: Encodable, Sendable { let name: String; let description: String }
            let second = try await api.post("organizations", body: Org(name: "Ops", description: "encodable"))
            #expect(second["description"] == "encodable")

            #expect(try await api.get("organizations/\(id)")["description"] == "first")
            let filtered = try await api.get("organizations", ["name": "Ops"])
            #expect(filtered["count"] == 1 && filtered["results"]?[0]?["name"] == "Ops")

            let patched = try await api.patch("organizations/\(id)", ["description": "patched"])
            #expect(patched["description"] == "patched" && patched["name"] == "Eng")
            let put = try await api.put("/api/v2/organizations/\(id)/", ["name": "Eng2", "description": "put"])
            #expect(put["name"] == "Eng2" && put["description"] == "put")
            #expect(try await api.delete("organizations/\(id)") == .null)
            let gone = await #expect(throws: ServerError.self) { try await api.get("organizations/\(id)") }
            #expect(gone?.status == 404)

            let rawCreated = try await api.rawPost("organizations", RawRequest(
                headers: [(name: "X-Test", value: "1")], body: Data(#"{"name":"Raw"}"#.utf8), contentType: "application/json"))
            #expect(rawCreated.status == 201)
            #expect(rawCreated.header("location")?.hasPrefix("/api/v2/organizations/") == true)
            #expect(rawCreated.header("X-API-Product-Name") != nil)
            let rawID = try #require(rawCreated.json()["id"]?.intValue)
            let rawGet = try await api.rawGet("organizations", RawRequest(query: [(name: "name", value: "Raw")], timeout: 30))
            #expect(rawGet.status == 200 && rawGet.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(try rawGet.json()["results"]?[0]?["id"]?.intValue == rawID)
            let rawPatch = try await api.rawPatch("organizations/\(rawID)", RawRequest(body: Data(#"{"description":"d"}"#.utf8),
                                                                                         contentType: "application/json"))
            let patchedBody = try rawPatch.json()
            #expect(rawPatch.status == 200 && patchedBody["description"] == "d")
            let rawPut = try await api.rawPut("organizations/\(rawID)", RawRequest(body: Data(#"{"name":"Raw2"}"#.utf8),
                                                                                     contentType: "application/json"))
            let putBody = try rawPut.json()
            #expect(rawPut.status == 200 && putBody["name"] == "Raw2")
            // A body that is not JSON reaches the server as sent, and the server refuses it.
            let rawText = try await api.rawPost("organizations", RawRequest(body: Data("name=x".utf8), contentType: "text/plain"))
            #expect(rawText.status == 415)
            let rawDelete = try await api.rawDelete("organizations/\(rawID)")
            #expect(rawDelete.status == 204 && rawDelete.body.isEmpty)
            let rawMissing = try await api.rawGet("organizations/\(rawID)")
            #expect(rawMissing.status == 404)  // raw verbs report HTTP errors, they do not throw
            // The server redirects paths without a slash; the client never sends one.
            let unslashed = try await api.rawGet("/api/v2/ping/")
            #expect(unslashed.status == 200)
        }
    }

    @Test func errorsAreTypedAsAWXSendsThem() async throws {
        try await withRealController { server in
            let api = try server.adminAPI()
            let badRequest = await #expect(throws: ServerError.self) { try await api.post("organizations", [:]) }
            #expect(badRequest?.status == 400)
            #expect(badRequest?.fieldErrors["name"] == ["This field is required."])
            #expect(badRequest?.method == "POST" && badRequest?.path == "/api/v2/organizations/")

            let notFound = await #expect(throws: ServerError.self) { try await api.get("organizations/999") }
            #expect(notFound?.status == 404 && notFound?.isNotFound == true && notFound?.detail != nil)

            let anonymous = try ServerAPI(url: server.url, credentials: nil)
            let unauthorized = await #expect(throws: ServerError.self) { try await anonymous.get("organizations") }
            #expect(unauthorized?.status == 401 && unauthorized?.isUnauthorized == true)
            #expect(unauthorized?.detail?.hasPrefix("Authentication credentials were not provided.") == true)
            let wrongPassword = try ServerAPI(url: server.url, username: "admin", password: "wrong")
            let rejected = await #expect(throws: ServerError.self) { try await wrongPassword.get("organizations") }
            #expect(rejected?.status == 401)

            // A read-scoped token reads, and its writes are refused with 403.
            let readToken = try await server.adminToken(scope: "read")
            let readOnly = try ServerAPI(url: server.url, apiKey: readToken)
            #expect(try await readOnly.get("organizations")["count"] != nil)
            let forbidden = await #expect(throws: ServerError.self) { try await readOnly.post("organizations", ["name": "x"]) }
            #expect(forbidden?.status == 403 && forbidden?.detail != nil)

            let writeToken = try await server.adminToken(scope: "write")
            let writer = try ServerAPI(url: server.url, apiKey: writeToken)
            #expect(try await writer.post("organizations", ["name": "ByToken"])["name"] == "ByToken")
        }
    }

    @Test func listFollowsNextAcrossThreePagesAndNamedURLsResolve() async throws {
        try await withRealController { server in
            let api = try server.adminAPI()
            let org = try await api.create(Organization.self, ["name": "Default2"])
            let inventory = try await api.create(Inventory.self, ["name": "inv", "organization": .int(org.id)])
            for index in 1...12 {
                _ = try await api.create(Host.self, ["name": .string(String(format: "web%02d", index)), "inventory": .int(inventory.id)])
            }
            let hosts = try await api.list(Host.self, ["inventory": .int(inventory.id), "page_size": 5, "order_by": "name"]).collect()
            #expect(hosts.map(\.name) == (1...12).map { String(format: "web%02d", $0) })
            #expect(hosts.allSatisfy { $0.inventory == inventory.id })

            var names: [String] = []
            for try await host in api.list("hosts", ["name__icontains": "web1", "page_size": 2, "order_by": "-name"]) {
                names.append(host["name"]?.stringValue ?? "")
            }
            #expect(names == ["web12", "web11", "web10"])
            await #expect(throws: ServerError.self) { try await api.list("hosts", ["bogus_field": 1]).collect() }

            let plus = try await api.create(Host.self, ["name": "db+1", "inventory": .int(inventory.id), "variables": "a: 1"])
            let byName = try await api.get(Host.self, .named(["db+1"], ["inv"], ["Default2"]))
            #expect(byName.id == plus.id)
            #expect(try await api.get(Organization.self, "Default2").id == org.id)
            #expect(try await api.get(Inventory.self, "inv++Default2").organization == org.id)
            let updated = try await api.update(Host.self, .named(["db+1"], ["inv"], ["Default2"]), ["enabled": false])
            #expect(updated.enabled == false && updated.name == "db+1")
            try await api.delete(Host.self, .id(plus.id))
            let missing = await #expect(throws: ServerError.self) { try await api.get(Host.self, "db[+]1++inv++Default2") }
            #expect(missing?.status == 404)
        }
    }
}
