import Foundation
import XCTest

/// `troupe galaxy` end to end with the built binary, checked both ways against the real
/// ansible-galaxy: what one builds or installs, the other reads.
final class GalaxyCLITests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-galaxy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    private func troupe(_ arguments: [String], _ environment: [String: String] = [:]) throws -> TroupeBinary.Output {
        try TroupeBinary.run(arguments, in: directory, environment: environment, closedInput: true)
    }

    /// Runs a program from PATH in the test directory; stdout and stderr merged.
    @discardableResult
    private func shell(_ command: String, _ environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private func requireAnsibleGalaxy() throws {
        let found = try shell("command -v ansible-galaxy")
        XCTAssertEqual(found.status, 0, "ansible-galaxy is needed as the oracle; scripts/install-deps.sh installs ansible-core")
        if found.status != 0 { throw XCTSkip("ansible-galaxy missing (reported as a failure above)") }
    }

    func testTroupeBuildsWhatAnsibleGalaxyInstallsAndLists() throws {
        try requireAnsibleGalaxy()
        let created = try troupe(["galaxy", "collection", "init", "acme.web"])
        XCTAssertEqual(created.status, 0, created.combined)
        XCTAssertEqual(created.stdout, "- Collection acme.web was created successfully\n")
        try FileManager.default.createDirectory(atPath: "\(directory!)/acme/web/plugins/modules", withIntermediateDirectories: true)
        try "#!/usr/bin/python\nprint('{}')\n".write(toFile: "\(directory!)/acme/web/plugins/modules/hello.py", atomically: true, encoding: .utf8)
        try "x".write(toFile: "\(directory!)/acme/web/plugins/modules/hello.pyc", atomically: true, encoding: .utf8)

        let built = try troupe(["galaxy", "collection", "build", "acme/web"])
        XCTAssertEqual(built.status, 0, built.combined)
        XCTAssertEqual(built.stdout, "Created collection for acme.web at \(directory!)/acme-web-1.0.0.tar.gz\n")
        let again = try troupe(["galaxy", "collection", "build", "acme/web"])
        XCTAssertEqual(again.status, 1, again.combined)
        XCTAssertTrue(again.combined.contains("already exists. You can use --force"), again.combined)

        let members = try shell("tar tzf acme-web-1.0.0.tar.gz").output.split(separator: "\n")
        XCTAssertEqual(Array(members.prefix(2)), ["MANIFEST.json", "FILES.json"])
        XCTAssertTrue(members.contains("plugins/modules/hello.py"))
        XCTAssertFalse(members.contains { $0.hasSuffix(".pyc") || $0 == "galaxy.yml" }, "\(members)")

        // ansible-galaxy verifies the checksums while installing our artifact, then lists it.
        let environment = ["ANSIBLE_COLLECTIONS_PATH": "\(directory!)/theirs"]
        let installed = try shell("ansible-galaxy collection install acme-web-1.0.0.tar.gz", environment)
        XCTAssertEqual(installed.status, 0, installed.output)
        XCTAssertTrue(installed.output.contains("acme.web:1.0.0 was installed successfully"), installed.output)
        let listed = try shell("ansible-galaxy collection list acme.web", environment)
        XCTAssertTrue(listed.output.contains("acme.web") && listed.output.contains("1.0.0"), listed.output)
        let verified = try shell("ansible-galaxy collection verify --offline acme.web", environment)
        XCTAssertEqual(verified.status, 0, verified.output)
    }

    func testTroupeInstallsWhatAnsibleGalaxyBuildsFromTarballDirectoryAndGit() throws {
        try requireAnsibleGalaxy()
        XCTAssertEqual(try shell("ansible-galaxy collection init acme.tools && ansible-galaxy collection build acme/tools").status, 0)
        try FileManager.default.copyItem(atPath: "\(directory!)/acme/tools", toPath: "\(directory!)/gitsrc")
        XCTAssertEqual(try shell("cd gitsrc && sed -i 's/^name: tools/name: fromgit/' galaxy.yml && git init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm one && git tag v2").status, 0)
        try """
            collections:
              - name: acme-tools-1.0.0.tar.gz
                type: file
              - name: \(directory!)/gitsrc
                type: git
                version: v2
            """.write(toFile: "\(directory!)/requirements.yml", atomically: true, encoding: .utf8)
        let environment = ["ANSIBLE_COLLECTIONS_PATH": "\(directory!)/ours"]
        let installed = try troupe(["galaxy", "collection", "install", "-r", "requirements.yml"], environment)
        XCTAssertEqual(installed.status, 0, installed.combined)
        XCTAssertTrue(installed.stdout.contains("Installing 'acme.tools:1.0.0' to '\(directory!)/ours/ansible_collections/acme/tools'"), installed.stdout)
        XCTAssertTrue(installed.stdout.contains("acme.fromgit:1.0.0 was installed successfully"), installed.stdout)

        // A source directory gets MANIFEST.json and FILES.json, so ansible-galaxy can verify it.
        let fromDirectory = try troupe(["galaxy", "collection", "install", "acme/tools", "-p", "\(directory!)/dir"])
        XCTAssertEqual(fromDirectory.status, 0, fromDirectory.combined)
        let verified = try shell("ansible-galaxy collection verify --offline acme.tools", ["ANSIBLE_COLLECTIONS_PATH": "\(directory!)/dir"])
        XCTAssertEqual(verified.status, 0, verified.output)

        let listed = try troupe(["galaxy", "collection", "list"], environment)
        XCTAssertEqual(listed.stdout, """
            # \(directory!)/ours/ansible_collections
            Collection   Version
            ------------ -------
            acme.fromgit 1.0.0  
            acme.tools   1.0.0  

            """)
        let theirs = try shell("ansible-galaxy collection list", environment)
        XCTAssertTrue(theirs.output.contains("acme.fromgit") && theirs.output.contains("acme.tools"), theirs.output)

        // Installed again: nothing to do without --force; with it, replaced.
        let skipped = try troupe(["galaxy", "collection", "install", "acme-tools-1.0.0.tar.gz"], environment)
        XCTAssertTrue(skipped.stdout.contains("'acme.tools:1.0.0' is already installed, skipping."), skipped.stdout)
        let forced = try troupe(["galaxy", "collection", "install", "--force", "acme-tools-1.0.0.tar.gz"], environment)
        XCTAssertTrue(forced.stdout.contains("acme.tools:1.0.0 was installed successfully"), forced.stdout)
    }

    func testDamagedArtifactsAndUnsupportedSourcesFailClearly() throws {
        try requireAnsibleGalaxy()
        XCTAssertEqual(try shell("ansible-galaxy collection init acme.bad && ansible-galaxy collection build acme/bad").status, 0)
        // Change a file inside the artifact without updating FILES.json.
        XCTAssertEqual(try shell("mkdir x && cd x && tar xzf ../acme-bad-1.0.0.tar.gz && echo changed >> README.md && tar czf ../damaged.tar.gz *").status, 0)
        let damaged = try troupe(["galaxy", "collection", "install", "damaged.tar.gz", "-p", "out"])
        XCTAssertEqual(damaged.status, 1, damaged.combined)
        XCTAssertTrue(damaged.combined.contains("'README.md' does not match its checksum in FILES.json"), damaged.combined)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(directory!)/out/ansible_collections/acme/bad"))

        let unreachable = try troupe(["galaxy", "collection", "install", "community.general", "-p", "out", "-s", "http://127.0.0.1:9/"])
        XCTAssertEqual(unreachable.status, 1, unreachable.combined)
        XCTAssertTrue(unreachable.combined.contains("Could not satisfy the following requirements:\n* community.general:*"), unreachable.combined)
        XCTAssertTrue(unreachable.combined.contains("Failed to download http://127.0.0.1:9/api/"), unreachable.combined)
        let notAName = try troupe(["galaxy", "collection", "install", "nonsense", "-p", "out"])
        XCTAssertTrue(notAName.combined.contains("'nonsense' is not an FQCN"), notAName.combined)

        try "collections:\n  - version: 1.0\n".write(toFile: "\(directory!)/bad.yml", atomically: true, encoding: .utf8)
        let bad = try troupe(["galaxy", "collection", "install", "-r", "bad.yml"])
        XCTAssertEqual(bad.status, 1, bad.combined)
        XCTAssertTrue(bad.combined.contains("Collections requirement entry should contain the key 'name'"), bad.combined)
        XCTAssertTrue(bad.combined.contains("Origin: \(directory!)/bad.yml:2:5"), bad.combined)
    }

    func testRolesFromGitAndTarballInstallListAndRun() throws {
        try requireAnsibleGalaxy()
        let created = try troupe(["galaxy", "role", "init", "greeter", "--init-path", "src"])
        XCTAssertEqual(created.stdout, "- Role greeter was created successfully\n")
        try "---\n- name: greet\n  debug:\n    msg: hello from greeter\n".write(toFile: "\(directory!)/src/greeter/tasks/main.yml", atomically: true, encoding: .utf8)
        XCTAssertEqual(try shell("cd src/greeter && git init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm one && git tag v1.2").status, 0)
        XCTAssertEqual(try shell("tar czf greeter.tar.gz -C src greeter").status, 0)
        try """
            roles:
              - src: git+file://\(directory!)/src/greeter
                version: v1.2
                name: web
              - src: greeter.tar.gz
                name: packed
            """.write(toFile: "\(directory!)/requirements.yml", atomically: true, encoding: .utf8)
        let installed = try troupe(["galaxy", "install", "-r", "requirements.yml", "-p", "roles"])
        XCTAssertEqual(installed.status, 0, installed.combined)
        XCTAssertTrue(installed.stdout.contains("- web (v1.2) was installed successfully"), installed.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(directory!)/roles/web/.git"))

        let theirs = try shell("ansible-galaxy role list -p roles")
        XCTAssertTrue(theirs.output.contains("- web, v1.2"), theirs.output)
        let ours = try troupe(["galaxy", "role", "list", "-p", "roles"])
        XCTAssertTrue(ours.stdout.hasPrefix("# \(directory!)/roles\n- packed, (unknown version)\n- web, v1.2\n"), ours.stdout)

        try "- hosts: localhost\n  gather_facts: false\n  roles: [web, packed]\n".write(toFile: "\(directory!)/site.yml", atomically: true, encoding: .utf8)
        let run = try troupe(["playbook", "site.yml", "-i", "localhost,", "-c", "local"], ["ANSIBLE_ROLES_PATH": "\(directory!)/roles"])
        XCTAssertEqual(run.status, 0, run.combined)
        XCTAssertEqual(run.combined.components(separatedBy: "\"msg\": \"hello from greeter\"").count - 1, 2, run.combined)
    }

    /// A Galaxy server's v3 API, served as static files by Python's http.server: the newest
    /// version inside the range is chosen, its checksum checked, and its dependency fetched.
    func testCollectionsFromAGalaxyServerWithRangesAndDependencies() throws {
        for (name, version, dependencies) in [("base", "1.0.0", "{}"), ("tools", "1.1.0", "{'acme.base': '>=1.0.0'}"),
                                               ("tools", "2.0.0", "{}")] {
            XCTAssertEqual(try shell("""
                rm -rf src && ansible-galaxy collection init acme.\(name) --init-path src >/dev/null && \\
                sed -i "s/^version: .*/version: \(version)/; s/^dependencies: .*/dependencies: \(dependencies)/" src/acme/\(name)/galaxy.yml
                """).status, 0)
            let built = try troupe(["galaxy", "collection", "build", "src/acme/\(name)", "--output-path", "site/download"])
            XCTAssertEqual(built.status, 0, built.combined)
        }
        func write(_ relative: String, _ json: String) throws {
            let path = "\(directory!)/site/\(relative)/index.html"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try json.write(toFile: path, atomically: true, encoding: .utf8)
        }
        func sha(_ file: String) throws -> String {
            String(try shell("sha256sum site/download/\(file)").output.prefix(64))
        }
        try write("api", #"{"available_versions": {"v3": "v3/"}}"#)
        try write("api/v3/collections/acme/tools/versions", #"{"data": [{"version": "2.0.0"}], "links": {"next": "/api/v3/collections/acme/tools/versions/page2/"}}"#)
        try write("api/v3/collections/acme/tools/versions/page2", #"{"data": [{"version": "1.1.0"}, {"version": "1.0.0"}], "links": {"next": null}}"#)
        try write("api/v3/collections/acme/tools/versions/1.1.0", #"{"download_url": "/download/acme-tools-1.1.0.tar.gz", "artifact": {"sha256": "\#(try sha("acme-tools-1.1.0.tar.gz"))"}, "metadata": {"dependencies": {"acme.base": ">=1.0.0"}}}"#)
        try write("api/v3/collections/acme/base/versions", #"{"data": [{"version": "1.0.0"}], "links": {"next": null}}"#)
        try write("api/v3/collections/acme/base/versions/1.0.0", #"{"download_url": "/download/acme-base-1.0.0.tar.gz", "artifact": {"sha256": "\#(try sha("acme-base-1.0.0.tar.gz"))"}, "metadata": {"dependencies": {}}}"#)

        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", "-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", "\(directory!)/site", "0"]
        let output = Pipe()
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        let banner = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let port = try XCTUnwrap(banner.components(separatedBy: " port ").last?.split(separator: " ").first, banner)

        let installed = try troupe(["galaxy", "collection", "install", "acme.tools:>=1.0.0,<2.0.0", "-p", "cols",
                                    "--server", "http://127.0.0.1:\(port)/"])
        XCTAssertEqual(installed.status, 0, installed.combined)
        XCTAssertTrue(installed.stdout.contains("acme.tools:1.1.0 was installed successfully"), installed.stdout)
        XCTAssertTrue(installed.stdout.contains("acme.base:1.0.0 was installed successfully"), installed.stdout)
        let verified = try shell("ansible-galaxy collection verify --offline acme.tools acme.base", ["ANSIBLE_COLLECTIONS_PATH": "\(directory!)/cols"])
        XCTAssertEqual(verified.status, 0, verified.output)

        // The server list from ansible.cfg, and a damaged download refused by its checksum.
        try "[galaxy]\nserver_list = mine\n\n[galaxy_server.mine]\nurl = http://127.0.0.1:\(port)/\n".write(
            toFile: "\(directory!)/ansible.cfg", atomically: true, encoding: .utf8)
        XCTAssertEqual(try shell("cp site/download/acme-tools-2.0.0.tar.gz site/download/acme-tools-1.1.0.tar.gz").status, 0)
        let damaged = try troupe(["galaxy", "collection", "install", "acme.tools:1.1.0", "-p", "cols2"],
                                 ["ANSIBLE_CONFIG": "\(directory!)/ansible.cfg"])
        XCTAssertEqual(damaged.status, 1, damaged.combined)
        XCTAssertTrue(damaged.combined.contains("Mismatch artifact hash with downloaded file for acme.tools:1.1.0"), damaged.combined)
    }
}
