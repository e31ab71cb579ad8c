import Foundation
import Jinja

/// Ansible's configuration: `ansible.cfg` found in Ansible's search order, overridden by
/// `ANSIBLE_*` environment variables, falling back to Ansible's defaults.
///
/// Precedence per setting (highest first): programmatic overrides (`set`), environment,
/// config file, default — as in ansible-core's ConfigManager.
public struct AnsibleConfig: Sendable {
    /// The parsed config file, if one was found.
    public private(set) var file: IniFile?
    /// Path of the config file in use, or nil ("No config file found; using defaults").
    public var filePath: String? { file?.path }
    /// The environment consulted for overrides.
    public var environment: [String: String]
    /// The working directory, for resolving relative paths that did not come from the file.
    public var currentDirectory: String
    /// The user's home, for `~` expansion.
    public var homeDirectory: String
    private var overrides: [String: Value] = [:]

    /// A configuration from an explicit file (or none), an environment and a working directory.
    public init(file: IniFile?, environment: [String: String] = ProcessInfo.processInfo.environment,
                currentDirectory: String = FileManager.default.currentDirectoryPath,
                homeDirectory: String? = nil) {
        self.file = file
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.homeDirectory = homeDirectory ?? environment["HOME"] ?? NSHomeDirectory()
    }

