import XCTest
import Jinja
@testable import Troupe

/// `troupe run` against ansible-runner itself on copies of one private data dir: the same
/// artifact tree, the same event sequence, the same text per event and the same stdout.
/// ansible-runner is installed by scripts/install-deps.sh (pip).
final class RunnerAnsibleComparisonTests: XCTestCase {
    static let playbook = """
        - name: first play
          hosts: all
          gather_facts: false
          vars:
            greeting: hello
          tasks:
            - name: say hi
              debug:
                msg: "{{ greeting }} from {{ inventory_hostname }}"
            - name: run a command
              command: echo hi
              changed_when: true
              notify: restart thing
            - name: loop
              debug:
                msg: "{{ item }}"
              loop: [a, b]
            - name: skip
              debug: msg=x
              when: false
            - name: fails but ignored
              command: /bin/false
              ignore_errors: true
            - name: fails on h2
              fail:
                msg: boom
              when: inventory_hostname == 'h2'
          handlers:
            - name: restart thing
              debug:
                msg: restarted
        - name: second play
          hosts: h1
          gather_facts: false
          tasks:
            - name: set a fact
              set_fact:
                answer: 42
        """

    func testTroupeRunWritesWhatAnsibleRunnerWrites() throws {
        let ansibleRunner = try XCTUnwrap(Self.executable("ansible-runner"),
                                          "ansible-runner is not installed (scripts/install-deps.sh installs it with pip)")
        let inventory = """
            h1 ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"
            h2 ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"
            """
        // --forks 1 makes Ansible's event order deterministic.
        let theirs = try PrivateDataDirFixture(playbook: Self.playbook, inventory: inventory, env: ["cmdline": "--forks 1"])
        let ours = try theirs.copy()
        defer { theirs.remove(); ours.remove() }
        let theirStatus = try Self.run(ansibleRunner, ["run", theirs.root, "-p", "site.yml", "--ident", "cmp", "-q"])
        let ourStatus = try Self.run(TroupeBinary.path, ["run", ours.root, "-p", "site.yml", "--ident", "cmp", "-q"])
        XCTAssertEqual(ourStatus, theirStatus)
        XCTAssertEqual(ours.read("cmp", "rc"), theirs.read("cmp", "rc"))
        XCTAssertEqual(ours.read("cmp", "status"), theirs.read("cmp", "status"))
        XCTAssertEqual(ours.read("cmp", "status"), "failed")

        // The artifact tree, with event file names reduced to their counters.
        XCTAssertEqual(try Self.tree(ours.artifacts("cmp")), try Self.tree(theirs.artifacts("cmp")))

        // Within one task, when one host's final loop result is written relative to the next
        // host's events depends on thread timing, in ansible-runner as in Troupe (even with
        // --forks 1). Each host's own order and every event's content must match; so both
        // lists are compared with each task's events grouped by host, order kept per host.
        let mine = Self.groupedByHostWithinTask(try ours.events("cmp"))
        let reference = Self.groupedByHostWithinTask(try theirs.events("cmp"))
        XCTAssertGreaterThan(reference.count, 40)
        func outline(_ e: RunnerEvent) -> String {
            "\(e.event) host=\(e.host ?? "-") task=\(e.task ?? "-") lines=\(e.endLine - e.startLine)"
        }
        XCTAssertEqual(mine.map(outline), reference.map(outline))
        XCTAssertEqual(mine.map(\.counter).sorted(), Array(1...mine.count), "counters gap-free")
        for (a, b) in zip(mine, reference) {
            XCTAssertEqual(normalise(a.stdout, ours.root), normalise(b.stdout, theirs.root), "stdout of event \(b.counter) \(b.event)")
            XCTAssertEqual(Set(a.eventData.keys), Set(b.eventData.keys), "event_data keys of event \(b.counter) \(b.event)")
            XCTAssertEqual(a.parentUUID.map { p in mine.firstIndex { $0.uuid == p } },
                           b.parentUUID.map { p in reference.firstIndex { $0.uuid == p } }, "parent of event \(b.counter)")
            for key in ["play", "play_pattern", "task_action", "resolved_action", "task_args", "name", "is_conditional",
                        "ignore_errors", "changed", "dark", "failures", "ok", "processed", "skipped", "ignored", "rescued"] {
                XCTAssertEqual(a.eventData[key], b.eventData[key], "\(key) of event \(b.counter) \(b.event)")
            }
            XCTAssertEqual(a.eventData["res"]?["msg"], b.eventData["res"]?["msg"], "res.msg of event \(b.counter)")
        }
        XCTAssertEqual(normalise(ours.read("cmp", "stdout") ?? "", ours.root),
                       normalise(theirs.read("cmp", "stdout") ?? "", theirs.root))
        XCTAssertEqual(ours.read("cmp", "stderr"), theirs.read("cmp", "stderr"))
    }

