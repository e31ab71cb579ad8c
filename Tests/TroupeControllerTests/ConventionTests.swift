import Foundation
import Testing
@testable import TroupeController

@Suite("API conventions", .serialized)
struct ConventionTests {
    @Test func rootEndpointsAnswerAnonymously() async throws {
        try await withController { server in
            let root = try await server.request("GET", "/api/", auth: .none)
            #expect(root.status == 200)
            #expect(root.json["current_version"] == "/api/v2/")
            #expect(root.json["available_versions"]?["v2"] == "/api/v2/")
            #expect(root.header("Set-Cookie")?.contains("csrftoken=") == true)
            let v2 = try await server.request("GET", "/api/v2/", auth: .none)
            #expect(v2.status == 200)
            #expect(v2.json["inventory"] == "/api/v2/inventories/")
            #expect(v2.json["job_templates"] == "/api/v2/job_templates/")
            let ping = try await server.request("GET", "/api/v2/ping/", auth: .none)
            #expect(ping.json["active_node"] == "test-node")
            #expect(ping.header("X-API-Node") == "test-node")
            #expect(ping.header("X-API-Product-Name") == "AWX")
            #expect(ping.header("X-API-Time")?.hasSuffix("s") == true)
        }
    }

    @Test func missingSlashRedirectsPermanently() async throws {
        try await withController { server in
            let reply = try await server.request("GET", "/api/v2/hosts?name=a", auth: .none)
            #expect(reply.status == 301)
            #expect(reply.header("Location") == "/api/v2/hosts/?name=a")
            let named = try await server.request("GET", "/api/v2/users/admin", auth: .none)
            #expect(named.status == 301)
            #expect(named.header("Location") == "/api/v2/users/admin/")
        }
    }

    @Test func unauthenticatedRequestsGetBearerChallenge() async throws {
        try await withController { server in
            let reply = try await server.request("GET", "/api/v2/hosts/", auth: .none)
            #expect(reply.status == 401)
            #expect(reply.header("WWW-Authenticate") == "Bearer realm=api authorization_url=/api/o/authorize/")
            #expect(reply.json["detail"]?.stringValue?.contains("/api/login/") == true)
            let wrong = try await server.request("GET", "/api/v2/hosts/", auth: .basic("admin", "nope"))
            #expect(wrong.status == 401)
            #expect(wrong.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        }
    }

    @Test func createDetailUpdateDeleteFollowAWX() async throws {
        try await withController { server in
            let created = try await server.request("POST", "/api/v2/organizations/", json: ["name": "Org1", "description": "d", "id": 999, "created": "x"])
            #expect(created.status == 201)
            let id = try #require(created.json["id"]?.intValue)
            #expect(id != 999)
            #expect(created.header("Location") == "/api/v2/organizations/\(id)/")
            #expect(created.json["type"] == "organization")
            #expect(created.json["url"] == .string("/api/v2/organizations/\(id)/"))
            #expect(created.json["related"]?["named_url"] == "/api/v2/organizations/Org1/")
            #expect(created.json["summary_fields"]?["object_roles"]?["admin_role"]?["name"] == "Admin")
            for key in ["id", "type", "url", "related", "summary_fields", "created", "modified", "name", "description"] {
                #expect(created.json[key] != nil, "missing \(key)")
            }
            let patched = try await server.request("PATCH", "/api/v2/organizations/\(id)/", json: ["description": "changed"])
            #expect(patched.status == 200)
            #expect(patched.json["description"] == "changed")
            let deleted = try await server.request("DELETE", "/api/v2/organizations/\(id)/")
            #expect(deleted.status == 204)
            #expect(try await server.get("/api/v2/organizations/\(id)/").status == 404)
        }
    }

    @Test func paginationIsRelativeAndCapped() async throws {
        try await withController { server in
            for i in 0..<7 { try await server.create("/api/v2/organizations/", ["name": .string("Org\(i)")]) }
            let first = try await server.get("/api/v2/organizations/?page_size=3&order_by=name")
            #expect(first.json["count"] == 7)
            #expect(first.json["next"] == "/api/v2/organizations/?order_by=name&page=2&page_size=3")
            #expect(first.json["previous"] == .null)
            #expect(first.json["results"]?.arrayValue?.count == 3)
            let second = try await server.get("/api/v2/organizations/?page_size=3&order_by=name&page=2")
            #expect(second.json["previous"] == "/api/v2/organizations/?order_by=name&page=1&page_size=3")
            let last = try await server.get("/api/v2/organizations/?page_size=3&page=last")
            #expect(last.json["results"]?.arrayValue?.count == 1)
            #expect(try await server.get("/api/v2/organizations/?page=9").status == 404)
            #expect(try await server.get("/api/v2/organizations/?page=0").status == 404)
            let capped = try await server.get("/api/v2/organizations/?page_size=5000")
            #expect(capped.status == 200)
            let bad = try await server.get("/api/v2/organizations/?page_size=abc")
            #expect(bad.json["results"]?.arrayValue?.count == 7)
            let noCount = try await server.get("/api/v2/organizations/?count_disabled=1")
            #expect(noCount.json["count"] == nil)
            #expect(noCount.json["results"]?.arrayValue?.count == 7)
        }
    }

    @Test func wrongContentTypeIs415AndUnknownMethodIs405() async throws {
        try await withController { server in
            let form = try await server.request("POST", "/api/v2/organizations/", body: "name=x", contentType: "application/x-www-form-urlencoded")
            #expect(form.status == 415)
            #expect(form.json["detail"]?.stringValue?.contains("application/json") == true)
            let method = try await server.request("PUT", "/api/v2/organizations/")
            #expect(method.status == 405)
            #expect(method.json["detail"] == "Method \"PUT\" not allowed.")
        }
    }

    @Test func optionsDescribeFieldsForTheCLI() async throws {
        try await withController { server in
            let list = try await server.request("OPTIONS", "/api/v2/hosts/")
            #expect(list.status == 200)
            let actions = try #require(list.json["actions"]?.objectValue)
            #expect(Set(actions.keys) == ["GET", "POST"])
            #expect(list.json["actions"]?["POST"]?["name"]?["required"] == true)
            #expect(list.json["actions"]?["POST"]?["inventory"]?["type"] == "id")
            #expect(list.json["actions"]?["GET"]?["variables"]?["type"] == "string")
            #expect(list.json["search_fields"] == ["name", "description"])
            #expect(list.json["max_page_size"] == 200)
            #expect(list.header("Allow") == "GET, POST, HEAD, OPTIONS")
            let detail = try await server.request("OPTIONS", "/api/v2/hosts/1/")
            #expect(detail.header("Allow") == "GET, PUT, PATCH, DELETE, HEAD, OPTIONS")
            let jt = try await server.request("OPTIONS", "/api/v2/job_templates/")
            #expect(jt.json["actions"]?["POST"]?["verbosity"]?["choices"]?.arrayValue?.first == [0, "0 (Normal)"])
            for resource in ["organizations", "projects", "inventories", "teams", "credentials", "job_templates", "workflow_job_templates", "instance_groups"] {
                #expect(try await server.request("OPTIONS", "/api/v2/\(resource)/").status == 200, "\(resource)")
            }
        }
    }

    @Test func sameRouterUnderControllerPrefix() async throws {
        try await withController { server in
            let id = try await server.create("/api/v2/organizations/", ["name": "Gw"])
            let reply = try await server.get("/api/controller/v2/organizations/\(id)/")
            #expect(reply.status == 200)
            #expect(reply.json["url"] == .string("/api/controller/v2/organizations/\(id)/"))
        }
    }
}
