// A custom callback written in Swift: `ChangeReport` collects what changed or failed on
// each host and prints a CHANGE REPORT after the recap. It is registered by name in the
// callback registry, so — like any Ansible callback — it runs when `callbacks_enabled`
// (ansible.cfg or ANSIBLE_CALLBACKS_ENABLED) lists `change_report`; this program also
// enables it itself. The stdout callback (`stdout_callback`) and the other enabled
// callbacks (junit, profile_tasks, …) work alongside it.
//
//     swift run change-report PLAYBOOK [INVENTORY]     (inventory default: localhost,)
import Foundation
import Jinja
import Troupe

/// Remembers every changed or failed task per host and reports them at the end.
final class ChangeReport: CallbackPlugin {
    private let display: Display
    private var changes: [String: [String]] = [:]
    private var hosts: [String] = []

    init(display: Display) { self.display = display }

    func runnerOk(_ result: TaskResult) {
        if result.isChanged { note(result.host, "changed: \(result.task.displayName)") }
    }

    func runnerFailed(_ result: TaskResult, ignoreErrors: Bool) {
        note(result.host, (ignoreErrors ? "failed (ignored): " : "failed: ") + result.task.displayName)
    }

    func runnerUnreachable(_ result: TaskResult) { note(result.host, "unreachable") }

    private func note(_ host: String, _ line: String) {
        if changes[host] == nil { hosts.append(host) }
        changes[host, default: []].append(line)
    }

    func stats(_ stats: RunStats) {
        display.banner("CHANGE REPORT")
        if hosts.isEmpty { display.display("nothing changed") }
        for host in hosts {
            display.display("\(host):")
            for line in changes[host] ?? [] { display.display("  - \(line)") }
        }
    }
}

WorkerProcesses.enable()  // modules run in worker processes spawned from this binary

let arguments = Array(CommandLine.arguments.dropFirst())
guard let playbook = arguments.first else {
    FileHandle.standardError.write(Data("usage: change-report PLAYBOOK [INVENTORY]\n".utf8))
    exit(5)
}
let cwd = FileManager.default.currentDirectoryPath
let playbookPath = playbook.hasPrefix("/") ? playbook : cwd + "/" + playbook

do {
    // 1. Make the callback known by name; `callbacks_enabled` then decides whether it runs.
    CallbackRegistry.shared.register("change_report", kind: .notification) { ChangeReport(display: $0.display) }

    // 2. Configuration as ansible-playbook reads it, plus our callback in callbacks_enabled.
    var config = try AnsibleConfig.load()
    if !config.callbacksEnabled.contains("change_report") {
        config.set(.callbacksEnabled, to: .list((config.callbacksEnabled + ["change_report"]).map(Value.string)))
    }
    let display = Display.configured(config: config, verbosity: 0)

    // 3. The stdout callback plus every enabled callback, in ansible's order.
    let callbacks = try CallbackSelector().makeCallbacks(context: CallbackContext(display: display, config: config))

    let directory = (playbookPath as NSString).deletingLastPathComponent
    let loader = DataLoader(baseDirectory: directory)
    let inventory = try InventoryManager(sources: [arguments.count > 1 ? arguments[1] : "localhost,"])
    let variables = VariableManager(inventory: inventory, templar: Templar(baseDirectory: directory))
    let executor = PlaybookExecutor(playbooks: [playbookPath], inventory: inventory, variableManager: variables,
                                    loader: loader, options: ExecutionOptions(), callbacks: callbacks)
    exit(Int32(try executor.run()))
} catch {
    FileHandle.standardError.write(Data("change-report: \(error)\n".utf8))
    exit(1)
}
