import XCTest
import Jinja
@testable import Troupe

/// `--step`, the free/host_pinned scheduling, and async tasks on the local connection
/// (their SSH behaviour is covered by the lab_* conformance fixtures).
final class StepStrategyAsyncTests: XCTestCase {
    var harness: PlaybookHarness!
    override func setUpWithError() throws { harness = try PlaybookHarness() }
    override func tearDown() { harness.remove() }

    private let fourTasks = """
        - hosts: all
          gather_facts: false
          tasks:
            - {name: t1, debug: msg=one}
            - {name: t2, debug: msg=two}
            - {name: t3, debug: msg=three}
            - {name: t4, debug: msg=four}
        """

    /// A prompter reading scripted answers; what it printed is collected.
    private func prompter(_ answers: [String]) -> (StepPrompter, () -> String) {
        final class Box: @unchecked Sendable { var answers: [String] = []; var printed = "" }
        let box = Box()
        box.answers = answers
        let display = Display(columns: 79) { text, _ in box.printed += text }
        let prompter = StepPrompter(display: display) { box.answers.isEmpty ? nil : box.answers.removeFirst() }
        return (prompter, { box.printed })
    }

    func testStepRunsSkipsAndContinues() throws {
        var options = ExecutionOptions()
        let (step, printed) = prompter(["y", "n", "c"])
        options.stepPrompter = step
        let (rc, rec) = try harness.run(fourTasks, hosts: ["a", "b"], options: options)
        XCTAssertEqual(rc, 0)
        XCTAssertEqual(rec.lines.filter { $0.hasPrefix("task") }, ["task t1", "task t3", "task t4"])
        let expected = "Perform task: TASK: t1 (N)o/(y)es/(c)ontinue: \nPerform task: TASK: t1 (N)o/(y)es/(c)ontinue: "
            + String(repeating: "*", count: 34) + "\n"
        XCTAssertTrue(printed().hasPrefix(expected), printed())
        XCTAssertFalse(printed().contains("TASK: t4"), "no prompt after (c)ontinue")
    }

    func testStepEndsTheRunWhenAnswersRunOut() throws {
        var options = ExecutionOptions()
        options.stepPrompter = prompter(["y"]).0
        XCTAssertThrowsError(try harness.run(fourTasks, options: options)) { error in
            XCTAssertTrue("\(error)".contains("--step: no answer"), "\(error)")
        }
    }

    private func strategyPlaybook(_ strategy: String) -> String {
        """
        - hosts: all
          gather_facts: false
          strategy: \(strategy)
          tasks:
            - {name: t1, command: "true"}
            - {name: t2, command: "true"}
            - {name: t3, command: "true"}
        """
    }

    func testHostPinnedFinishesTheFirstHostsFirst() throws {
        var options = ExecutionOptions()
        options.forks = 1
        let (rc, rec) = try harness.run(strategyPlaybook("host_pinned"), hosts: ["a", "b", "c"], options: options)
        XCTAssertEqual(rc, 0)
        XCTAssertEqual(rec.lines.filter { !$0.hasPrefix("play") },
                       ["task t1", "changed a", "task t2", "changed a", "task t3", "changed a",
                        "task t1", "changed b", "task t2", "changed b", "task t3", "changed b",
                        "task t1", "changed c", "task t2", "changed c", "task t3", "changed c"])
    }

    func testFreeGoesRoundTheHosts() throws {
        var options = ExecutionOptions()
        options.forks = 1
        let (rc, rec) = try harness.run(strategyPlaybook("free"), hosts: ["a", "b", "c"], options: options)
        XCTAssertEqual(rc, 0)
        // Every host starts its first task before the first host starts its second.
        let starts = rec.lines.filter { $0.hasPrefix("task") }
        XCTAssertEqual(Array(starts.prefix(3)), ["task t1", "task t1", "task t1"])
        XCTAssertEqual(rec.lines.filter { $0.hasPrefix("changed") }.count, 9)
    }

    func testAsyncPollReportsAndCleansUp() throws {
        final class AsyncRecorder: CallbackPlugin {
            var events: [String] = []
            func runnerAsyncPoll(_ r: TaskResult) { events.append("poll \(r.result["finished"]?.pythonString ?? "")") }
            func runnerAsyncOk(_ r: TaskResult) { events.append("ok \(r.result["ansible_job_id"]?.stringValue?.hasPrefix("j") ?? false)") }
            func runnerAsyncFailed(_ r: TaskResult) { events.append("failed \(r.result["msg"]?.pythonString ?? "")") }
        }
        let asyncDir = harness.directory.appendingPathComponent("jobs").path
        let playbook = try harness.write("site.yml", """
            - hosts: localhost
              gather_facts: false
              vars:
                ansible_async_dir: \(asyncDir)
              tasks:
                - name: waited
                  shell: sleep 1.2; printf 'a\\\\b"c\\n\\n'
                  async: 10
                  poll: 1
                  register: waited
                - name: too long
                  command: sleep 5
                  async: 1
                  poll: 1
                  ignore_errors: true
                  register: late
                - name: copy refuses
                  copy: {content: x, dest: /nonexistent/x}
                  async: 5
                  ignore_errors: true
                  register: refused
            """)
        let inventory = StaticInventory(hosts: ["localhost"], variables: ["localhost": ["ansible_connection": "local"]])
        let vm = VariableManager(inventory: inventory, templar: Templar(baseDirectory: harness.directory.path))
        let recorder = AsyncRecorder()
        let executor = PlaybookExecutor(playbooks: [playbook], inventory: inventory, variableManager: vm,
                                        loader: DataLoader(baseDirectory: harness.directory.path), options: ExecutionOptions(),
                                        callbacks: [recorder])
        XCTAssertEqual(try executor.run(), 0)
        XCTAssertEqual(recorder.events, ["poll False", "ok true", "failed Timeout exceeded"])
        let waited = vm.store.hostFactLayer(for: "localhost")["waited"]
        XCTAssertEqual(waited?["stdout"], "a\\b\"c")
        XCTAssertEqual(waited?["finished"], true)
        XCTAssertEqual(waited?["rc"], 0)
        XCTAssertEqual(vm.store.hostFactLayer(for: "localhost")["refused"]?["msg"], "This action (copy) does not support async.")
        // Both jobs finished (one killed by its time limit), so both results files were removed.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: asyncDir), [])
    }
}
