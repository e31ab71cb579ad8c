import Foundation
import Jinja

extension SSHConnectionParameters {
    /// Parameters from a host's (already templated) connection variables, with Ansible's
    /// names and fallbacks: `ansible_host`/`ansible_ssh_host`, `ansible_port`,
    /// `ansible_user`, `ansible_ssh_private_key_file`, `ansible_password`/`ansible_ssh_pass`,
    /// `ansible_ssh_common_args`, `ansible_ssh_extra_args`, `ansible_ssh_args`,
    /// `ansible_ssh_timeout`/`ansible_timeout` and `ansible_host_key_checking`
    /// (default from `ANSIBLE_HOST_KEY_CHECKING`, else on).
    public init(inventoryHostname: String, variables: [String: Value]) {
        func text(_ names: String...) -> String? {
            for name in names {
                guard let value = variables[name] else { continue }
                switch value {
                case .null, .undefined: continue
                case .string(let s), .unsafe(let s): return s
                default: return value.pythonString
                }
            }
            return nil
        }
        func flag(_ raw: String?) -> Bool? {
            guard let raw = raw?.lowercased() else { return nil }
            if ["false", "no", "0", "off", "n", "f"].contains(raw) { return false }
            if ["true", "yes", "1", "on", "y", "t"].contains(raw) { return true }
            return nil
        }
        self.init(host: text("ansible_host", "ansible_ssh_host") ?? inventoryHostname)
        port = text("ansible_port", "ansible_ssh_port").flatMap { Int($0) }
        user = text("ansible_user", "ansible_ssh_user")
        privateKeyFile = text("ansible_ssh_private_key_file", "ansible_private_key_file").map(expandTilde)
        password = text("ansible_password", "ansible_ssh_pass", "ansible_ssh_password")
        timeout = text("ansible_ssh_timeout", "ansible_timeout").flatMap { Double($0) } ?? 10
        let extraArgs = [text("ansible_ssh_args"), text("ansible_ssh_common_args")].compactMap { $0 }
        sshCommonArgs = extraArgs.isEmpty ? nil : extraArgs.joined(separator: " ")
        sshExtraArgs = text("ansible_ssh_extra_args")
        hostKeyChecking = flag(text("ansible_host_key_checking", "ansible_ssh_host_key_checking"))
            ?? flag(ProcessInfo.processInfo.environment["ANSIBLE_HOST_KEY_CHECKING"]) ?? true
    }
}