    /// Loads the configuration the way ansible does at start-up: finds the config file
    /// (`ANSIBLE_CONFIG`, `./ansible.cfg`, `~/.ansible.cfg`, `/etc/ansible/ansible.cfg`) and parses it.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment,
                            currentDirectory: String = FileManager.default.currentDirectoryPath,
                            homeDirectory: String? = nil) throws -> AnsibleConfig {
        let home = homeDirectory ?? environment["HOME"] ?? NSHomeDirectory()
        let path = findConfigFile(environment: environment, currentDirectory: currentDirectory, homeDirectory: home)
        let file = try path.map { try IniFile(contentsOf: $0) }
        return AnsibleConfig(file: file, environment: environment, currentDirectory: currentDirectory, homeDirectory: home)
    }

    /// The first readable config file in Ansible's search order. A directory in
    /// `ANSIBLE_CONFIG` means its `ansible.cfg`; a world-writable working directory is skipped.
    public static func findConfigFile(environment: [String: String], currentDirectory: String, homeDirectory: String) -> String? {
        let fm = FileManager.default
        var candidates: [String] = []
        if let fromEnv = environment["ANSIBLE_CONFIG"] {
            var path = PathResolver.resolve(fromEnv, base: currentDirectory, home: homeDirectory)
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                path = (path as NSString).appendingPathComponent("ansible.cfg")
            }
            candidates.append(path)
        }
        if !isWorldWritable(currentDirectory) {
            candidates.append((currentDirectory as NSString).appendingPathComponent("ansible.cfg"))
        }
        candidates.append((homeDirectory as NSString).appendingPathComponent(".ansible.cfg"))
        candidates.append("/etc/ansible/ansible.cfg")
        return candidates.first { path in
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue && fm.isReadableFile(atPath: path)
        }
    }

    private static func isWorldWritable(_ directory: String) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: directory),
              let permissions = attributes[.posixPermissions] as? Int else { return false }
        return permissions & 0o002 != 0
    }

    // MARK: - Lookup

    /// Forces a value (e.g. from a command-line option); it wins over env and file.
    public mutating func set(_ setting: ConfigSetting, to value: Value) {
        overrides[setting.name] = value
    }

    /// The raw text of a setting and where it came from, before type conversion.
    public func rawValue(_ setting: ConfigSetting) -> (value: Value, origin: ConfigOrigin) {
        if let forced = overrides[setting.name] { return (forced, .override) }
        var found: (Value, ConfigOrigin)?
        for name in setting.env {
            if let text = environment[name] { found = (.string(text), .environment(name)) }
        }
        if let found { return found }
        if let file {
            let path = file.path ?? "ansible.cfg"
            for entry in setting.ini {
                if let text = file.value(entry.key, section: entry.section) {
                    found = (.string(Self.unquote(text)), .file(path: path, section: entry.section, key: entry.key))
                }
            }
        }
        if let found { return found }
        return (expandHome(in: setting.defaultValue), .default)
    }

    /// A setting's typed value and its origin. Invalid text raises a `TroupeError`; an empty
    /// environment value for a non-string setting falls back to the default, as Ansible does.
    public func value(_ setting: ConfigSetting) throws -> (value: Value, origin: ConfigOrigin) {
        let (raw, origin) = rawValue(setting)
        do {
            return (try convert(raw, kind: setting.kind, origin: origin), origin)
        } catch let error as ConfigValueError {
            if case .environment = origin, raw == .string("") {
                return (try convert(expandHome(in: setting.defaultValue), kind: setting.kind, origin: .default), .default)
            }
            let label = setting.name
            throw TroupeError(.options, "Config \(label) from '\(origin)' has an invalid value: \(error.message)")
        }
    }

    /// A setting's typed value; invalid values fall back to the default so display code never fails.
    public subscript(setting: ConfigSetting) -> Value {
        if let result = try? value(setting) { return result.value }
        return (try? convert(expandHome(in: setting.defaultValue), kind: setting.kind, origin: .default)) ?? .null
    }

    /// Looks up a setting not in the catalog: `[section] key`, with an optional env var.
    public func string(section: String, key: String, env: String? = nil) -> String? {
        if let env, let text = environment[env] { return text }
        return file?.value(key, section: section).map(Self.unquote)
    }

    // MARK: - Conversion

    struct ConfigValueError: Error { var message: String }

    private func convert(_ raw: Value, kind: ConfigSetting.Kind, origin: ConfigOrigin) throws -> Value {
        if raw.isNull { return .null }
        let base = baseDirectory(for: origin)
        switch kind {
        case .boolean:
            if case .bool = raw { return raw }
            return .bool(AnsibleBoolean.parse(raw))
        case .integer:
            if case .int = raw { return raw }
            let text = (raw.stringValue ?? "").trimmingCharacters(in: .whitespaces)
            if let i = Int(text) { return .int(i) }
            if let d = Double(text), d == d.rounded(), abs(d) < 9e18 { return .int(Int(d)) }
            throw ConfigValueError(message: "'\(text)' is not an integer")
        case .float:
            if case .float = raw { return raw }
            if case .int(let i) = raw { return .float(Double(i)) }
            let text = (raw.stringValue ?? "").trimmingCharacters(in: .whitespaces)
            guard let d = Double(text) else { throw ConfigValueError(message: "'\(text)' is not a number") }
            return .float(d)
        case .string, .raw:
            if case .string = raw { return raw }
            if kind == .raw { return raw }
            return .string(raw.pythonString)
        case .list:
            if case .list = raw { return raw }
            let text = raw.stringValue ?? raw.pythonString
            return .list(text.split(separator: ",", omittingEmptySubsequences: false)
                .map { .string(Self.unquote($0.trimmingCharacters(in: .whitespaces))) })
        case .path:
            guard let text = raw.stringValue else { throw ConfigValueError(message: "a path must be text") }
            return .string(PathResolver.resolve(text, base: base, home: homeDirectory))
        case .pathspec, .pathlist:
            let items: [String]
            if case .list(let list) = raw {
                items = list.compactMap(\.stringValue)
            } else if let text = raw.stringValue {
                items = kind == .pathspec ? text.components(separatedBy: ":")
                    : text.components(separatedBy: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            } else {
                throw ConfigValueError(message: "a path list must be text")
            }
            return .list(items.map { .string(PathResolver.resolve($0, base: base, home: homeDirectory)) })
        }
    }

    /// Relative paths from the config file are relative to its folder; others to the cwd.
    private func baseDirectory(for origin: ConfigOrigin) -> String {
        if case .file(let path, _, _) = origin, path.hasPrefix("/") {
            return (path as NSString).deletingLastPathComponent
        }
        return currentDirectory
    }

    /// Defaults are written with `~/.ansible` for ANSIBLE_HOME.
    private func expandHome(in value: Value) -> Value {
        guard case .string(let text) = value, text.contains("~/.ansible") else { return value }
        let ansibleHome = environment["ANSIBLE_HOME"].map { PathResolver.resolve($0, base: currentDirectory, home: homeDirectory) }
            ?? (homeDirectory as NSString).appendingPathComponent(".ansible")
        return .string(text.replacingOccurrences(of: "~/.ansible", with: ansibleHome))
    }

    /// Removes one pair of matching surrounding quotes, as Ansible's `unquote`.
    static func unquote(_ text: String) -> String {
        let chars = Array(text)
        guard chars.count > 1, chars[0] == chars[chars.count - 1], chars[0] == "\"" || chars[0] == "'",
              chars[chars.count - 2] != "\\" else { return text }
        return String(chars[1..<(chars.count - 1)])
    }
}