    func testTroupeRunAdHocModuleWritesWhatAnsibleRunnerWrites() throws {
        // ansible-runner's -m/-a/--hosts: the `ansible` CLI's output (minimal callback, no
        // recap) and its events (no play or task start, playbook "__adhoc_playbook__").
        let ansibleRunner = try XCTUnwrap(Self.executable("ansible-runner"),
                                          "ansible-runner is not installed (scripts/install-deps.sh installs it with pip)")
        let inventory = """
            h1 ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"
            h2 ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"
            """
        let theirs = try PrivateDataDirFixture(playbook: "[]", inventory: inventory, env: ["cmdline": "--forks 1"])
        let ours = try theirs.copy()
        defer { theirs.remove(); ours.remove() }
        let arguments = ["-m", "command", "-a", "echo from {{ inventory_hostname }}", "--hosts", "h1", "--ident", "adhoc", "-q"]
        let theirStatus = try Self.run(ansibleRunner, ["run", theirs.root] + arguments)
        let ourStatus = try Self.run(TroupeBinary.path, ["run", ours.root] + arguments)
        XCTAssertEqual(ourStatus, theirStatus)
        XCTAssertEqual(ours.read("adhoc", "rc"), theirs.read("adhoc", "rc"))
        XCTAssertEqual(ours.read("adhoc", "status"), "successful")
        let mine = try ours.events("adhoc"), reference = try theirs.events("adhoc")
        XCTAssertEqual(mine.map(\.event), ["playbook_on_start", "runner_on_start", "runner_on_ok", "playbook_on_stats"])
        XCTAssertEqual(mine.map(\.event), reference.map(\.event))
        for (a, b) in zip(mine, reference) {
            XCTAssertEqual(normalise(a.stdout, ours.root), normalise(b.stdout, theirs.root), "stdout of event \(b.counter) \(b.event)")
            XCTAssertEqual(Set(a.eventData.keys), Set(b.eventData.keys), "event_data keys of event \(b.counter) \(b.event)")
            for key in ["playbook", "task", "task_action", "resolved_action", "task_args", "task_path", "host", "changed", "ok"] {
                XCTAssertEqual(a.eventData[key], b.eventData[key], "\(key) of event \(b.counter) \(b.event)")
            }
        }
        XCTAssertEqual(normalise(ours.read("adhoc", "stdout") ?? "", ours.root),
                       normalise(theirs.read("adhoc", "stdout") ?? "", theirs.root))
        XCTAssertTrue(ours.read("adhoc", "stdout")?.contains("h1 | CHANGED | rc=0 >>") == true)
    }

    /// The events with each run of same-task events stably ordered by host (task-level
    /// events first), so cross-host interleaving does not matter.
    static func groupedByHostWithinTask(_ events: [RunnerEvent]) -> [RunnerEvent] {
        var result: [RunnerEvent] = []
        var run: [RunnerEvent] = []
        func flush() {
            let order = run.enumerated().sorted { ($0.element.host ?? "", $0.offset) < ($1.element.host ?? "", $1.offset) }
            result += order.map(\.element)
            run = []
        }
        for event in events {
            if let last = run.last, last.task != event.task || event.host == nil { flush() }
            run.append(event)
        }
        flush()
        return result
    }

    /// Paths of the private data dir and the volatile timings of command results.
    private func normalise(_ text: String, _ root: String) -> String {
        text.replacingOccurrences(of: root, with: "<PDD>")
            .replacingOccurrences(of: #""(delta|end|start)": "[^"]*""#, with: #""$1": "…""#, options: .regularExpression)
    }

    static func tree(_ root: String) throws -> [String] {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: root) else { return [] }
        return walker.compactMap { $0 as? String }.map { path in
            path.replacingOccurrences(of: #"job_events/(\d+)-[0-9a-f-]+(_\d+)?\.json"#, with: "job_events/$1-<uuid>.json",
                                      options: .regularExpression)
        }.sorted()
    }

    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tool with the colour settings both runs must share; returns its exit status.
    static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for key in ["ANSIBLE_NOCOLOR", "NO_COLOR", "ANSIBLE_FORCE_COLOR", "ANSIBLE_CONFIG", "ANSIBLE_STDOUT_CALLBACK"] {
            env.removeValue(forKey: key)
        }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
