import Foundation
import XCTest
@testable import TroupeController

final class JobEventMapperTests: XCTestCase {
    func testRunnerEventsBecomeAWXRows() throws {
        var mapper = JobEventMapper(unifiedJobID: 9, node: "n1", hostIDs: ["web1": 31])
        let task = mapper.map(line: #"{"uuid":"t1","counter":3,"stdout":"\r\nTASK [roles/x : copy] ***","start_line":2,"end_line":4,"runner_ident":"9","event":"playbook_on_task_start","pid":1,"created":"2026-12-07T12:00:00.123456+00:00","parent_uuid":"p1","event_data":{"playbook":"site.yml","play":"web","task":"copy","role":"x","is_conditional":false}}"#)
        let row = try XCTUnwrap(task)
        XCTAssertEqual(row.eventLevel, 2)
        XCTAssertEqual(row.eventDisplay, "Task Started (x | copy)")
        XCTAssertEqual(row.created, "2026-12-07T12:00:00.123456Z")
        XCTAssertEqual([row.playbook, row.play, row.task, row.role], ["site.yml", "web", "copy", "x"])

        let failedIgnored = try XCTUnwrap(mapper.map(line: #"{"uuid":"e1","counter":4,"stdout":"","start_line":4,"end_line":5,"event":"runner_on_failed","parent_uuid":"t1","event_data":{"host":"web1","ignore_errors":true,"res":{"changed":true}}}"#))
        XCTAssertFalse(failedIgnored.failed, "ignore_errors keeps the event from failing, as AWX")
        XCTAssertTrue(failedIgnored.changed)
        XCTAssertEqual(failedIgnored.hostID, 31)
        XCTAssertEqual(failedIgnored.hostName, "web1")
        XCTAssertEqual(failedIgnored.eventLevel, 3)

        let unreachable = try XCTUnwrap(mapper.map(line: #"{"uuid":"e2","counter":5,"event":"runner_on_unreachable","parent_uuid":"t2","event_data":{"host":"db"}}"#))
        XCTAssertTrue(unreachable.failed)
        XCTAssertNil(unreachable.hostID)
        XCTAssertEqual(mapper.changedParents, ["t1"])
        XCTAssertEqual(mapper.failedParents, ["t2"])

        XCTAssertNil(mapper.map(line: "not json"))
        XCTAssertNil(mapper.map(line: ""))

        let stats = try XCTUnwrap(mapper.map(line: #"{"uuid":"s","counter":6,"event":"playbook_on_stats","parent_uuid":"pb","event_data":{"ok":{"web1":2,"db":0},"changed":{"web1":1},"failures":{},"dark":{"db":1},"processed":{"web1":1,"db":1},"skipped":{},"ignored":{"web1":1},"rescued":{}}}"#))
        XCTAssertTrue(stats.failed)
        XCTAssertTrue(stats.changed)
        XCTAssertEqual(stats.eventLevel, 1)
        XCTAssertEqual(stats.eventDisplay, "Playbook Complete")
        XCTAssertEqual(mapper.hostSummaries.map(\.hostName), ["db", "web1"])
        XCTAssertEqual(mapper.hostSummaries.map(\.failed), [true, false])
        XCTAssertEqual(mapper.hostSummaries[1].ok, 2)
        XCTAssertEqual(mapper.hostSummaries[1].ignored, 1)
        XCTAssertEqual(mapper.hostSummaries[1].hostID, 31)
        XCTAssertEqual(mapper.failedHosts, ["db"])
        XCTAssertEqual(mapper.lastCounter, 6)
    }

    func testTimestampsRoundTrip() throws {
        let date = Date(timeIntervalSince1970: 1_796_644_800.123456)
        let text = JobClock.format(date)
        XCTAssertEqual(text, "2026-12-07T12:00:00.123456Z")
        XCTAssertEqual(try XCTUnwrap(JobClock.parse(text)).timeIntervalSince1970, date.timeIntervalSince1970, accuracy: 0.000002)
    }

    func testTerminalStatusFollowsAWX() {
        XCTAssertEqual(JobTermination.terminalStatus(exitCode: 0, stopReason: nil, timeout: 0).0, "successful")
        XCTAssertEqual(JobTermination.terminalStatus(exitCode: 2, stopReason: nil, timeout: 0).0, "failed")
        XCTAssertEqual(JobTermination.terminalStatus(exitCode: 254, stopReason: .cancel, timeout: 0).0, "canceled")
        let timeout = JobTermination.terminalStatus(exitCode: 254, stopReason: .timeout, timeout: 3)
        XCTAssertEqual(timeout.0, "failed")
        XCTAssertTrue(timeout.1.contains("timeout"))
        let killed = JobTermination.terminalStatus(exitCode: 137, stopReason: nil, timeout: 0)
        XCTAssertEqual(killed.0, "error")
        XCTAssertTrue(killed.1.contains("SIGKILL"))
    }

    func testPrivateDataDirHoldsSecretsInOwnerOnlyFiles() throws {
        let root = NSTemporaryDirectory() + "troupe-pdd-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        var spec = JobSpec(id: 12)
        spec.playbook = "site.yml"
        spec.projectPath = "/srv/project"
        spec.hosts = [JobSpec.Host(id: 1, name: "web 1", variablesJSON: "---\nansible_port: 2222\n")]
        spec.groups = [JobSpec.Group(name: "web", hosts: ["web 1"], variablesJSON: #"{"tier": "front"}"#)]
        spec.limit = "web"
        spec.verbosity = 2
        spec.jobType = "check"
        spec.extraVarsJSON = #"{"answer": "s3cret-survey"}"#
        spec.machine = JobSpec.Machine(username: "deploy", password: "ssh-pass", sshKeyData: "-----BEGIN KEY-----\nabc\n-----END KEY-----",
                                       becomeMethod: "sudo", becomeUsername: "root", becomePassword: "become-pass")
        spec.vaultPassword = "vault-pass"
        let dir = try PrivateDataDir(root: root, spec: spec)
        func mode(_ path: String) throws -> Int {
            try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }
        XCTAssertEqual(try mode(dir.path), 0o700)
        for secret in ["env/ssh_key", "env/passwords", "env/extravars"] {
            XCTAssertEqual(try mode(dir.path + "/" + secret), 0o600, secret)
        }
        let cmdline = try String(contentsOfFile: dir.path + "/env/cmdline", encoding: .utf8)
        XCTAssertEqual(cmdline, "--limit web -vv --check --user deploy --become-method sudo --become-user root")
        for secret in ["ssh-pass", "become-pass", "vault-pass", "BEGIN KEY"] { XCTAssertFalse(cmdline.contains(secret)) }
        let passwords = try String(contentsOfFile: dir.path + "/env/passwords", encoding: .utf8)
        XCTAssertTrue(passwords.contains("vault-pass") && passwords.contains("become-pass") && passwords.contains("ssh-pass"))
        let inventory = try String(contentsOfFile: dir.path + "/inventory/hosts.yml", encoding: .utf8)
        XCTAssertTrue(inventory.contains("    \"web 1\":\n      ansible_port: 2222\n"), inventory)
        XCTAssertTrue(inventory.contains(#"{"tier": "front"}"#))
        XCTAssertEqual(dir.runArguments, ["-p", "site.yml"])
        XCTAssertEqual(dir.projectDir, "/srv/project")
        dir.remove()
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path))
    }
}

final class JobStdoutTests: XCTestCase {
    func testFormatsAndRanges() {
        let raw = JobStdout.raw(["", "\r\nPLAY [all] ***", "\u{1b}[0;32mok: [web]\u{1b}[0m", "", "PLAY RECAP <x>"])
        XCTAssertEqual(raw, "\nPLAY [all] ***\n\u{1b}[0;32mok: [web]\u{1b}[0m\nPLAY RECAP <x>\n")
        XCTAssertEqual(JobStdout.plain(raw), "\nPLAY [all] ***\nok: [web]\nPLAY RECAP <x>\n")
        let middle = JobStdout.limited(JobStdout.plain(raw), start: 1, end: 3)
        XCTAssertEqual(middle.content, "PLAY [all] ***\nok: [web]\n")
        XCTAssertEqual([middle.start, middle.end, middle.absoluteEnd], [1, 3, 4])
        let tail = JobStdout.limited(raw, start: -1, end: nil)
        XCTAssertEqual(tail.content, "PLAY RECAP <x>\n")
        XCTAssertEqual([tail.start, tail.end], [3, 4])
        XCTAssertEqual(JobStdout.limited(raw, start: 10, end: nil).content, "")
        let html = JobStdout.html(raw)
        XCTAssertTrue(html.contains("<span class=\"ansi32\">ok: [web]</span>"), html)
        XCTAssertTrue(html.contains("PLAY RECAP &lt;x&gt;"))
    }
}
