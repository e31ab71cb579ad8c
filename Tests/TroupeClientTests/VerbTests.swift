import Foundation
import Testing
@testable import TroupeClient

@Suite struct VerbTests {
    @Test func everyVerbAndItsRawVariant() async throws {
        try await withFakeController { server in
            let api = try server.api()
            let created = try await api.post("organizations", ["name": "Eng", "description": "first"])
            let id = try #require(created["id"]?.intValue)
            #expect(created["name"] == "Eng")

            struct Org: Encodable, Sendable { let name: String; let description: String }
            let second = try await api.post("organizations", body: Org(name: "Ops", description: "encodable"))
            #expect(second["description"] == "encodable")

            let fetched = try await api.get("organizations/\(id)")
            #expect(fetched["description"] == "first")
            let filtered = try await api.get("organizations", ["name": "Ops"])
            #expect(filtered["count"] == 1)

            let patched = try await api.patch("organizations/\(id)", ["description": "patched"])
            #expect(patched["description"] == "patched" && patched["name"] == "Eng")
            let put = try await api.put("/api/v2/organizations/\(id)/", ["name": "Eng2", "description": "put"])
            #expect(put["name"] == "Eng2")
            #expect(try await api.delete("organizations/\(id)") == .null)
            await #expect(throws: ServerError.self) { try await api.get("organizations/\(id)") }

            // Raw: explicit headers, query, body bytes, content type; the answer untouched.
            let rawCreated = try await api.rawPost("organizations", RawRequest(
                headers: [(name: "X-Test", value: "1")], body: Data(#"{"name":"Raw"}"#.utf8), contentType: "application/json"))
            #expect(rawCreated.status == 201)
            #expect(rawCreated.header("location")?.hasPrefix("/api/v2/organizations/") == true)
            let rawID = try #require(rawCreated.json()["id"]?.intValue)
            let rawGet = try await api.rawGet("organizations", RawRequest(query: [(name: "name", value: "Raw")], timeout: 5))
            #expect(rawGet.status == 200 && rawGet.header("Content-Type") == "application/json")
            #expect(try rawGet.json()["results"]?[0]?["id"]?.intValue == rawID)
            let rawPatch = try await api.rawPatch("organizations/\(rawID)", RawRequest(body: Data(#"{"description":"d"}"#.utf8),
                                                                                         contentType: "application/json"))
            #expect(rawPatch.status == 200)
            let rawPut = try await api.rawPut("organizations/\(rawID)", RawRequest(body: Data(#"{"name":"Raw2"}"#.utf8),
                                                                                     contentType: "application/json"))
            #expect(try rawPut.json()["name"] == "Raw2")
            // A raw body without a JSON content type reaches the server as sent: AWX answers 415.
            let rawText = try await api.rawPost("organizations", RawRequest(body: Data("name=x".utf8), contentType: "text/plain"))
            #expect(rawText.status == 415)
            let rawDelete = try await api.rawDelete("organizations/\(rawID)")
            #expect(rawDelete.status == 204 && rawDelete.body.isEmpty)
            let rawMissing = try await api.rawGet("organizations/\(rawID)")
            #expect(rawMissing.status == 404)  // raw verbs do not throw on an HTTP error

            // No request needed a redirect: every path went out with its trailing slash.
            let log = await server.state.log()
            #expect(log.allSatisfy { $0.split(separator: "?")[0].hasSuffix("/") })
        }
    }

    @Test func errorsAreTyped() async throws {
        try await withFakeController { server in
            let api = try server.api()
            let badRequest = await #expect(throws: ServerError.self) { try await api.post("organizations", [:]) }
            #expect(badRequest?.status == 400)
            #expect(badRequest?.fieldErrors["name"] == ["This field is required."])
            #expect(badRequest?.method == "POST" && badRequest?.path == "/api/v2/organizations/")
            #expect(badRequest?.description == "POST /api/v2/organizations/: 400 Bad Request: name: This field is required.")

            let notFound = await #expect(throws: ServerError.self) { try await api.get("organizations/999") }
            #expect(notFound?.status == 404 && notFound?.detail == "Not found." && notFound?.isNotFound == true)

            let anonymous = try ServerAPI(url: server.url, credentials: nil)
            let unauthorized = await #expect(throws: ServerError.self) { try await anonymous.get("organizations") }
            #expect(unauthorized?.status == 401 && unauthorized?.isUnauthorized == true)
            #expect(unauthorized?.detail?.hasPrefix("Authentication credentials were not provided.") == true)
            let wrongToken = try server.api(token: "nope")
            await #expect(throws: ServerError.self) { try await wrongToken.get("organizations") }

            let readOnly = try server.api(token: FakeController.readOnlyToken)
            _ = try await readOnly.get("organizations")
            let forbidden = await #expect(throws: ServerError.self) { try await readOnly.post("organizations", ["name": "x"]) }
            #expect(forbidden?.status == 403 && forbidden?.detail == "You do not have permission to perform this action.")

            let basic = try ServerAPI(url: server.url, username: "admin", password: "secret")
            #expect(try await basic.get("organizations")["count"] == 0)
        }
    }

    @Test func retriesOn503ThenSucceeds() async throws {
        try await withFakeController { server in
            let api = try server.api(options: ServerOptions(timeout: 120, maxAttempts: 3, backoff: 0.01))
            await server.state.failNext(2)
            let answer = try await api.get("organizations")
            #expect(answer["count"] == 0)
            #expect(await server.state.log().count == 3)

            // Out of tries: the last 503 comes back as a typed error. Exactly as many 503s as
            // tries, so none is left over for the next request.
            await server.state.failNext(3)
            await server.state.clearLog()
            let error = await #expect(throws: ServerError.self) { try await api.post("organizations", ["name": "x"]) }
            #expect(error?.status == 503)
            #expect(await server.state.log().count == 3)

            // Other errors are not retried.
            await server.state.clearLog()
            await #expect(throws: ServerError.self) { try await api.get("organizations/12345") }
            #expect(await server.state.log().count == 1)
        }
    }

    @Test func connectionErrorsAreRetriedThenReported() async throws {
        // A port nothing listens on: the connection is refused on every try.
        let server = try await FakeController.start()
        let port = server.port
        await server.stop()
        let api = try ServerAPI(url: "http://127.0.0.1:\(port)", apiKey: "k",
                                options: ServerOptions(timeout: 2, maxAttempts: 3, backoff: 0.01))
        let started = Date()
        let error = await #expect(throws: ClientError.self) { try await api.get("ping") }
        guard case .unreachable(let method, _, let attempts, _)? = error else {
            Issue.record("expected .unreachable, got \(String(describing: error))")
            return
        }
        #expect(method == "GET" && attempts == 3)
        #expect(Date().timeIntervalSince(started) < 60)  // refused at once, not a timeout
    }

    @Test func defaultConnectionIsLazyAndReplaceable() async throws {
        try await withFakeController { server in
            let api = try server.api()
            ServerAPI.setConnection(api)
            #expect(ServerAPI.isConnectionCreated)
            #expect(try ServerAPI.connection() === api)
            ServerAPI.setConnection(nil)
            #expect(!ServerAPI.isConnectionCreated)
        }
    }
}
