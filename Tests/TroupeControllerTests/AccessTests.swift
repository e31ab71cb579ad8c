import Foundation
import Testing
@testable import TroupeController

/// Role boundaries: organization members, auditors, execute-only users, team grants.
@Suite("Access control", .serialized)
struct AccessTests {
    struct World {
        var ids: [String: Int] = [:]
        var passwords: [String: String] = [:]
    }

    static func build(_ server: TestController) async throws -> World {
        var world = World()
        world.ids["orgA"] = try await server.create("/api/v2/organizations/", ["name": "OrgA"])
        world.ids["orgB"] = try await server.create("/api/v2/organizations/", ["name": "OrgB"])
        world.ids["invA"] = try await server.create("/api/v2/inventories/", ["name": "InvA", "organization": .int(world.ids["orgA"]!)])
        world.ids["invB"] = try await server.create("/api/v2/inventories/", ["name": "InvB", "organization": .int(world.ids["orgB"]!)])
        world.ids["hostA"] = try await server.create("/api/v2/hosts/", ["name": "ha", "inventory": .int(world.ids["invA"]!)])
        try server.makeProjectDirectory("projA")
        world.ids["projA"] = try await server.create("/api/v2/projects/", ["name": "ProjA", "organization": .int(world.ids["orgA"]!), "local_path": "projA"])
        world.ids["jtA"] = try await server.create("/api/v2/job_templates/", ["name": "JtA", "project": .int(world.ids["projA"]!),
                                                                              "inventory": .int(world.ids["invA"]!), "playbook": "site.yml"])
        for name in ["member", "auditor", "runner", "invadmin", "teamuser"] {
            world.passwords[name] = "pw-\(name)-1"
            world.ids[name] = try await server.makeUser(name, password: world.passwords[name]!, auditor: name == "auditor")
        }
        return world
    }

    static func role(_ server: TestController, _ path: String, _ role: String) async throws -> Int {
        let reply = try await server.get(path)
        guard let id = reply.json["summary_fields"]?["object_roles"]?[role]?["id"]?.intValue else { throw TestFailure("no \(role) on \(path): \(reply.body)") }
        return id
    }

    static func grant(_ server: TestController, user: Int, role: Int) async throws {
        let reply = try await server.request("POST", "/api/v2/users/\(user)/roles/", json: ["id": .int(role)])
        #expect(reply.status == 204, "grant: \(reply.body)")
    }

    @Test func memberCannotReadAnotherOrganizationsInventory() async throws {
        try await withController { server in
            let w = try await AccessTests.build(server)
            let member = TestController.Auth.basic("member", w.passwords["member"]!)
            try await AccessTests.grant(server, user: w.ids["member"]!, role: try await AccessTests.role(server, "/api/v2/organizations/\(w.ids["orgA"]!)/", "member_role"))
            try await AccessTests.grant(server, user: w.ids["member"]!, role: try await AccessTests.role(server, "/api/v2/inventories/\(w.ids["invA"]!)/", "read_role"))
            let list = try await server.get("/api/v2/inventories/", auth: member)
            #expect(list.json["results"]?.arrayValue?.map { $0["name"] } == ["InvA"])
            #expect(try await server.get("/api/v2/inventories/\(w.ids["invB"]!)/", auth: member).status == 404)
            // A forbidden named URL is a 404, not a 403.
            #expect(try await server.get("/api/v2/inventories/InvB++OrgB/", auth: member).status == 404)
            #expect(try await server.get("/api/v2/hosts/?inventory=\(w.ids["invB"]!)", auth: member).json["count"] == 0)
            // Reading is not writing.
            #expect(try await server.request("PATCH", "/api/v2/inventories/\(w.ids["invA"]!)/", auth: member, json: ["description": "x"]).status == 403)
            #expect(try await server.request("POST", "/api/v2/inventories/", auth: member, json: ["name": "New", "organization": .int(w.ids["orgA"]!)]).status == 403)
            let orgs = try await server.get("/api/v2/organizations/", auth: member)
            #expect(orgs.json["results"]?.arrayValue?.map { $0["name"] } == ["OrgA"])
            let roleLevel = try await server.get("/api/v2/inventories/?role_level=admin_role", auth: member)
            #expect(roleLevel.json["count"] == 0)
        }
    }

