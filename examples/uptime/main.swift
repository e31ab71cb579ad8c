// A port of Ansible's examples/scripts/uptime.py to Troupe's library API: run a small
// play against hosts given on the command line and sort the results into UP, FAILED
// and DOWN.
//
//     swift run uptime [host ...]      (default: localhost)
import Foundation
import Jinja
import Troupe

/// Collects the last result of every host, like uptime.py's ResultsCollectorJSONCallback.
final class ResultsCollector: CallbackPlugin {
    var hostOK: [String: TaskResult] = [:]
    var hostFailed: [String: TaskResult] = [:]
    var hostUnreachable: [String: TaskResult] = [:]

    func runnerUnreachable(_ result: TaskResult) { hostUnreachable[result.host] = result }
    func runnerOk(_ result: TaskResult) {
        hostOK[result.host] = result
        print(JSONFormat(indent: 4, sortKeys: true, ensureASCII: false).string(.dict([result.host: result.result])))
    }
    func runnerFailed(_ result: TaskResult, ignoreErrors: Bool) { hostFailed[result.host] = result }
}

// Worker processes come from this binary; this returns at once in the controller.
WorkerProcesses.enable()

let givenHosts = Array(CommandLine.arguments.dropFirst())
// Without arguments the implicit localhost (local connection) is used.
let hostList = givenHosts.isEmpty ? ["localhost"] : givenHosts
var options = ExecutionOptions()
options.forks = 10
options.connection = "smart"

// Host lists are comma separated; one host needs a trailing comma.
let sources = givenHosts.isEmpty ? [] : [hostList.joined(separator: ",") + (hostList.count == 1 ? "," : "")]
let loader = DataLoader()
let passwords = ["vault_pass": "secret"]
let resultsCallback = ResultsCollector()

do {
    let inventory = try InventoryManager(sources: sources)
    let variableManager = VariableManager(inventory: inventory, templar: Templar())
    let tqm = TaskQueueManager(inventory: inventory, variableManager: variableManager, loader: loader,
                               options: options, passwords: passwords, callbacks: [resultsCallback])
    let playSource: Value = [
        "name": "Troupe Play",
        "hosts": .list(hostList.map(Value.string)),
        "gather_facts": "no",
        "tasks": [
            ["action": ["module": "shell", "args": "ls"], "register": "shell_out"],
            ["action": ["module": "debug", "args": ["msg": "{{ shell_out.stdout }}"]]],
            ["action": ["module": "command", "args": ["cmd": "/usr/bin/uptime"]]],
        ],
    ]
    let play = try Play.load(playSource, variableManager: variableManager, loader: loader)
    defer { tqm.cleanup() }
    try tqm.run(play)
} catch {
    FileHandle.standardError.write(Data("uptime: \(error)\n".utf8))
    exit(1)
}

print("UP ***********")
for (host, result) in resultsCallback.hostOK.sorted(by: { $0.key < $1.key }) {
    print("\(host) >>> \(result.result["stdout"]?.pythonString ?? "")")
}
print("FAILED *******")
for (host, result) in resultsCallback.hostFailed.sorted(by: { $0.key < $1.key }) {
    print("\(host) >>> \(result.result["msg"]?.pythonString ?? "")")
}
print("DOWN *********")
for (host, result) in resultsCallback.hostUnreachable.sorted(by: { $0.key < $1.key }) {
    print("\(host) >>> \(result.result["msg"]?.pythonString ?? "")")
}
