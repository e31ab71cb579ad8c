import Foundation
import Testing
@testable import TroupeController

@Suite("Authentication", .serialized)
struct AuthTests {
    @Test func sessionLoginWithCSRF() async throws {
        try await withController { server in
            let root = try await server.request("GET", "/api/", auth: .none)
            let cookie = try #require(root.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
            let csrf = String(cookie.dropFirst("csrftoken=".count))
            let login = try await server.request("POST", "/api/login/", auth: .headers([("Cookie", cookie), ("X-CSRFToken", csrf)]),
                                                 body: "username=admin&password=\(TestController.adminPassword)&next=%2Fapi%2Fv2%2F",
                                                 contentType: "application/x-www-form-urlencoded")
            #expect(login.status == 302)
            #expect(login.header("Location") == "/api/v2/")
            #expect(login.header("X-API-Session-Cookie-Name") == "awx_sessionid")
            let session = try #require(login.headerValues("Set-Cookie").first { $0.hasPrefix("awx_sessionid=") }?.split(separator: ";").first.map(String.init))
            let cookies = "\(cookie); \(session)"
            let me = try await server.request("GET", "/api/v2/me/", auth: .headers([("Cookie", cookies)]))
            #expect(me.status == 200)
            #expect(me.json["results"]?.arrayValue?.first?["username"] == "admin")
            #expect(me.json["results"]?.arrayValue?.first?["password"] == "$encrypted$")
            // Writes with a session need the CSRF header.
            let noCSRF = try await server.request("POST", "/api/v2/organizations/", auth: .headers([("Cookie", cookies)]), json: ["name": "S"])
            #expect(noCSRF.status == 403)
            let withCSRF = try await server.request("POST", "/api/v2/organizations/", auth: .headers([("Cookie", cookies), ("X-CSRFToken", csrf)]), json: ["name": "S"])
            #expect(withCSRF.status == 201)
            let logout = try await server.request("GET", "/api/logout/", auth: .headers([("Cookie", cookies)]))
            #expect(logout.status == 302)
            #expect(try await server.request("GET", "/api/v2/me/", auth: .headers([("Cookie", cookies)])).status == 401)
            let bad = try await server.request("POST", "/api/login/", auth: .none, body: "username=admin&password=wrong", contentType: "application/x-www-form-urlencoded")
            #expect(bad.status == 401)
        }
    }

    @Test func personalTokensAndScopes() async throws {
        try await withController { server in
            let created = try await server.request("POST", "/api/v2/users/admin/personal_tokens/", json: ["description": "AWX CLI", "application": nil, "scope": "write"])
            #expect(created.status == 201)
            let token = try #require(created.json["token"]?.stringValue)
            #expect(created.json["refresh_token"] == .null)
            #expect(try await server.get("/api/v2/me/", auth: .bearer(token)).status == 200)
            let listed = try await server.get("/api/v2/tokens/")
            #expect(listed.json["results"]?.arrayValue?.first?["token"] == "************")
            let read = try await server.request("POST", "/api/v2/tokens/", json: ["scope": "read"])
            let readToken = try #require(read.json["token"]?.stringValue)
            #expect(try await server.get("/api/v2/organizations/", auth: .bearer(readToken)).status == 200)
            let refused = try await server.request("POST", "/api/v2/organizations/", auth: .bearer(readToken), json: ["name": "nope"])
            #expect(refused.status == 403)
            #expect(try await server.get("/api/v2/me/", auth: .bearer("bogus")).status == 401)
            let badScope = try await server.request("POST", "/api/v2/tokens/", json: ["scope": "admin"])
            #expect(badScope.status == 400)
            let grant = try await server.request("POST", "/api/o/token/", auth: .none,
                                                 body: "grant_type=password&username=admin&password=\(TestController.adminPassword)&scope=read",
                                                 contentType: "application/x-www-form-urlencoded")
            #expect(grant.status == 200)
            let access = try #require(grant.json["access_token"]?.stringValue)
            #expect(try await server.get("/api/v2/me/", auth: .bearer(access)).status == 200)
            // The database holds only keyed hashes of tokens.
            let rows = try await server.controller.database.all(SQLFragment("SELECT token_hash FROM tokens"))
            for row in rows { #expect(try row.decode(column: "token_hash", as: String.self) != token) }
        }
    }

    @Test func passwordsAreHashedAndNeverShown() async throws {
        try await withController { server in
            let id = try await server.makeUser("alice", password: "s3cret-pass")
            let user = try await server.get("/api/v2/users/\(id)/")
            #expect(user.json["password"] == "$encrypted$")
            let rows = try await server.controller.database.all(SQLFragment("SELECT password FROM users WHERE username = 'alice'"))
            let stored = try rows[0].decode(column: "password", as: String.self)
            #expect(stored.hasPrefix("pbkdf2_sha256$"))
            #expect(!stored.contains("s3cret-pass"))
            #expect(try await server.get("/api/v2/me/", auth: .basic("alice", "s3cret-pass")).status == 200)
            // "$encrypted$" sent back keeps the password.
            #expect(try await server.request("PATCH", "/api/v2/users/\(id)/", json: ["password": "$encrypted$", "first_name": "A"]).status == 200)
            #expect(try await server.get("/api/v2/me/", auth: .basic("alice", "s3cret-pass")).status == 200)
        }
    }

    @Test func credentialSecretsAreEncryptedAtRest() async throws {
        try await withController { server in
            let machine = try #require(try await server.get("/api/v2/credential_types/?name=Machine").json["results"]?.arrayValue?.first?["id"]?.intValue)
            let created = try await server.request("POST", "/api/v2/credentials/", json: [
                "name": "ssh", "credential_type": .int(machine), "inputs": ["username": "deploy", "password": "hunter2", "ssh_key_data": "KEYDATA"]])
            #expect(created.status == 201)
            #expect(created.json["inputs"]?["password"] == "$encrypted$")
            #expect(created.json["inputs"]?["username"] == "deploy")
            let id = try #require(created.json["id"]?.intValue)
            let rows = try await server.controller.database.all(SQLFragment("SELECT inputs FROM credentials"))
            let stored = try rows[0].decode(column: "inputs", as: String.self)
            #expect(!stored.contains("hunter2") && !stored.contains("KEYDATA"))
            // "$encrypted$" keeps the secret; the runner can still read it.
            #expect(try await server.request("PATCH", "/api/v2/credentials/\(id)/", json: ["inputs": ["username": "deploy2", "password": "$encrypted$"]]).status == 200)
            let secrets = try await CredentialSecrets.decryptedInputs(server.controller, credentialID: id)
            #expect(secrets["password"] == "hunter2")
            #expect(secrets["username"] == "deploy2")
            let stream = try await server.get("/api/v2/activity_stream/?object1=credential")
            #expect(!stream.body.contains("hunter2"))
            let key = server.dataDirectory.appendingPathComponent("secret.key")
            let permissions = try FileManager.default.attributesOfItem(atPath: key.path)[.posixPermissions] as? Int
            #expect(permissions == 0o600)
        }
    }
}
