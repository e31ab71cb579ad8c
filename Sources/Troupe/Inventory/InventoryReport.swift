import Foundation
import Jinja

/// The outputs of `ansible-inventory`: `--list` (JSON), `--graph` (tree) and
/// `--host` (JSON), byte for byte as ansible-core 2.19 prints them (without the final
/// newline, which the CLI adds).
///
/// Like `ansible-inventory`, host variables include the playbook-adjacent layers of the
/// directories registered with ``InventoryManager/loadPlaybookAdjacentVars(directory:)``
/// — the CLI should register `--playbook-dir`, or else the current directory, first.
/// Group variables only include them when `--playbook-dir` was given explicitly
/// (`playbookDirectoryGiven`).
public enum InventoryReport {
    /// Variables Ansible computes itself and never shows in `ansible-inventory` output.
    public static let internalVariables: Set<String> = [
        "ansible_role_name", "ansible_dependent_role_names", "ansible_diff_mode", "ansible_config_file",
        "ansible_play_batch", "inventory_hostname", "ansible_forks", "play_hosts", "ansible_role_names",
        "inventory_hostname_short", "ansible_inventory_sources", "role_uuid", "ansible_skip_tags",
        "ansible_verbosity", "hostvars", "role_path", "ansible_play_role_names", "ansible_async_path",
        "playbook_dir", "ansible_collection_name", "role_names", "inventory_file", "group_names",
        "ansible_limit", "ansible_play_hosts_all", "role_name", "ansible_playbook_python", "groups",
        "ansible_play_hosts", "inventory_dir", "ansible_version", "ansible_facts", "ansible_run_tags",
    ]

    static let json = JSONFormat(indent: 4, sortKeys: true, ensureASCII: true)

    /// `ansible-inventory --list [--export]`: every group reachable from `all` with its
    /// hosts and children (empty groups left out), and `_meta.hostvars`. Hosts outside
    /// the current `--limit` (``InventoryManager/subset(_:)``) are left out.
    public static func list(_ inventory: InventoryManager, export: Bool = false, playbookDirectoryGiven: Bool = false,
                            extraVars: OrderedDict = OrderedDict()) throws -> String {
        vaultTagged(.dict(try listValue(inventory, export: export, playbookDirectoryGiven: playbookDirectoryGiven, extraVars: extraVars))).formatted(json)
    }

    /// The `--list` document as a value.
    public static func listValue(_ inventory: InventoryManager, export: Bool = false, playbookDirectoryGiven: Bool = false,
                                 extraVars: OrderedDict = OrderedDict()) throws -> OrderedDict {
        guard let top = inventory.group(named: "all") else { return OrderedDict() }
        let hosts = try inventory.hosts(matching: top.name)
        let available = Set(hosts.map(\.name))
        var results = OrderedDict()
        var seen: Set<String> = []

        func format(_ group: Group) throws {
            var entry = OrderedDict()
            if group.name != "all" {
                entry["hosts"] = .list(group.hostNames.filter(available.contains).map(Value.string))
            }
            var children: [Value] = []
            for childName in group.childNames {
                children.append(.string(childName))
                if !seen.contains(childName), let child = inventory.group(named: childName) {
                    try format(child)
                    seen.insert(childName)
                }
            }
            entry["children"] = .list(children)
            if export {
                entry["vars"] = .dict(removeInternal(try inventory.groupVariables(for: group, includePlaybookDirectories: playbookDirectoryGiven)))
            }
            for key in ["hosts", "vars", "children"] where entry[key].map({ !$0.isTruthy }) ?? false {
                entry.removeValue(forKey: key)
            }
            if entry.isEmpty { results.removeValue(forKey: group.name) } else { results[group.name] = .dict(entry) }
        }
        try format(top)

        var hostvars = OrderedDict()
        for host in hosts {
            let vars = try hostVariables(inventory, host, export: export, playbookDirectoryGiven: playbookDirectoryGiven, extraVars: extraVars)
            if !vars.isEmpty { hostvars[host.name] = .dict(vars) }
        }
        results["_meta"] = .dict(OrderedDict([("hostvars", .dict(hostvars)), ("profile", "inventory_legacy")]))
        return results
    }

