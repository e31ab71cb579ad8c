import Foundation
import Jinja

extension LookupContext {
    /// The engine's scope behind the template's variables (nil outside a run).
    var scope: VariableScope? { variables.underlyingVariables as? VariableScope }

    /// A `[WARNING]:` for the task being templated.
    func warn(_ message: String) { scope?.manager?.warningHandler?(message) }

    /// The first existing regular file for `name` on ansible-core's search path (see ``searchCandidates``).
    func findFile(_ name: String, subdir: String = "files") -> String? {
        searchCandidates(name, subdir: subdir).first { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    /// Where ansible-core looks for a relative `name` (its loader's path_dwim_relative_stack):
    /// for each directory of the task's `ansible_search_path` (the roles of the task, innermost
    /// first, then the directory of the file the task is in) `dir/subdir/name` and `dir/name`,
    /// after `../subdir/name` and `../name` when the task is in a role and that directory is
    /// under its `tasks/`; the playbook directory last. No `subdir` (lookup('first_found'))
    /// searches the directories themselves. An absolute or `~` path is the only candidate.
    func searchCandidates(_ name: String, subdir: String?) -> [String] {
        if name.hasPrefix("/") || name.hasPrefix("~") { return [(name as NSString).expandingTildeInPath] }
        let stack = ((try? variables.lookup("ansible_search_path")) ?? nil)?.listValue?.compactMap(\.stringValue) ?? []
        let inRole = ((try? variables.lookup("role_path")) ?? nil) != nil
        let usesSubdir = subdir.map { name.split(separator: "/", omittingEmptySubsequences: false).first.map(String.init) != $0 } ?? false
        var candidates: [String] = []
        for directory in stack + [baseDirectory] {
            let parent = (directory as NSString).deletingLastPathComponent
            if inRole && parent.hasSuffix("/tasks") && directory != baseDirectory {
                let roleDirectory = (parent as NSString).deletingLastPathComponent
                if let subdir { candidates.append(roleDirectory + "/" + subdir + "/" + name) }
                candidates.append(parent + "/" + name)
            }
            if usesSubdir, let subdir { candidates.append(directory + "/" + subdir + "/" + name) }
            candidates.append(directory + "/" + name)
        }
        var seen = Set<String>()
        return candidates.map { ($0 as NSString).standardizingPath }.filter { seen.insert($0).inserted }
    }

    /// A file's text, decrypted with the run's vault secrets when it is vaulted.
    func readDecrypting(_ path: String) throws -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard Vault.isEncrypted(text) else { return text }
        return String(decoding: try Vault.decrypt(text, secrets: scope?.templar.vaultSecrets ?? []), as: UTF8.self)
    }
}

/// `lookup('config', 'DEFAULT_ROLES_PATH', on_missing='error'|'warn'|'skip', show_origin=false)`:
/// the effective value of an ansible.cfg setting.
struct ConfigLookup: LookupPlugin {
    let name = "config"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        let missing = options["on_missing"]?.pythonString ?? "error"
        guard ["error", "warn", "skip"].contains(missing) else {
            throw JinjaError(.runtime, "Invalid value '\(missing)' for config 'on_missing' for 'config' lookup plugin. Valid values are: error, warn, skip")
        }
        let pluginType = options["plugin_type"].map(\.pythonString), pluginName = options["plugin_name"].map(\.pythonString)
        if (pluginType != nil) != (pluginName != nil) {
            throw JinjaError(.runtime, "Both plugin_type and plugin_name are required, cannot use one without the other.")
        }
        if let pluginType, let pluginName {
            throw JinjaError(.runtime, "Unable to load \(pluginType) plugin '\(pluginName)'.")
        }
        let showOrigin = options["show_origin"].map { ArgumentSpec.boolean($0) ?? false } ?? false
        let config = try AnsibleConfig.load()
        var out: [Value] = []
        for term in terms {
            guard let key = term.stringValue else {
                throw JinjaError(.runtime, "Invalid setting identifier, \(term.pythonRepr) is not a <class 'str'>, its a <class '\(term.pythonTypeName)'>.")
            }
            guard let setting = ConfigSetting.catalog.first(where: { $0.name == key }) else {
                let message = "No config definition exists for '\(key)'."
                switch missing {
                case "error": throw JinjaError(.runtime, message)
                case "warn": context.warn("Skipping \(key): \(message)")
                default: break
                }
                continue
            }
            let (value, origin) = try config.value(setting)
            out.append(showOrigin ? .list([value, .string(origin.description)]) : value)
        }
        return out
    }
}

/// `query('inventory_hostnames', 'web:&prod', '!db1')`: host names matching patterns.
struct InventoryHostnamesLookup: LookupPlugin {
    let name = "inventory_hostnames"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        guard let manager = context.scope?.manager else { return [] }
        let pattern = terms.map(\.pythonString).joined(separator: ",")
        let hosts = try manager.inventory.hostNames(matching: pattern)
        if let inventory = manager.inventory as? InventoryManager {
            for warning in inventory.takeWarnings() { context.warn(warning) }
        }
        return hosts.map(Value.string)
    }
}

/// `lookup('unvault', 'secret.txt')`: a file's contents, decrypted when vaulted.
struct UnvaultLookup: LookupPlugin {
    let name = "unvault"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        try terms.map { term in
            guard let path = context.findFile(term.pythonString), let text = try context.readDecrypting(path) else {
                context.warn("Unable to find '\(term.pythonString)' in expected paths (use -vvvvv to see paths)")
                throw JinjaError(.runtime, "Unable to find file matching \"\(term.pythonString)\" ")
            }
            return .string(text)
        }
    }
}
