import Foundation
import Testing
@testable import TroupeController

/// `copy/` on inventories, projects, credentials and job templates, as AWX's CopyAPIView.
@Suite("Copy endpoints")
struct CopyTests {
    @Test(arguments: TestController.Engine.allCases)
    func copiesCarryContentsAndChecks(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            try server.makeProjectDirectory("demo")
            let org = try await server.create("/api/v2/organizations/", ["name": "Org1"])
            let inventory = try await server.create("/api/v2/inventories/", ["name": "Inv1", "organization": .int(org)])
            let web = try await server.create("/api/v2/hosts/", ["name": "web1", "inventory": .int(inventory), "variables": "{\"port\": 80}"])
            try await server.create("/api/v2/hosts/", ["name": "db1", "inventory": .int(inventory), "enabled": false])
            let parent = try await server.create("/api/v2/groups/", ["name": "all_servers", "inventory": .int(inventory)])
            let child = try await server.create("/api/v2/groups/", ["name": "web", "inventory": .int(inventory)])
            #expect(try await server.request("POST", "/api/v2/groups/\(parent)/children/", json: ["id": .int(child)]).status == 204)
            #expect(try await server.request("POST", "/api/v2/groups/\(child)/hosts/", json: ["id": .int(web)]).status == 204)
            let machine = try #require(try await server.get("/api/v2/credential_types/?name=Machine").json["results"]?.arrayValue?.first?["id"]?.intValue)
            let credential = try await server.create("/api/v2/credentials/", ["name": "ssh", "organization": .int(org), "credential_type": .int(machine),
                                                                              "inputs": ["username": "deploy", "password": "s3cret"]])
            let project = try await server.create("/api/v2/projects/", ["name": "Demo", "organization": .int(org), "scm_type": "", "local_path": "demo"])
            let template = try await server.create("/api/v2/job_templates/", ["name": "Deploy", "project": .int(project), "inventory": .int(inventory),
                                                                              "playbook": "site.yml", "extra_vars": "{\"v\": 1}"])
            #expect(try await server.request("POST", "/api/v2/job_templates/\(template)/credentials/", json: ["id": .int(credential)]).status == 204)

            let detail = try await server.get("/api/v2/inventories/\(inventory)/")
            #expect(detail.json["related"]?["copy"] == .string("/api/v2/inventories/\(inventory)/copy/"))
            #expect(try await server.get("/api/v2/inventories/\(inventory)/copy/").json == ["can_copy": true])

            // Inventory: hosts, groups and the links between them.
            let inventoryCopy = try await server.request("POST", "/api/v2/inventories/\(inventory)/copy/", json: ["name": "Inv2"])
            #expect(inventoryCopy.status == 201)
            #expect(inventoryCopy.json["name"] == "Inv2")
            #expect(inventoryCopy.json["organization"] == .int(org))
            #expect(inventoryCopy.header("Location")?.hasSuffix("/api/v2/inventories/\(inventoryCopy.json["id"]?.intValue ?? 0)/") == true)
            let hosts = try await server.get("/api/v2/inventories/Inv2++Org1/hosts/?order_by=name").json["results"]?.arrayValue ?? []
            #expect(hosts.map { $0["name"] } == ["db1", "web1"])
            #expect(hosts.map { $0["enabled"] } == [false, true])
            #expect(hosts.last?["variables"] == "{\"port\": 80}")
            #expect(hosts.allSatisfy { $0["id"] != .int(web) })
            #expect(try await server.get("/api/v2/groups/all_servers++Inv2++Org1/children/").json["results"]?.arrayValue?.map { $0["name"] } == ["web"])
            #expect(try await server.get("/api/v2/groups/web++Inv2++Org1/hosts/").json["results"]?.arrayValue?.map { $0["name"] } == ["web1"])
            // The original is untouched.
            #expect(try await server.get("/api/v2/inventories/\(inventory)/hosts/").json["count"] == 2)

            // Credential: the secret travels encrypted and is still never shown.
            let credentialCopy = try await server.request("POST", "/api/v2/credentials/\(credential)/copy/", json: ["name": "ssh2"])
            #expect(credentialCopy.status == 201)
            #expect(credentialCopy.json["inputs"] == ["username": "deploy", "password": "$encrypted$"])
            let copiedID = try #require(credentialCopy.json["id"]?.intValue)
            let secrets = try await CredentialSecrets.decryptedInputs(server.controller, credentialID: copiedID)
            #expect(secrets["password"] == "s3cret")

            // Job template: fields and credentials.
            let templateCopy = try await server.request("POST", "/api/v2/job_templates/\(template)/copy/", json: ["name": "Deploy copy"])
            #expect(templateCopy.status == 201)
            #expect(templateCopy.json["extra_vars"] == "{\"v\": 1}")
            #expect(templateCopy.json["playbook"] == "site.yml")
            #expect(templateCopy.json["summary_fields"]?["credentials"]?.arrayValue?.map { $0["name"] } == ["ssh"])

            // Manual project: same directory, usable at once.
            let projectCopy = try await server.request("POST", "/api/v2/projects/\(project)/copy/", json: ["name": "Demo2"])
            #expect(projectCopy.status == 201)
            #expect(projectCopy.json["local_path"] == "demo")
            #expect(projectCopy.json["status"] == "successful")

            // Validation, as AWX words it.
            let sameName = try await server.request("POST", "/api/v2/inventories/\(inventory)/copy/", json: ["name": "Inv1"])
            #expect(sameName.status == 400)
            #expect(sameName.json["non_field_errors"]?.arrayValue?.first == "The original object is already named Inv1, a copy from it cannot have the same name.")
            let noName = try await server.request("POST", "/api/v2/inventories/\(inventory)/copy/", json: .object(JSONObject()))
            #expect(noName.status == 400)
            #expect(noName.json["name"]?.arrayValue?.first == "This field is required.")
            let taken = try await server.request("POST", "/api/v2/job_templates/\(template)/copy/", json: ["name": "Deploy copy"])
            #expect(taken.status == 400)
            #expect(try await server.request("POST", "/api/v2/inventories/999/copy/", json: ["name": "X"]).status == 404)
        }
    }

    @Test func copyNeedsCreatePermission() async throws {
        try await withController { server in
            let org = try await server.create("/api/v2/organizations/", ["name": "Org1"])
            let inventory = try await server.create("/api/v2/inventories/", ["name": "Inv1", "organization": .int(org)])
            try await server.makeUser("reader", password: "reader-pw-1")
            let readRole = try #require(try await server.get("/api/v2/inventories/\(inventory)/object_roles/").json["results"]?.arrayValue?
                .first { $0["name"] == "Read" }?["id"]?.intValue)
            #expect(try await server.request("POST", "/api/v2/users/reader/roles/", json: ["id": .int(readRole)]).status == 204)
            let reader = TestController.Auth.basic("reader", "reader-pw-1")
            #expect(try await server.get("/api/v2/inventories/\(inventory)/copy/", auth: reader).json == ["can_copy": false])
            #expect(try await server.request("POST", "/api/v2/inventories/\(inventory)/copy/", auth: reader, json: ["name": "Mine"]).status == 403)
            // Someone who cannot see the inventory gets 404, not 403.
            try await server.makeUser("stranger", password: "stranger-pw-1")
            let stranger = TestController.Auth.basic("stranger", "stranger-pw-1")
            #expect(try await server.request("POST", "/api/v2/inventories/\(inventory)/copy/", auth: stranger, json: ["name": "Mine"]).status == 404)
        }
    }
}
