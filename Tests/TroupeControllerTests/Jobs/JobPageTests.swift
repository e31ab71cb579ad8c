import Foundation
import Testing
@testable import TroupeController

/// The live job page: served to sessions only, linked from the browsable API, and in a real
/// headless Chromium it shows a running job's output as its events arrive, cancels it with
/// its button, and shows a finished job's host counts.
@Suite("job page", .serialized)
struct JobPageTests {
    static let playbook = """
        - hosts: all
          gather_facts: false
          tasks:
            - name: first
              debug: msg="hello from the job page"
            - name: wait
              command: sleep 120
              when: long | default(false) | bool
        """

    @Test func servedToSessionsAndLinkedFromTheBrowsableAPI() async throws {
        try await withController { server in
            let template = try await JobsHTTPTests.makeTemplate(server, playbook: Self.playbook)
            let job = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["job"]?.intValue)
            _ = try await JobsHTTPTests.waitForEnd(server, job)
            let anonymous = try await server.request("GET", "/api/v2/jobs/\(job)/live/", auth: .none)
            #expect(anonymous.status == 302)
            #expect(anonymous.header("Location") == "/api/login/?next=/api/v2/jobs/\(job)/live/")
            let page = try await server.get("/api/v2/jobs/\(job)/live/")
            #expect(page.status == 200)
            #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(page.body.contains("id=\"job-status\"") && page.body.contains("const jobID = \(job),"))
            #expect(page.header("Set-Cookie")?.hasPrefix("csrftoken=") == true)
            #expect(try await server.get("/api/v2/jobs/999/live/").status == 404)
            let viewer = try await server.makeUser("outsider", password: "outsider-pw")
            #expect(viewer > 0)
            #expect(try await server.request("GET", "/api/v2/jobs/\(job)/live/", auth: .basic("outsider", "outsider-pw")).status == 403)
            let detail = try await server.request("GET", "/api/v2/jobs/\(job)/?format=api")
            #expect(detail.body.contains("<a id=\"live-output\" href=\"/api/v2/jobs/\(job)/live/\">"))
            let list = try await server.request("GET", "/api/v2/jobs/?format=api")
            #expect(!list.body.contains("id=\"live-output\""))
        }
    }

    // Bounded: a stalled Chromium fails the test after three minutes; the cancellation
    // handler then kills chromedriver's process group so no browser outlives the test.
    @Test(.timeLimit(.minutes(3)))
    func liveOutputCancelAndHostCountsInChromium() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else {
            throw TestFailure("chromedriver is missing; scripts/install-deps.sh installs Debian's chromium-driver")
        }
        try await withController { server in
            let template = try await JobsHTTPTests.makeTemplate(server, playbook: Self.playbook, extra: ["ask_variables_on_launch": true])
            let long = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/",
                                                             json: ["extra_vars": ["long": true]]).json["job"]?.intValue)
            try await WebDriver.session { driver in
                try await driver.logIn(server, next: "/api/v2/jobs/\(long)/live/")
                // The running job's output arrives over the WebSocket, coloured: ok lines green.
                try await driver.waitFor {
                    $0.contains(">running<") && $0.contains("TASK [wait]") && $0.contains("<span class=\"c32\">ok: [alpha]")
                }
                #expect(try await driver.currentURL().hasSuffix("/api/v2/jobs/\(long)/live/"))
                try await driver.click("#cancel-button")
                try await driver.waitFor { $0.contains(">canceled<") && $0.contains("cancel requested") }
                let canceled = try await JobsHTTPTests.waitForEnd(server, long)
                #expect(canceled["status"] == "canceled")

                // A finished job: the whole output and each host counted once.
                let short = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["job"]?.intValue)
                _ = try await JobsHTTPTests.waitForEnd(server, short)
                try await driver.open(server.baseURL + "/api/v2/jobs/\(short)/live/")
                try await driver.waitFor {
                    $0.contains(">successful<") && $0.contains("PLAY RECAP") && $0.contains("id=\"count-ok\">ok: 2<")
                }
                #expect(try await driver.source().contains("<button id=\"cancel-button\" type=\"button\" disabled=\"\">"))
            }
        }
    }
}
