import Foundation
import Testing
@testable import TroupeController

/// OAuth2 applications as AWX 24.6.1 serves them: generated client credentials with the
/// secret shown only by the create, organization-scoped access, application tokens, and
/// `/api/o/token/` authenticating the client of a password grant.
@Suite("OAuth2 applications")
struct ApplicationsTests {
    @Test(arguments: TestController.Engine.allCases)
    func credentialsValidationAndTokens(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let org = try await server.create("/api/v2/organizations/", ["name": "AppOrg"])
            let created = try await server.request("POST", "/api/v2/applications/", json: [
                "name": "cli", "organization": .int(org), "client_type": "confidential", "authorization_grant_type": "password"])
            #expect(created.status == 201, "\(created.body)")
            let app = try #require(created.json["id"]?.intValue)
            let clientID = try #require(created.json["client_id"]?.stringValue)
            let secret = try #require(created.json["client_secret"]?.stringValue)
            #expect(clientID.count == 40 && secret.count > 64)
            #expect(created.json["type"] == "o_auth2_application")
            let detail = try await server.get("/api/v2/applications/\(app)/").json
            #expect(detail["client_secret"] == "$encrypted$")
            #expect(detail["client_id"]?.stringValue == clientID)
            #expect(detail["related"]?["tokens"] == .string("/api/v2/applications/\(app)/tokens/"))
            #expect(try await server.get("/api/v2/applications/cli++AppOrg/").status == 200)
            #expect(try await server.get("/api/v2/organizations/\(org)/applications/").json["count"] == 1)

            // Public clients have no secret; authorization-code needs redirect URIs.
            let publicApp = try await server.request("POST", "/api/v2/applications/", json: [
                "name": "web", "organization": .int(org), "client_type": "public", "authorization_grant_type": "authorization-code",
                "redirect_uris": "https://example.com/callback"])
            #expect(publicApp.status == 201)
            #expect(publicApp.json["client_secret"] == nil)
            let noRedirect = try await server.request("POST", "/api/v2/applications/", json: [
                "name": "bad", "organization": .int(org), "client_type": "public", "authorization_grant_type": "authorization-code"])
            #expect(noRedirect.status == 400)
            #expect(noRedirect.json["redirect_uris"] != nil, "\(noRedirect.body)")
            let missing = try await server.request("POST", "/api/v2/applications/", json: ["name": "x", "organization": .int(org)])
            #expect(missing.status == 400)
            #expect(missing.json["client_type"] != nil && missing.json["authorization_grant_type"] != nil, "\(missing.body)")

            // Application tokens.
            let token = try await server.request("POST", "/api/v2/applications/\(app)/tokens/", json: ["scope": "read"])
            #expect(token.status == 201, "\(token.body)")
            #expect(token.json["application"] == .int(app))
            let bearer = try #require(token.json["token"]?.stringValue)
            #expect(try await server.get("/api/v2/me/", auth: .bearer(bearer)).status == 200)
            #expect(try await server.get("/api/v2/applications/\(app)/tokens/").json["count"] == 1)
            #expect(try await server.get("/api/v2/applications/\(app)/").json["summary_fields"]?["tokens"]?["count"] == 1)
            #expect(try await server.request("POST", "/api/v2/tokens/", json: ["application": 999]).status == 400)
            #expect(try await server.request("POST", "/api/v2/applications/999/tokens/", json: [:]).status == 404)

            // The password grant authenticates the client.
            func grant(_ fields: String) async throws -> TestController.Reply {
                try await server.request("POST", "/api/o/token/", auth: .none,
                                         body: "grant_type=password&username=admin&password=\(TestController.adminPassword)&scope=write" + fields,
                                         contentType: "application/x-www-form-urlencoded")
            }
            let granted = try await grant("&client_id=\(clientID)&client_secret=\(secret)")
            #expect(granted.status == 200, "\(granted.body)")
            let access = try #require(granted.json["access_token"]?.stringValue)
            #expect(try await server.get("/api/v2/me/", auth: .bearer(access)).status == 200)
            #expect(try await server.get("/api/v2/applications/\(app)/tokens/").json["count"] == 2)
            let wrongSecret = try await grant("&client_id=\(clientID)&client_secret=nope")
            #expect(wrongSecret.status == 401)
            #expect(wrongSecret.json["error"] == "invalid_client")
            let codeClient = try #require(publicApp.json["client_id"]?.stringValue)
            #expect(try await grant("&client_id=\(codeClient)").json["error"] == "unauthorized_client")

            // Deleting the application removes its tokens.
            #expect(try await server.request("DELETE", "/api/v2/applications/\(app)/").status == 204)
            #expect(try await server.get("/api/v2/me/", auth: .bearer(bearer)).status == 401)
        }
    }

    @Test func organizationRolesDecideAccess() async throws {
        try await withController { server in
            let mine = try await server.create("/api/v2/organizations/", ["name": "Mine"])
            let other = try await server.create("/api/v2/organizations/", ["name": "Other"])
            let admin = try await server.makeUser("orgadmin", password: "orgadmin-pw")
            let member = try await server.makeUser("orgmember", password: "orgmember-pw")
            try await server.makeUser("outsider", password: "outsider-pw")
            try await AccessTests.grant(server, user: admin, role: try await AccessTests.role(server, "/api/v2/organizations/\(mine)/", "admin_role"))
            try await AccessTests.grant(server, user: member, role: try await AccessTests.role(server, "/api/v2/organizations/\(mine)/", "member_role"))
            let asAdmin = TestController.Auth.basic("orgadmin", "orgadmin-pw")
            let asMember = TestController.Auth.basic("orgmember", "orgmember-pw")
            let asOutsider = TestController.Auth.basic("outsider", "outsider-pw")
            let body: JSON = ["name": "tool", "organization": .int(mine), "client_type": "confidential", "authorization_grant_type": "password"]
            #expect(try await server.request("POST", "/api/v2/applications/", auth: asMember, json: body).status == 403)
            let app = try await server.create("/api/v2/applications/", body, auth: asAdmin)
            let elsewhere: JSON = ["name": "tool", "organization": .int(other), "client_type": "public", "authorization_grant_type": "password"]
            #expect(try await server.request("POST", "/api/v2/applications/", auth: asAdmin, json: elsewhere).status == 403)
            #expect(try await server.get("/api/v2/applications/", auth: asMember).json["count"] == 1)
            #expect(try await server.request("PATCH", "/api/v2/applications/\(app)/", auth: asMember, json: ["description": "x"]).status == 403)
            #expect(try await server.request("PATCH", "/api/v2/applications/\(app)/", auth: asAdmin, json: ["description": "x"]).status == 200)
            #expect(try await server.get("/api/v2/applications/", auth: asOutsider).json["count"] == 0)
            #expect(try await server.get("/api/v2/applications/\(app)/", auth: asOutsider).status == 404)
            #expect(try await server.request("POST", "/api/v2/applications/\(app)/tokens/", auth: asOutsider, json: [:]).status == 404)
            #expect(try await server.request("POST", "/api/v2/applications/\(app)/tokens/", auth: asMember, json: [:]).status == 201)
        }
    }
}
