import Foundation
import Testing
@testable import TroupeController

/// `access_list/`: who can reach an object, and through which role.
@Suite("Access list")
struct AccessListTests {
    @Test(arguments: TestController.Engine.allCases)
    func directIndirectAndSystemAccess(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let org = try await server.create("/api/v2/organizations/", ["name": "Org1"])
            let inventory = try await server.create("/api/v2/inventories/", ["name": "Inv1", "organization": .int(org)])
            let other = try await server.create("/api/v2/inventories/", ["name": "Other", "organization": .int(org)])
            try await server.makeUser("alice", password: "alice-pw-1")
            try await server.makeUser("bob", password: "bob-pw-1")
            try await server.makeUser("carol", password: "carol-pw-1")
            try await server.makeUser("audrey", password: "audrey-pw-1", auditor: true)
            func role(_ path: String, _ name: String) async throws -> Int {
                try #require(try await server.get(path).json["results"]?.arrayValue?.first { $0["name"] == .string(name) }?["id"]?.intValue)
            }
            let use = try await role("/api/v2/inventories/\(inventory)/object_roles/", "Use")
            let orgAdmin = try await role("/api/v2/organizations/\(org)/object_roles/", "Admin")
            let otherRead = try await role("/api/v2/inventories/\(other)/object_roles/", "Read")
            #expect(try await server.request("POST", "/api/v2/users/alice/roles/", json: ["id": .int(use)]).status == 204)
            #expect(try await server.request("POST", "/api/v2/users/bob/roles/", json: ["id": .int(orgAdmin)]).status == 204)
            #expect(try await server.request("POST", "/api/v2/users/carol/roles/", json: ["id": .int(otherRead)]).status == 204)

            let list = try await server.get("/api/v2/inventories/\(inventory)/access_list/")
            #expect(list.status == 200)
            let users = list.json["results"]?.arrayValue ?? []
            // carol's role is on another inventory: she is not listed.
            #expect(users.map { $0["username"] } == ["admin", "alice", "audrey", "bob"])
            #expect(list.json["count"] == 4)
            func entry(_ username: String) -> JSON? { users.first { $0["username"] == .string(username) }?["summary_fields"] }

            let alice = try #require(entry("alice"))
            #expect(alice["indirect_access"]?.arrayValue?.isEmpty == true)
            let aliceRole = try #require(alice["direct_access"]?.arrayValue?.first)
            #expect(aliceRole["role"]?["id"] == .int(use))
            #expect(aliceRole["role"]?["name"] == "Use")
            #expect(aliceRole["role"]?["resource_name"] == "Inv1")
            #expect(aliceRole["role"]?["resource_type"] == "inventory")
            #expect(aliceRole["role"]?["related"]?["inventory"] == .string("/api/v2/inventories/\(inventory)/"))
            #expect(aliceRole["descendant_roles"]?.arrayValue?.contains("use_role") == true)
            #expect(aliceRole["descendant_roles"]?.arrayValue?.contains("read_role") == true)
            #expect(aliceRole["descendant_roles"]?.arrayValue?.contains("admin_role") == false)

            let bob = try #require(entry("bob"))
            #expect(bob["direct_access"]?.arrayValue?.isEmpty == true)
            let bobRole = try #require(bob["indirect_access"]?.arrayValue?.first)
            #expect(bobRole["role"]?["id"] == .int(orgAdmin))
            #expect(bobRole["role"]?["resource_type"] == "organization")
            #expect(bobRole["descendant_roles"]?.arrayValue?.contains("admin_role") == true)

            #expect(entry("admin")?["indirect_access"]?.arrayValue?.first?["role"]?["name"] == "System Administrator")
            #expect(entry("audrey")?["indirect_access"]?.arrayValue?.first?["descendant_roles"] == ["read_role"])

            // A role granted to a team: its members have it as direct access naming the team.
            let team = try await server.create("/api/v2/teams/", ["name": "T1", "organization": .int(org)])
            try await server.makeUser("dave", password: "dave-pw-1")
            let teamMember = try await role("/api/v2/teams/\(team)/object_roles/", "Member")
            #expect(try await server.request("POST", "/api/v2/users/dave/roles/", json: ["id": .int(teamMember)]).status == 204)
            #expect(try await server.request("POST", "/api/v2/teams/\(team)/roles/", json: ["id": .int(use)]).status == 204)
            let withTeam = try await server.get("/api/v2/inventories/\(inventory)/access_list/?username=dave").json
            let dave = try #require(withTeam["results"]?.arrayValue?.first?["summary_fields"])
            #expect(dave["indirect_access"]?.arrayValue?.isEmpty == true)
            let daveRole = try #require(dave["direct_access"]?.arrayValue?.first)
            #expect(dave["direct_access"]?.arrayValue?.count == 1)
            #expect(daveRole["role"]?["id"] == .int(use))
            #expect(daveRole["role"]?["team_id"] == .int(team))
            #expect(daveRole["role"]?["team_name"] == "T1")
            #expect(daveRole["role"]?["team_organization_name"] == "Org1")
            #expect(daveRole["role"]?["resource_name"] == "Inv1")
            #expect(daveRole["descendant_roles"]?.arrayValue?.contains("use_role") == true)
            #expect(daveRole["descendant_roles"]?.arrayValue?.contains("admin_role") == false)

            // Filters and paging work as on any user list; a member sees the list of what they can read.
            #expect(try await server.get("/api/v2/inventories/\(inventory)/access_list/?username=alice").json["count"] == 1)
            #expect(try await server.get("/api/v2/inventories/\(inventory)/access_list/", auth: .basic("alice", "alice-pw-1")).status == 200)
            #expect(try await server.get("/api/v2/inventories/\(inventory)/access_list/", auth: .basic("carol", "carol-pw-1")).status == 404)
            #expect(try await server.get("/api/v2/inventories/999/access_list/").status == 404)
        }
    }

    /// `teams/N/roles/` lists what the team was granted, not the team's own read role that
    /// membership implies (AWX's TeamRolesList excludes it; `awx export` would carry it).
    @Test func teamRolesListOnlyGrants() async throws {
        try await withController { server in
            let org = try await server.create("/api/v2/organizations/", ["name": "Org1"])
            let team = try await server.create("/api/v2/teams/", ["name": "T1", "organization": .int(org)])
            let inventory = try await server.create("/api/v2/inventories/", ["name": "Inv1", "organization": .int(org)])
            #expect(try await server.get("/api/v2/teams/\(team)/roles/").json["count"] == 0)
            let use = try #require(try await server.get("/api/v2/inventories/\(inventory)/object_roles/").json["results"]?.arrayValue?
                .first { $0["name"] == "Use" }?["id"]?.intValue)
            #expect(try await server.request("POST", "/api/v2/teams/\(team)/roles/", json: ["id": .int(use)]).status == 204)
            let roles = try await server.get("/api/v2/teams/\(team)/roles/")
            #expect(roles.json["results"]?.arrayValue?.map { $0["id"] } == [.int(use)])
        }
    }
}