    @Test func auditorReadsEverythingAndWritesNothing() async throws {
        try await withController { server in
            let w = try await AccessTests.build(server)
            let auditor = TestController.Auth.basic("auditor", w.passwords["auditor"]!)
            #expect(try await server.get("/api/v2/inventories/", auth: auditor).json["count"] == 2)
            #expect(try await server.get("/api/v2/hosts/\(w.ids["hostA"]!)/", auth: auditor).status == 200)
            #expect(try await server.request("PATCH", "/api/v2/hosts/\(w.ids["hostA"]!)/", auth: auditor, json: ["description": "x"]).status == 403)
            #expect(try await server.request("DELETE", "/api/v2/inventories/\(w.ids["invB"]!)/", auth: auditor).status == 403)
            #expect(try await server.request("POST", "/api/v2/organizations/", auth: auditor, json: ["name": "X"]).status == 403)
            let options = try await server.request("OPTIONS", "/api/v2/hosts/", auth: auditor)
            #expect(options.json["actions"]?["POST"] == nil)
        }
    }

    @Test func executeOnlyUserCanRunButNotEdit() async throws {
        try await withController { server in
            let w = try await AccessTests.build(server)
            let runner = TestController.Auth.basic("runner", w.passwords["runner"]!)
            try await AccessTests.grant(server, user: w.ids["runner"]!, role: try await AccessTests.role(server, "/api/v2/job_templates/\(w.ids["jtA"]!)/", "execute_role"))
            let jt = try await server.get("/api/v2/job_templates/\(w.ids["jtA"]!)/", auth: runner)
            #expect(jt.status == 200)
            #expect(jt.json["summary_fields"]?["user_capabilities"]?["start"] == true)
            #expect(jt.json["summary_fields"]?["user_capabilities"]?["edit"] == false)
            #expect(try await server.request("PATCH", "/api/v2/job_templates/\(w.ids["jtA"]!)/", auth: runner, json: ["description": "x"]).status == 403)
            #expect(try await server.request("DELETE", "/api/v2/job_templates/\(w.ids["jtA"]!)/", auth: runner).status == 403)
            // Execute does not reveal the inventory or project.
            #expect(try await server.get("/api/v2/inventories/\(w.ids["invA"]!)/", auth: runner).status == 404)
        }
    }

    @Test func inventoryAdminManagesHostsAndTeamGrantsPropagate() async throws {
        try await withController { server in
            let w = try await AccessTests.build(server)
            let admin = TestController.Auth.basic("invadmin", w.passwords["invadmin"]!)
            try await AccessTests.grant(server, user: w.ids["invadmin"]!, role: try await AccessTests.role(server, "/api/v2/inventories/\(w.ids["invA"]!)/", "admin_role"))
            #expect(try await server.request("POST", "/api/v2/hosts/", auth: admin, json: ["name": "new", "inventory": .int(w.ids["invA"]!)]).status == 201)
            #expect(try await server.request("POST", "/api/v2/hosts/", auth: admin, json: ["name": "new", "inventory": .int(w.ids["invB"]!)]).status == 403)
            // Team grant: a team member inherits the team's roles; revoking removes them.
            let team = try await server.create("/api/v2/teams/", ["name": "Ops", "organization": .int(w.ids["orgB"]!)])
            #expect(try await server.request("POST", "/api/v2/teams/\(team)/users/", json: ["id": .int(w.ids["teamuser"]!)]).status == 204)
            let useRole = try await AccessTests.role(server, "/api/v2/inventories/\(w.ids["invB"]!)/", "use_role")
            #expect(try await server.request("POST", "/api/v2/teams/\(team)/roles/", json: ["id": .int(useRole)]).status == 204)
            let teamUser = TestController.Auth.basic("teamuser", w.passwords["teamuser"]!)
            #expect(try await server.get("/api/v2/inventories/\(w.ids["invB"]!)/", auth: teamUser).status == 200)
            #expect(try await server.request("POST", "/api/v2/teams/\(team)/roles/", json: ["id": .int(useRole), "disassociate": true]).status == 204)
            #expect(try await server.get("/api/v2/inventories/\(w.ids["invB"]!)/", auth: teamUser).status == 404)
            // Non-admins cannot grant.
            #expect(try await server.request("POST", "/api/v2/users/\(w.ids["teamuser"]!)/roles/", auth: teamUser, json: ["id": .int(useRole)]).status == 403)
            // The grant is in the activity stream.
            let stream = try await server.get("/api/v2/activity_stream/?operation=associate&object1=team")
            #expect((stream.json["count"]?.intValue ?? 0) >= 1)
        }
    }
}
