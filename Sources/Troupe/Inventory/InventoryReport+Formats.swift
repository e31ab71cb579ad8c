import Foundation
import Jinja

/// `ansible-inventory --yaml` and `--toml`: the same inventory as `--list`, shaped as an
/// inventory file of that format would be written (groups nested under `children`, each
/// host's variables where the host first appears).
extension InventoryReport {
    /// The output format of `--list` and `--host`.
    public enum Format: Sendable {
        case json, yaml, toml
    }

    /// `--list` in `format`.
    public static func list(_ inventory: InventoryManager, format: Format, export: Bool = false,
                            playbookDirectoryGiven: Bool = false, extraVars: OrderedDict = OrderedDict()) throws -> String {
        let document: OrderedDict
        switch format {
        case .json:
            return try list(inventory, export: export, playbookDirectoryGiven: playbookDirectoryGiven, extraVars: extraVars)
        case .yaml:
            document = try yamlDocument(inventory, export: export, playbookDirectoryGiven: playbookDirectoryGiven, extraVars: extraVars)
        case .toml:
            document = try tomlDocument(inventory, export: export, playbookDirectoryGiven: playbookDirectoryGiven, extraVars: extraVars)
        }
        return try render(.dict(document), format)
    }

    /// A document as ansible-inventory dumps it: JSON sorted with 4 spaces, YAML as
    /// `yaml.dump(default_flow_style=False)`, TOML as tomli-w writes it.
    static func render(_ document: Value, _ format: Format) throws -> String {
        switch format {
        case .json: return vaultTagged(document).formatted(json)
        case .yaml: return try YAMLEmitter(options: .init(defaultFlowStyle: false)).dump(document)
        case .toml: return try TOMLWriter().document(document.dictValue ?? OrderedDict())
        }
    }

    /// ansible-inventory's `yaml_inventory`: every group is a mapping under its parent's
    /// `children` (a group seen before is an empty mapping), hosts under `hosts` with their
    /// variables the first time they appear, group `vars` only with `export`.
    static func yamlDocument(_ inventory: InventoryManager, export: Bool, playbookDirectoryGiven: Bool,
                             extraVars: OrderedDict) throws -> OrderedDict {
        guard let top = inventory.group(named: "all") else { return OrderedDict() }
        let available = Set(try inventory.hosts(matching: top.name).map(\.name))
        var seenHosts = Set<String>(), seenGroups = Set<String>()

        func format(_ group: Group) throws -> OrderedDict {
            var entry = OrderedDict()
            var children = OrderedDict()
            for childName in group.childNames where childName != "all" {
                if seenGroups.contains(childName) {
                    children[childName] = .dict(OrderedDict())
                } else if let child = inventory.group(named: childName) {
                    children.merge(try format(child))
                    seenGroups.insert(childName)
                }
            }
            entry["children"] = .dict(children)
            var hosts = OrderedDict()
            if group.name != "all" {
                for hostName in group.hostNames where available.contains(hostName) {
                    var vars = OrderedDict()
                    if seenHosts.insert(hostName).inserted, let host = inventory.host(named: hostName) {
                        vars = try hostVariables(inventory, host, export: export, playbookDirectoryGiven: playbookDirectoryGiven, extraVars: extraVars)
                    }
                    hosts[hostName] = .dict(vars)
                }
            }
            entry["hosts"] = .dict(hosts)
            if export {
                let vars = removeInternal(try inventory.groupVariables(for: group, includePlaybookDirectories: playbookDirectoryGiven))
                if !vars.isEmpty { entry["vars"] = .dict(vars) }
            }
            removeEmptyKeys(&entry)
            return entry.isEmpty ? OrderedDict() : OrderedDict([(group.name, .dict(entry))])
        }
        return try format(top)
    }

    /// ansible-inventory's `toml_inventory`: one flat table per group (`children` a list of
    /// names), hosts under `hosts` the first time they appear; `ungrouped` only when it has
    /// hosts.
    static func tomlDocument(_ inventory: InventoryManager, export: Bool, playbookDirectoryGiven: Bool,
                             extraVars: OrderedDict) throws -> OrderedDict {
        guard let top = inventory.group(named: "all") else { return OrderedDict() }
        let available = Set(try inventory.hosts(matching: top.name).map(\.name))
        let hasUngrouped = !(inventory.group(named: "ungrouped")?.hostNames.isEmpty ?? true)
        var seenHosts = Set<String>()

        func format(_ group: Group) throws -> OrderedDict {
            var results = OrderedDict()
            var entry = OrderedDict()
            var children: [Value] = []
            for childName in group.childNames {
                if childName == "ungrouped" && !hasUngrouped { continue }
                if group.name != "all" { children.append(.string(childName)) }
                if let child = inventory.group(named: childName) { results.merge(try format(child)) }
            }
            entry["children"] = .list(children)
            if group.name != "all" {
                var hosts = OrderedDict()
                for hostName in group.hostNames where available.contains(hostName) {
                    var vars = OrderedDict()
                    if seenHosts.insert(hostName).inserted, let host = inventory.host(named: hostName) {
                        vars = try hostVariables(inventory, host, export: export, playbookDirectoryGiven: playbookDirectoryGiven, extraVars: extraVars)
                    }
                    hosts[hostName] = .dict(vars)
                }
                if !hosts.isEmpty { entry["hosts"] = .dict(hosts) }
            }
            if export {
                entry["vars"] = .dict(removeInternal(try inventory.groupVariables(for: group, includePlaybookDirectories: playbookDirectoryGiven)))
            }
            removeEmptyKeys(&entry)
            // The group's own table comes first, as Python's dict keeps the key set first.
            var ordered = OrderedDict()
            if !entry.isEmpty { ordered[group.name] = .dict(entry) }
            for (name, value) in results where name != group.name { ordered[name] = value }
            return ordered
        }
        return try format(top)
    }

    /// Vaulted and untrusted values as ansible's inventory JSON encoder (profile
    /// inventory_legacy) writes them: `{"__ansible_vault": ciphertext}`, `{"__ansible_unsafe": text}`.
    static func vaultTagged(_ value: Value) -> Value {
        switch value {
        case .vault(let ciphertext): return .dict(OrderedDict([("__ansible_vault", .string(ciphertext))]))
        case .unsafe(let text): return .dict(OrderedDict([("__ansible_unsafe", .string(text))]))
        case .list(let items): return .list(items.map(vaultTagged))
        case .dict(let dict):
            var out = OrderedDict()
            for (key, item) in dict { out[key] = vaultTagged(item) }
            return .dict(out)
        default: return value
        }
    }

    /// ansible-inventory's `_remove_empty_keys`.
    private static func removeEmptyKeys(_ entry: inout OrderedDict) {
        for key in ["hosts", "vars", "children"] where entry[key].map({ !$0.isTruthy }) ?? false {
            entry.removeValue(forKey: key)
        }
    }
}
