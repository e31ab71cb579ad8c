import Foundation
import Testing
@testable import TroupeController

/// Malformed and hostile input always gets a 4xx with a clear body: never a 500.
@Suite("Bad input", .serialized)
struct BadInputTests {
    @Test func malformedBodies() async throws {
        try await withController { server in
            let broken = try await server.request("POST", "/api/v2/organizations/", body: "{\"name\": ")
            #expect(broken.status == 400)
            #expect(broken.json["detail"]?.stringValue?.hasPrefix("JSON parse error") == true)
            let list = try await server.request("POST", "/api/v2/organizations/", body: "[1, 2]")
            #expect(list.status == 400)
            #expect(list.json["non_field_errors"] != nil)
            let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            let deepReply = try await server.request("POST", "/api/v2/organizations/", body: "{\"name\": \(deep)}")
            #expect(deepReply.status == 400)
            let huge = "{\"name\": \"" + String(repeating: "x", count: 10 * 1024 * 1024) + "\"}"
            let hugeReply = try await server.request("POST", "/api/v2/organizations/", body: huge)
            #expect(hugeReply.status == 413)
            #expect(hugeReply.json["detail"] != nil)
            let long = try await server.request("POST", "/api/v2/organizations/", json: ["name": .string(String(repeating: "y", count: 600))])
            #expect(long.json["name"] == ["Ensure this field has no more than 512 characters."])
        }
    }

    @Test func wrongTypesAndMissingFields() async throws {
        try await withController { server in
            let org = try await server.create("/api/v2/organizations/", ["name": "O"])
            let inventory = try await server.create("/api/v2/inventories/", ["name": "I", "organization": .int(org)])
            let missing = try await server.request("POST", "/api/v2/hosts/", json: ["description": "x"])
            #expect(missing.status == 400)
            #expect(missing.json["name"] == ["This field is required."])
            #expect(missing.json["inventory"] == ["This field is required."])
            let types = try await server.request("POST", "/api/v2/hosts/", json: ["name": ["x"], "inventory": "abc", "enabled": "perhaps"])
            #expect(types.json["name"] == ["Not a valid string."])
            #expect(types.json["inventory"] == ["Incorrect type. Expected pk value, received str."])
            #expect(types.json["enabled"] == ["Must be a valid boolean."])
            let ghost = try await server.request("POST", "/api/v2/hosts/", json: ["name": "h", "inventory": 9999])
            #expect(ghost.json["inventory"] == ["Invalid pk \"9999\" - object does not exist."])
            let choice = try await server.request("POST", "/api/v2/inventories/", json: ["name": "J", "organization": .int(org), "kind": "weird"])
            #expect(choice.json["kind"] == ["\"weird\" is not a valid choice."])
            let vars = try await server.request("POST", "/api/v2/hosts/", json: ["name": "h", "inventory": .int(inventory), "variables": "[1, 2]"])
            #expect(vars.status == 400)
            #expect(vars.json["variables"] != nil)
            let duplicate = try await server.request("POST", "/api/v2/organizations/", json: ["name": "O"])
            #expect(duplicate.json["name"] == ["Organization with this Name already exists."])
            // Unknown fields are ignored, as DRF does; booleans accept 0/1 as the awx CLI sends them.
            let extra = try await server.request("POST", "/api/v2/hosts/", json: ["name": "ok", "inventory": .int(inventory), "bogus": 1, "enabled": 0])
            #expect(extra.status == 201)
            #expect(extra.json["enabled"] == false)
            #expect(try await server.request("POST", "/api/v2/groups/", json: ["name": "all", "inventory": .int(inventory)]).json["name"] == ["Invalid group name."])
            #expect(try await server.request("POST", "/api/v2/groups/", json: ["name": "ok", "inventory": .int(inventory)]).json["name"] == ["A Host with that name already exists."])
        }
    }

    @Test func hostileFilterValuesAndIds() async throws {
        try await withController { server in
            try await server.create("/api/v2/organizations/", ["name": "Safe"])
            let hostile = ["' OR 1=1 --", "\"; DROP TABLE hosts; --", "%' UNION SELECT password FROM users --", "\\", "1)); DELETE FROM users; --", "NULL", "[", "(?"]
            let fields = ["name", "name__icontains", "name__regex", "name__in", "id", "id__gt", "inventory", "inventory__name", "enabled",
                          "created__gte", "not__name", "or__description__startswith", "search", "inventory__search", "order_by", "page", "page_size",
                          "nope", "name__nope", "groups__isnull", "role_level"]
            for field in fields {
                for value in hostile {
                    let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
                    let reply = try await server.get("/api/v2/hosts/?\(field)=\(encoded)")
                    #expect(reply.status < 500, "\(field)=\(value): \(reply.status) \(reply.body)")
                    if reply.status >= 400 { #expect(reply.json["detail"] != nil, "\(field)=\(value)") }
                }
            }
            // The tables are intact.
            #expect(try await server.get("/api/v2/organizations/").json["count"] == 1)
            #expect(try await server.get("/api/v2/users/").json["count"] == 1)
            for path in ["/api/v2/hosts/999999/", "/api/v2/hosts/0/", "/api/v2/hosts/-1/", "/api/v2/hosts/abc/", "/api/v2/nothing/",
                         "/api/v2/hosts/1/nothing/", "/api/v2/organizations/%00/"] {
                let reply = try await server.get(path)
                #expect(reply.status == 404, "\(path)")
                #expect(reply.json["detail"] == "Not found.")
            }
            #expect(try await server.request("DELETE", "/api/v2/hosts/424242/").status == 404)
            #expect(try await server.request("PATCH", "/api/v2/hosts/424242/", json: ["name": "x"]).status == 404)
        }
    }
}
