import Foundation
import Jinja

extension LookupContext {
    /// The engine's scope behind the template's variables (nil outside a run).
    var scope: VariableScope? { variables.underlyingVariables as? VariableScope }

    /// A `[WARNING]:` for the task being templated.
    func warn(_ message: String) { scope?.manager?.warningHandler?(message) }

    /// `files/name` then `name` under the base directory (role or playbook), or an absolute path.
    func findFile(_ name: String) -> String? {
        let candidates = name.hasPrefix("/") ? [name] : [baseDirectory + "/files/" + name, baseDirectory + "/" + name]
        return candidates.first { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
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
