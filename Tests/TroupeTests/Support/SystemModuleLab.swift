import Foundation
import XCTest
import Jinja
@testable import Troupe

/// Runs playbooks against one host of the loopback SSH lab, becoming root there with sudo
/// (the lab user has NOPASSWD sudo) — how the system-module tests reach a real host.
final class SystemModuleLab {
    let lab: SSHLab
    let host = "lab1"
    let scratch: String

    init() throws {
        lab = try SSHLab.start(hostCount: 1)
        scratch = "/tmp/troupe-sys-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    func stop() {
        lab.stop()
        try? FileManager.default.removeItem(atPath: scratch)
    }

    var hostVariables: OrderedDict {
        ["ansible_host": .string(lab.hosts[0]), "ansible_port": .int(lab.port), "ansible_user": .string(SSHLab.user),
         "ansible_ssh_private_key_file": .string(lab.clientKey),
         "ansible_ssh_common_args": .string("-o UserKnownHostsFile=\(lab.knownHosts)"),
         "ansible_become": true]
    }

    /// Runs `tasks` (a YAML task list, indented by four spaces) in one play on the lab host
    /// as root; returns the exit code and the recorded results.
    func run(tasks: String, gatherFacts: Bool = false, check: Bool = false, diff: Bool = false,
             playVars: String = "", files: [String: String] = [:], callbacks: [CallbackPlugin] = []) throws -> (Int, RecordingCallback) {
        let harness = try PlaybookHarness()
        defer { harness.remove() }
        for (name, text) in files { _ = try harness.write(name, text) }
        let playbook = """
        - hosts: \(host)
          gather_facts: \(gatherFacts)
        \(playVars.isEmpty ? "" : "  vars:\n" + playVars)
          tasks:
        \(tasks)
        """
        let path = try harness.write("site.yml", playbook)
        let inventory = StaticInventory(hosts: [host], variables: [host: hostVariables])
        var options = ExecutionOptions()
        options.check = check
        options.diff = diff
        let recorder = RecordingCallback()
        let vm = VariableManager(inventory: inventory, templar: Templar(baseDirectory: harness.directory.path))
        let executor = PlaybookExecutor(playbooks: [path], inventory: inventory, variableManager: vm,
                                        loader: DataLoader(baseDirectory: harness.directory.path), options: options,
                                        callbacks: [recorder] + callbacks)
        return (try executor.run(), recorder)
    }

    /// Runs a shell command on this machine (the lab host is this machine) as root.
    @discardableResult
    func sh(_ command: String) throws -> String { try SSHLab.sh(command) }
}

extension RecordingCallback {
    /// The first result of the task named `name`, without the module's `invocation` (which
    /// ConnectionTraceTests and the it_module_invocation fixture check).
    func result(_ name: String) -> OrderedDict {
        var result = results[name]?.first?.dictValue ?? [:]
        _ = result.removeValue(forKey: "invocation")
        return result
    }
}
