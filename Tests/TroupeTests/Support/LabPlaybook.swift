import Foundation
import Jinja
@testable import Troupe

/// Runs a playbook against the first SSH lab host (inventory name `target`) through a
/// worker process, with extra files (library/, files/, roles/) next to the playbook.
struct LabPlaybook {
    let rc: Int
    let recorder: RecordingCallback

    /// The first result of the task named `task`, without the module's `invocation`.
    func result(_ task: String) -> OrderedDict { recorder.result(task) }

    static func run(_ playbook: String, lab: SSHLab, files: [String: String] = [:], binaryFiles: [String: Data] = [:],
                    check: Bool = false, diff: Bool = false, modulePaths: [String] = [],
                    hostVars: OrderedDict = OrderedDict()) throws -> LabPlaybook {
        let harness = try PlaybookHarness()
        defer { harness.remove() }
        for (name, text) in files { _ = try harness.write(name, text) }
        for (name, data) in binaryFiles {
            let path = try harness.write(name, "")
            try data.write(to: URL(fileURLWithPath: path))
        }
        let path = try harness.write("site.yml", playbook)
        var vars: OrderedDict = ["ansible_host": .string(lab.hosts[0]), "ansible_port": .int(lab.port),
                                 "ansible_user": .string(SSHLab.user), "ansible_ssh_private_key_file": .string(lab.clientKey),
                                 "ansible_ssh_common_args": .string("-o UserKnownHostsFile=\(lab.knownHosts)")]
        vars.merge(hostVars)
        let inventory = StaticInventory(hosts: ["target"], variables: ["target": vars])
        var options = ExecutionOptions()
        options.check = check
        options.diff = diff
        options.modulePaths = modulePaths
        let recorder = RecordingCallback()
        let pool = WorkerPool(executable: TroupeBinary.path, size: 1)
        defer { pool.shutdown() }
        let vm = VariableManager(inventory: inventory, templar: Templar(baseDirectory: harness.directory.path))
        let executor = PlaybookExecutor(playbooks: [path], inventory: inventory, variableManager: vm,
                                        loader: DataLoader(baseDirectory: harness.directory.path), options: options,
                                        callbacks: [recorder], runner: pool)
        return LabPlaybook(rc: try executor.run(), recorder: recorder)
    }
}
