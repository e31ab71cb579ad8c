import Foundation
import Testing
@testable import TroupeController

/// The real `awx` CLI (awxkit 24.6.1) end to end: session login and token login, create,
/// list with filters, get, modify, delete, export and import (round trip), on SQLite and
/// PostgreSQL, and against a `troupe serve` process.
@Suite("awx CLI", .serialized)
struct AwxCLITests {
    @Test(arguments: TestController.Engine.allCases)
    func createListGetModifyDeleteExportImport(_ engine: TestController.Engine) async throws {
        let server = try await TestController.start(engine)
        let target: TestController
        do { target = try await TestController.start(engine) } catch { await server.stop(); throw error }
        do {
            try await scenario(server, target)
        } catch {
            await server.stop(); await target.stop()
            throw error
        }
        await server.stop(); await target.stop()
    }

    func scenario(_ server: TestController, _ target: TestController) async throws {
        try server.makeProjectDirectory("demo")
        try target.makeProjectDirectory("demo")
        let awx = AwxCLI(server)

        // Session login (username/password) for every command below.
        let org = try await awx.ok(["organizations", "create", "--name", "Org1", "--description", "first"])
        #expect(org.json["name"] == "Org1")
        #expect(org.json["type"] == "organization")
        #expect(org.json["related"] == nil, "awx drops the top-level related from what it prints")
        try await awx.ok(["inventory", "create", "--name", "Inv1", "--organization", "Org1"])
        let web1 = try await awx.ok(["hosts", "create", "--name", "web1", "--inventory", "Inv1", "--variables", "{\"http_port\": 8080}"])
        #expect(web1.json["variables"]?.stringValue?.contains("8080") == true)
        let web2 = try await awx.ok(["hosts", "create", "--name", "web2", "--inventory", "Inv1", "--enabled", "false"])
        #expect(web2.json["enabled"] == false)
        try await awx.ok(["hosts", "create", "--name", "db1", "--inventory", "Inv1"])
        let parent = try await awx.ok(["groups", "create", "--name", "servers", "--inventory", "Inv1", "--variables", "{\"tier\": 1}"])
        let child = try await awx.ok(["groups", "create", "--name", "webservers", "--inventory", "Inv1"])
        let parentID = try #require(parent.json["id"]?.intValue), childID = try #require(child.json["id"]?.intValue)
        #expect(try await server.request("POST", "/api/v2/groups/\(parentID)/children/", json: ["id": .int(childID)]).status == 204)
        #expect(try await server.request("POST", "/api/v2/groups/\(childID)/hosts/", json: ["id": .int(web1.json["id"]?.intValue ?? 0)]).status == 204)
        let credential = try await awx.ok(["credentials", "create", "--name", "ssh-deploy", "--organization", "Org1",
                                           "--credential_type", "Machine", "--inputs", "{\"username\": \"deploy\", \"password\": \"hunter2\"}"])
        #expect(credential.json["inputs"]?["password"] == "$encrypted$")
        #expect(!credential.stdout.contains("hunter2"))
        let project = try await awx.ok(["projects", "create", "--name", "Demo", "--organization", "Org1", "--scm_type", "", "--local_path", "demo"])
        #expect(project.json["status"] == "successful")
        let template = try await awx.ok(["job_templates", "create", "--name", "Deploy", "--project", "Demo", "--inventory", "Inv1",
                                         "--playbook", "site.yml", "--extra_vars", "{\"version\": 2}"])
        let templateID = try #require(template.json["id"]?.intValue)
        #expect(template.json["extra_vars"]?.stringValue?.contains("\"version\"") == true)
        try await awx.ok(["job_templates", "associate", String(templateID), "--credential", "ssh-deploy"])

        // List with filters, get, modify, delete.
        let enabled = try await awx.ok(["hosts", "list", "--inventory", "Inv1", "--enabled", "true", "--order_by=-name"])
        #expect(enabled.json["count"] == 2)
        #expect(enabled.json["results"]?.arrayValue?.map { $0["name"] } == ["web1", "db1"])
        let disabled = try await awx.ok(["hosts", "list", "--enabled", "false"])
        #expect(disabled.json["results"]?.arrayValue?.map { $0["name"] } == ["web2"])
        #expect(try await awx.ok(["hosts", "list", "--name", "db1"]).json["count"] == 1)
        let groups = try await awx.ok(["groups", "list", "--inventory", "Inv1", "--order_by", "name"])
        #expect(groups.json["results"]?.arrayValue?.map { $0["name"] } == ["servers", "webservers"])
        #expect(try await awx.ok(["credentials", "list", "--credential_type", "Machine"]).json["count"] == 1)
        #expect(try await awx.ok(["job_templates", "list", "--playbook", "site.yml", "--project", "Demo"]).json["count"] == 1)
        let all = try await awx.ok(["hosts", "list", "--all"])
        #expect(all.json["count"] == 3)
        let got = try await awx.ok(["job_templates", "get", "Deploy"])
        #expect(got.json["playbook"] == "site.yml")
        #expect(got.json["summary_fields"]?["credentials"]?.arrayValue?.first?["name"] == "ssh-deploy")
        let modified = try await awx.ok(["hosts", "modify", "db1", "--description", "database"])
        #expect(modified.json["description"] == "database")
        #expect(try await awx.ok(["hosts", "get", "db1"]).json["description"] == "database")
        let deleted = try await awx.ok(["hosts", "delete", "web2"])
        #expect(deleted.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "delete prints nothing")
        #expect(try await awx.ok(["hosts", "list"]).json["count"] == 2)
        let missing = try await awx.run(["hosts", "get", "web2"])
        #expect(missing.status == 2 && missing.stderr.contains("Could not find any hosts with that name"))

        // users/teams commands first OPTION eight role-bearing lists; grant and revoke.
        try await awx.ok(["users", "create", "--username", "bob", "--password", "Bob-pw-123", "--email", "bob@example.org"])
        #expect(try await awx.ok(["users", "list", "--username", "bob"]).json["count"] == 1)
        try await awx.ok(["users", "grant", "bob", "--inventory", "Inv1", "--role", "use"])
        let bobRoles = try await server.get("/api/v2/users/bob/roles/")
        #expect(bobRoles.json["results"]?.arrayValue?.map { $0["name"] } == ["Use"])
        try await awx.ok(["users", "revoke", "bob", "--inventory", "Inv1", "--role", "use"])
        #expect(try await server.get("/api/v2/users/bob/roles/").json["count"] == 0)
        try await awx.ok(["users", "delete", "bob"])
        // A user whose roles travel through export/import: team membership and an object role.
        try await awx.ok(["teams", "create", "--name", "Ops", "--organization", "Org1"])
        try await awx.ok(["users", "create", "--username", "carol", "--password", "Carol-pw-123"])
        try await awx.ok(["users", "grant", "carol", "--team", "Ops", "--role", "member"])
        try await awx.ok(["users", "grant", "carol", "--inventory", "Inv1", "--role", "admin"])

        // Token login, then the token alone: read, write, and a read-scoped token refused a write.
        let login = try await awx.ok(["login"])
        let token = try #require(login.json["token"]?.stringValue)
        let me = try await awx.ok(["me"], token: token)
        #expect(me.json["results"]?.arrayValue?.first?["username"] == "admin")
        #expect(try await awx.ok(["organizations", "list", "--name", "Org1"], token: token).json["count"] == 1)
        try await awx.ok(["organizations", "create", "--name", "Scratch"], token: token)
        try await awx.ok(["organizations", "delete", "Scratch"], token: token)
        let readLogin = try await awx.ok(["login", "--conf.scope", "read"])
        let readToken = try #require(readLogin.json["token"]?.stringValue)
        let refused = try await awx.run(["organizations", "create", "--name", "Nope"], token: readToken)
        #expect(refused.status == 1)
        #expect(refused.json["detail"] == "You do not have permission to perform this action.")
        let badLogin = try await AwxCLI(baseURL: server.baseURL, password: "wrong").run(["organizations", "list"])
        #expect(badLogin.status == 1 && badLogin.stderr.contains("Valid credentials were not provided."))

        // Export everything, import it into an empty controller, export again: equal.
        let export = try await awx.ok(["export"])
        let assets = export.json
        #expect(assets["organizations"]?.arrayValue?.count == 1)
        #expect(assets["inventory"]?.arrayValue?.first?["related"]?["hosts"]?.arrayValue?.count == 2)
        #expect(assets["job_templates"]?.arrayValue?.first?["name"] == "Deploy")
        #expect(!export.stdout.contains("hunter2"))
        let selected = try await awx.ok(["export", "--inventory", "Inv1", "--job_templates", "Deploy"]).json.objectValue
        #expect(selected?.keys.sorted() == ["inventory", "job_templates"])
        try await AwxCLI(target).ok(["import"], stdin: export.stdout)
        let imported = try await target.get("/api/v2/job_templates/Deploy++Org1/")
        #expect(imported.status == 200)
        #expect(imported.json["summary_fields"]?["inventory"]?["name"] == "Inv1")
        #expect(imported.json["summary_fields"]?["credentials"]?.arrayValue?.first?["name"] == "ssh-deploy")
        #expect(try await target.get("/api/v2/hosts/web1++Inv1++Org1/").json["variables"]?.stringValue?.contains("8080") == true)
        let children = try await target.get("/api/v2/groups/servers++Inv1++Org1/children/")
        #expect(children.json["results"]?.arrayValue?.map { $0["name"] } == ["webservers"])
        let reexport = try await AwxCLI(target).ok(["export"])
        // Secrets do not travel: import sends "" for each `$encrypted$`, as with AWX.
        let expected = export.stdout.replacingOccurrences(of: "\"$encrypted$\"", with: "\"\"")
        let actual = reexport.stdout.replacingOccurrences(of: "\"$encrypted$\"", with: "\"\"")
        // Role lists come in id order, which import changes (it grants memberships first).
        #expect(AwxCLITests.sortingRoles(try JSONParser.parse(actual)) == AwxCLITests.sortingRoles(try JSONParser.parse(expected)),
                "round trip differs:\n\(expected)\n---\n\(actual)")
        let carolRoles = try await target.get("/api/v2/users/carol/roles/").json["results"]?.arrayValue ?? []
        #expect(Set(carolRoles.compactMap { "\($0["name"]?.stringValue ?? "") \($0["summary_fields"]?["resource_name"]?.stringValue ?? "")" })
                == ["Member Ops", "Admin Inv1"])
        // Importing again updates in place (PUT) and changes nothing.
        try await AwxCLI(target).ok(["import"], stdin: export.stdout)
        #expect(try await target.get("/api/v2/hosts/").json["count"] == 2)
        #expect(try await target.get("/api/v2/credentials/").json["count"] == 1)
    }

    /// The shipped binaries: `troupe serve` (which execs troupe-server) answers the CLI.
    @Test func againstTroupeServe() async throws {
        let serve = try await ServeProcess.start(projects: ["demo"])
        do {
            let awx = AwxCLI(baseURL: serve.baseURL, password: serve.password)
            #expect(try await awx.ok(["ping"]).json["version"] == "24.6.1")
            try await awx.ok(["organizations", "create", "--name", "Org1"])
            try await awx.ok(["projects", "create", "--name", "Demo", "--organization", "Org1", "--scm_type", "", "--local_path", "demo"])
            let token = try #require(try await awx.ok(["login"]).json["token"]?.stringValue)
            let list = try await awx.ok(["projects", "list", "--name", "Demo"], token: token)
            #expect(list.json["results"]?.arrayValue?.first?["status"] == "successful")
        } catch {
            await serve.stop()
            throw error
        }
        await serve.stop()
    }

    /// `json` with every `roles` array sorted by its elements' text.
    static func sortingRoles(_ json: JSON) -> JSON {
        switch json {
        case .array(let items): return .array(items.map(sortingRoles))
        case .object(let object):
            var result = JSONObject()
            for (key, value) in object.pairs {
                if key == "roles", case .array(let items) = value {
                    result[key] = .array(items.map(sortingRoles).sorted { $0.serialized() < $1.serialized() })
                } else {
                    result[key] = sortingRoles(value)
                }
            }
            return .object(result)
        default: return json
        }
    }
}
