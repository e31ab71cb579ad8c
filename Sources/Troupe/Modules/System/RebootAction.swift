import Foundation
import Jinja

/// `reboot`: records the host's boot id, runs `shutdown -r`, then waits (resetting the
/// connection between attempts, with Ansible's exponential back-off) until the boot id
/// changes and `test_command` succeeds.
struct RebootAction: ActionPlugin {
    let name = "reboot"

    static let validArguments = ["boot_time_command", "connect_timeout", "msg", "post_reboot_delay", "pre_reboot_delay",
                                 "reboot_command", "reboot_timeout", "search_paths", "test_command"]

    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        let invalid = args.keys.filter { !Self.validArguments.contains($0) && $0 != "connect_timeout_sec" && $0 != "reboot_timeout_sec" }
        if !invalid.isEmpty {
            return ["failed": true, "changed": false, "msg": .string("Invalid options for reboot: \(invalid.joined(separator: ","))")]
        }
        let connection = try context.scope.lookup("ansible_connection")?.stringValue ?? context.options.connection ?? "ssh"
        if connection == "local" || connection == "ansible.builtin.local" {
            return ["changed": false, "elapsed": 0, "rebooted": false, "failed": true,
                    "msg": "Running reboot with local connection would reboot the control node."]
        }
        if context.checkMode { return ["changed": true, "elapsed": 0, "rebooted": true] }
        func seconds(_ key: String, _ fallback: Int) -> Int {
            guard let v = args[key] ?? args[key + "_sec"] else { return fallback }
            return max(0, v.intValue ?? Int(v.pythonString) ?? fallback)
        }
        let preDelay = seconds("pre_reboot_delay", 0), postDelay = seconds("post_reboot_delay", 0)
        let timeout = seconds("reboot_timeout", 600)
        let bootCommand = args["boot_time_command"]?.stringValue ?? "cat /proc/sys/kernel/random/boot_id"
        let testCommand = args["test_command"]?.stringValue ?? "whoami"

        func raw(_ command: String) throws -> (rc: Int, stdout: String, stderr: String) {
            let r = try context.runModule("raw", ["_raw_params": .string(command)])
            if r["unreachable"]?.isTruthy == true { throw UnreachableError(r["msg"]?.stringValue ?? "unreachable") }
            return (r["rc"]?.intValue ?? 1, r["stdout"]?.stringValue ?? "", r["stderr"]?.stringValue ?? "")
        }
        func bootID() throws -> String {
            let r = try raw(bootCommand)
            guard r.rc == 0 else {
                throw TroupeError(.module, "reboot: failed to get host boot time info, rc: \(r.rc), stdout: \(r.stdout), stderr: \(r.stderr)")
            }
            return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let previous: String
        do {
            previous = try bootID()
        } catch {
            return ["changed": false, "failed": true, "reboot": false, "msg": .string(TaskErrorText.message(error))]
        }
        let command: String
        do {
            command = try rebootCommand(args, delay: preDelay, context: context)
        } catch {
            return ["changed": false, "failed": true, "msg": .string(TaskErrorText.message(error))]
        }
        let start = Date()
        func elapsed() -> Value { .int(Int(Date().timeIntervalSince(start))) }
        // The connection may drop while shutdown runs; that is success, as in Ansible.
        if let r = try? raw(command), r.rc != 0 {
            return ["changed": false, "failed": true, "rebooted": false, "elapsed": elapsed(),
                    "msg": .string("Reboot command failed. Error was: '\(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), \(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines))'")]
        }
        if postDelay > 0 { Thread.sleep(forTimeInterval: Double(postDelay)) }
        let backoff: (Int) -> Double = { failures in min(pow(2, Double(failures)), 12) + Double.random(in: 0..<1) }
        if context.retryUntilSuccess(timeout: Double(timeout), pause: backoff, {
            context.resetConnection()
            if try bootID() == previous { throw TroupeError(.module, "boot time has not changed") }
        }) != nil {
            return ["changed": false, "failed": true, "rebooted": true, "elapsed": elapsed(),
                    "msg": .string("Timed out waiting for last boot time check (timeout=\(timeout))")]
        }
        if context.retryUntilSuccess(timeout: Double(timeout), pause: backoff, {
            let r = try raw(testCommand)
            if r.rc != 0 { throw TroupeError(.module, "Test command failed: \(r.stderr) \(r.stdout)") }
        }) != nil {
            return ["changed": false, "failed": true, "rebooted": true, "elapsed": elapsed(),
                    "msg": .string("Timed out waiting for post-reboot test command (timeout=\(timeout))")]
        }
        return ["rebooted": true, "changed": true, "elapsed": elapsed()]
    }

    /// `reboot_command`, or `shutdown -r MIN "MSG"` with shutdown found in `search_paths`.
    private func rebootCommand(_ args: OrderedDict, delay: Int, context: ActionContext) throws -> String {
        let message = args["msg"]?.stringValue ?? "Reboot initiated by Ansible"
        var binary = "shutdown"
        var arguments = "-r \(delay / 60) \"\(message)\""
        if let custom = args["reboot_command"]?.stringValue {
            let parts = custom.split(separator: " ", maxSplits: 1).map(String.init)
            binary = parts.first ?? custom
            arguments = parts.count > 1 ? parts[1] : ""
        }
        if binary.hasPrefix("/") { return arguments.isEmpty ? binary : "\(binary) \(arguments)" }
        var paths = ["/sbin", "/bin", "/usr/sbin", "/usr/bin", "/usr/local/sbin"]
        if let given = args["search_paths"] {
            switch given {
            case .string(let s): paths = [s]
            case .list(let l) where l.allSatisfy({ $0.stringValue != nil }): paths = l.compactMap(\.stringValue)
            default: throw TroupeError(.module, "'search_paths' must be a string or flat list of strings, got \(given.pythonString)")
            }
        }
        let found = try context.runModule("find", ["paths": .list(paths.map { .string($0) }), "patterns": [.string(binary)], "file_type": "any"])
        guard let path = found["files"]?.listValue?.first?["path"]?.stringValue else {
            throw TroupeError(.module, "Unable to find command \"\(binary)\" in search paths: \(Value.list(paths.map { .string($0) }).pythonString)")
        }
        return arguments.isEmpty ? path : "\(path) \(arguments)"
    }
}