    /// `ansible-inventory --host PATTERN`: the variables of the single matching host.
    public static func host(_ inventory: InventoryManager, pattern: String, format: Format = .json,
                            extraVars: OrderedDict = OrderedDict()) throws -> String {
        let hosts = try inventory.hosts(matching: pattern)
        guard hosts.count == 1, let host = hosts.first else {
            throw TroupeError(.options, "You must pass a single valid host to --host parameter")
        }
        return try render(.dict(try hostVariables(inventory, host, extraVars: extraVars)), format)
    }

    /// `ansible-inventory --graph [GROUP] [--vars]`: the group tree with `|--` prefixes.
    public static func graph(_ inventory: InventoryManager, group name: String = "all", showVariables: Bool = false,
                             playbookDirectoryGiven: Bool = false, extraVars: OrderedDict = OrderedDict()) throws -> String {
        guard let start = inventory.group(named: name) else {
            throw TroupeError(.options, "Pattern must be valid group name when using --graph")
        }
        var lines: [String] = []
        func line(_ text: String, _ depth: Int) {
            lines.append(depth > 0 ? String(repeating: "  |", count: depth) + "--" + text : text)
        }
        // Vaulted values print decrypted, as str() of ansible's EncryptedString does.
        let secrets = inventory.options.vaultSecrets
        func showVars(_ vars: OrderedDict, _ depth: Int) throws {
            for key in vars.keys.sorted(by: Value.pythonStringLess) {
                let value = try vars[key].map { try decryptedForDisplay($0, secrets: secrets) }
                line("{\(key) = \(value?.pythonString ?? "None")}", depth)
            }
        }
        func walk(_ group: Group, _ depth: Int) throws {
            line("@\(group.name):", depth)
            for childName in group.childNames {
                if let child = inventory.group(named: childName) { try walk(child, depth + 1) }
            }
            if group.name != "all" {
                for hostName in group.hostNames {
                    line(hostName, depth + 1)
                    if showVariables, let host = inventory.host(named: hostName) {
                        try showVars(try hostVariables(inventory, host, extraVars: extraVars), depth + 2)
                    }
                }
            }
            if showVariables {
                try showVars(removeInternal(try inventory.groupVariables(for: group, includePlaybookDirectories: playbookDirectoryGiven)), depth + 1)
            }
        }
        try walk(start, 0)
        return lines.joined(separator: "\n")
    }

    /// The variables `ansible-inventory` shows for a host: every inventory layer merged
    /// (with `export`, only the host's own vars and host_vars files), minus internal ones.
    /// Extra variables (`-e`) count too, except with `export`, as in ansible-inventory.
    public static func hostVariables(_ inventory: InventoryManager, _ host: Host, export: Bool = false,
                                     playbookDirectoryGiven: Bool = false, extraVars: OrderedDict = OrderedDict()) throws -> OrderedDict {
        if export {
            let layers = try inventory.variableLayers(for: host)
            var vars = OrderedDict()
            let kinds: Set<VariableLayer.Kind> = playbookDirectoryGiven
                ? [.inventoryHostVars, .inventoryHostVarsFiles, .playbookHostVarsFiles]
                : [.inventoryHostVars, .inventoryHostVarsFiles]
            for layer in layers where kinds.contains(layer.kind) {
                vars.merge(layer.variables)
            }
            return removeInternal(vars)
        }
        var vars = try inventory.mergedVariables(for: host)
        vars.merge(extraVars)
        return removeInternal(vars)
    }

    /// `value` with its vaulted strings decrypted (an error names the missing secret).
    static func decryptedForDisplay(_ value: Value, secrets: [VaultSecret]) throws -> Value {
        switch value {
        case .vault(let ciphertext): return .string(String(decoding: try Vault.decrypt(ciphertext, secrets: secrets), as: UTF8.self))
        case .list(let items): return .list(try items.map { try decryptedForDisplay($0, secrets: secrets) })
        case .dict(let dict):
            var out = OrderedDict()
            for (key, item) in dict { out[key] = try decryptedForDisplay(item, secrets: secrets) }
            return .dict(out)
        default: return value
        }
    }

    static func removeInternal(_ vars: OrderedDict) -> OrderedDict {
        var result = vars
        for key in vars.keys where internalVariables.contains(key) { result.removeValue(forKey: key) }
        return result
    }
}

extension Value {
    func formatted(_ format: JSONFormat) -> String { format.string(self) }
}
