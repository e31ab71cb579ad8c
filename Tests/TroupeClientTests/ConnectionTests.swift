import Foundation
import Testing
@testable import TroupeClient

@Suite struct EnvironmentTests {
    @Test func troupeVariablesGiveABearerConnection() throws {
        let api = try ServerAPI.fromEnvironment(["TROUPE_SERVER_URL": "http://127.0.0.1:8052/", "TROUPE_API_KEY": "abc"])
        #expect(api.baseURL == "http://127.0.0.1:8052")
        #expect(api.credentials == .apiKey("abc"))
        #expect(api.credentials?.authorizationHeader == "Bearer abc")
    }

    @Test func awxVariablesWork() throws {
        let token = try ServerAPI.fromEnvironment(["CONTROLLER_HOST": "https://awx.example.com", "CONTROLLER_OAUTH_TOKEN": "t"])
        #expect(token.baseURL == "https://awx.example.com")
        #expect(token.credentials == .apiKey("t"))
        let basic = try ServerAPI.fromEnvironment(["CONTROLLER_HOST": "awx.example.com", "CONTROLLER_USERNAME": "admin",
                                                   "CONTROLLER_PASSWORD": "pw", "CONTROLLER_VERIFY_SSL": "false"])
        #expect(basic.baseURL == "https://awx.example.com")
        #expect(basic.credentials == .basic(username: "admin", password: "pw"))
        #expect(basic.options.verifyTLS == false)
        #expect(basic.credentials?.authorizationHeader == "Basic " + Data("admin:pw".utf8).base64EncodedString())
    }

    @Test func missingVariablesAreNamed() {
        #expect(throws: ClientError.missingEnvironment("TROUPE_SERVER_URL")) { try ServerAPI.fromEnvironment([:]) }
        #expect(throws: ClientError.missingEnvironment("TROUPE_API_KEY")) {
            try ServerAPI.fromEnvironment(["TROUPE_SERVER_URL": "http://h"])
        }
        #expect(throws: ClientError.missingEnvironment("CONTROLLER_OAUTH_TOKEN")) {
            try ServerAPI.fromEnvironment(["CONTROLLER_HOST": "h"])
        }
        #expect(throws: ClientError.missingEnvironment("CONTROLLER_PASSWORD")) {
            try ServerAPI.fromEnvironment(["CONTROLLER_HOST": "h", "CONTROLLER_USERNAME": "u"])
        }
        #expect(ClientError.missingEnvironment("TROUPE_API_KEY").description == "environment variable TROUPE_API_KEY is not set")
    }

    @Test func badURLsAndCAFilesAreRejected() {
        #expect(throws: ClientError.invalidURL("ftp://x")) { try ServerAPI(url: "ftp://x", apiKey: "k") }
        #expect(throws: ClientError.invalidURL("localhost:8052")) { try ServerAPI(url: "localhost:8052", apiKey: "k") }
        #expect(throws: ClientError.self) {
            try ServerAPI(url: "https://h", apiKey: "k", options: ServerOptions(caFile: "/nonexistent/ca.pem"))
        }
    }

    @Test func pathsGetTheAPIRootAndATrailingSlash() throws {
        let api = try ServerAPI(url: "http://h:1", apiKey: "k")
        #expect(api.resolve("jobs").path == "/api/v2/jobs/")
        #expect(api.resolve("jobs/5").url == "http://h:1/api/v2/jobs/5/")
        #expect(api.resolve("/api/v2/jobs").path == "/api/v2/jobs/")
        #expect(api.resolve("/api/v2/jobs/?page=2&page_size=5").path == "/api/v2/jobs/?page=2&page_size=5")
        #expect(api.resolve("/api/v2/jobs?page=2").path == "/api/v2/jobs/?page=2")
        #expect(api.resolve("hosts", query: [("name", "a b&c")]).path == "/api/v2/hosts/?name=a%20b%26c")
        #expect(api.resolve("https://other:9/api/v2/ping").url == "https://other:9/api/v2/ping/")
    }

    @Test func keywordArgumentsBecomeQueryItems() {
        let items = ServerAPI.queryItems(["status": "failed", "page_size": 5, "skip": nil, "id__in": [1, 2], "on": true])
        #expect(items.map { "\($0.name)=\($0.value)" } == ["id__in=1,2", "on=true", "page_size=5", "status=failed"])
    }

    @Test func namedURLsAreEncodedTheAWXWay() {
        #expect(ResourceID.named(["web1"], ["inv"], ["Default"]) == .name("web1++inv++Default"))
        #expect(ResourceID.named(["a+b/c"], ["Org"]) == .name("a[+]b%2Fc++Org"))
        #expect(ResourceID.name("my host++inv").pathSegment == "my%20host++inv")
    }

    @Test func modelsKeepUnknownFields() throws {
        let json = #"{"id": 3, "name": "deploy", "playbook": "site.yml", "future_field": {"x": [1, 2]}}"#
        let template = try JSONDecoder().decode(JobTemplate.self, from: Data(json.utf8))
        #expect(template.id == 3 && template.name == "deploy" && template.playbook == "site.yml")
        let back = try JSONValue.parse(JSONEncoder().encode(template))
        #expect(back["future_field"] == ["x": [1, 2]])
    }
}
