import Foundation
import Jinja

/// What a private data dir's `env/` and `inventory/` say, read as ansible-runner reads
/// them: each `env/` file is JSON or YAML (`ssh_key` and `cmdline` are text).
struct PrivateDataDirectory {
    /// `env/extravars`, when present.
    var extraVarsFile: String?
    /// `env/passwords`: prompt regex → answer.
    var passwords: [(pattern: String, answer: String)] = []
    /// `env/envvars`.
    var environment: [String: String] = [:]
    /// `env/settings` (job_timeout, idle_timeout, suppress_ansible_output …).
    var settings = OrderedDict()
    /// `env/ssh_key`: private key text for the run.
    var sshKey: String?
    /// `env/cmdline` (or the config's cmdline), split into words.
    var commandLine: [String] = []
    /// Inventory sources.
    var inventory: [String] = []

    init(_ config: RunnerConfig) throws {
        let env = config.root + "/env/"
        let fm = FileManager.default
        if fm.fileExists(atPath: env + "extravars") { extraVarsFile = env + "extravars" }
        if let passwords = try Self.mapping(env + "passwords") {
            self.passwords = passwords.map { ($0.key, $0.value.pythonString) }
        }
        if let vars = try Self.mapping(env + "envvars") {
            for (key, value) in vars { environment[key] = value.pythonString }
        }
        settings = try Self.mapping(env + "settings") ?? OrderedDict()
        sshKey = try? String(contentsOfFile: env + "ssh_key", encoding: .utf8)
        let cmdline = config.cmdline ?? (try? String(contentsOfFile: env + "cmdline", encoding: .utf8))
        if let cmdline { commandLine = try ShellWords.split(cmdline) }
        if config.inventory.isEmpty {
            let dir = config.root + "/inventory"
            if fm.fileExists(atPath: dir) { inventory = [dir] }
        } else {
            inventory = config.inventory.map { source in
                if source.hasPrefix("/") { return source }
                for base in [config.root + "/inventory/", config.root + "/"] where fm.fileExists(atPath: base + source) {
                    return base + source
                }
                return source  // a host list such as "web1,web2,"
            }
        }
    }

    /// `env/settings` value as seconds (job_timeout, idle_timeout).
    func seconds(_ key: String) -> Double? {
        guard let value = settings[key], !value.isNull else { return nil }
        return value.doubleValue ?? Double(value.pythonString)
    }

    /// A JSON or YAML mapping file; nil when absent.
    static func mapping(_ path: String) throws -> OrderedDict? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        if let json = try? Value.parseJSON(text), let dict = json.dictValue { return dict }
        guard let node = try YAMLLoader().load(text, file: path) else { return OrderedDict() }
        guard let dict = node.value.dictValue else {
            throw TroupeError(.parse, "\(path) must contain a mapping")
        }
        return dict
    }
}
