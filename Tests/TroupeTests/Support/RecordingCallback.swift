import Foundation
import Jinja
@testable import Troupe

/// Records events as compact lines ("ok localhost t1") for assertions.
final class RecordingCallback: CallbackPlugin {
    var lines: [String] = []
    var results: [String: [Value]] = [:]
    var stats: RunStats?

    func playStart(_ play: PlayInfo) { lines.append("play \(play.name)") }
    func taskStart(_ task: TaskInfo) { lines.append("task \(task.displayName)") }
    func handlerTaskStart(_ task: TaskInfo) { lines.append("handler \(task.displayName)") }
    func runnerOk(_ r: TaskResult) { record(r.isChanged ? "changed" : "ok", r) }
    func runnerFailed(_ r: TaskResult, ignoreErrors: Bool) { record(ignoreErrors ? "failed-ignored" : "failed", r) }
    func runnerSkipped(_ r: TaskResult) { record("skipped", r) }
    func runnerUnreachable(_ r: TaskResult) { record("unreachable", r) }
    func itemOk(_ r: TaskResult) { record("item-ok", r) }
    func itemFailed(_ r: TaskResult) { record("item-failed", r) }
    func itemSkipped(_ r: TaskResult) { record("item-skipped", r) }
    func noHostsMatched() { lines.append("no hosts matched") }
    func noHostsRemaining() { lines.append("no hosts remaining") }
    func stats(_ s: RunStats) { stats = s }

    private func record(_ status: String, _ r: TaskResult) {
        lines.append("\(status) \(r.host)")
        results[r.task.displayName, default: []].append(r.result)
    }
}

/// Writes a playbook into a temp directory and runs it on the local connection.
struct PlaybookHarness {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func run(_ playbook: String, hosts: [String] = ["localhost"], options: ExecutionOptions = ExecutionOptions(),
             extraVars: OrderedDict = OrderedDict()) throws -> (Int, RecordingCallback) {
        let path = try write("site.yml", playbook)
        let inventory = StaticInventory(hosts: hosts, variables: Dictionary(uniqueKeysWithValues: hosts.map { ($0, ["ansible_connection": "local"] as OrderedDict) }))
        let loader = DataLoader(baseDirectory: directory.path)
        let vm = VariableManager(inventory: inventory, templar: Templar(baseDirectory: directory.path), extraVars: extraVars)
        let recorder = RecordingCallback()
        let executor = PlaybookExecutor(playbooks: [path], inventory: inventory, variableManager: vm, loader: loader,
                                        options: options, callbacks: [recorder])
        let rc = try executor.run()
        return (rc, recorder)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
