import ArgumentParser
import Foundation
import Jinja
import Troupe

/// `troupe config`: ansible-config's `list`, `dump` and `view` over the settings Troupe reads.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "View Ansible configuration (like ansible-config).",
        subcommands: [ConfigList.self, ConfigDump.self, ConfigView.self])
}

/// `-c/--config`: the file to read instead of the one Ansible's search order finds.
struct ConfigFileOption: ParsableArguments {
    @Option(name: [.customShort("c"), .customLong("config")], help: "Path to the configuration file; defaults to the first file found in precedence.")
    var file: String?

    @Flag(name: .shortAndLong, help: "Verbose mode (accepted for compatibility).")
    var verbose: Int

    func load() throws -> AnsibleConfig {
        var environment = ProcessInfo.processInfo.environment
        if let file {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw TroupeError(.options, "The provided configuration file is missing or not accessible: \(file)")
            }
            environment["ANSIBLE_CONFIG"] = file
        }
        return try AnsibleConfig.load(environment: environment)
    }
}

/// `troupe config dump [--only-changed]`: `NAME(origin) = value` for every setting.
struct ConfigDump: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dump", abstract: "Show the current settings, merged from all sources.")
    @OptionGroup var config: ConfigFileOption
    @Flag(name: [.customLong("only-changed"), .customLong("changed-only")], help: "Only show settings changed from their defaults.")
    var onlyChanged = false

    func run() throws {
        do {
            print(try config.load().dumpLines(onlyChanged: onlyChanged).joined(separator: "\n"))
        } catch {
            ErrorReport.fail(error)
        }
    }
}

/// `troupe config view`: the configuration file as written.
struct ConfigView: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "view", abstract: "View the configuration file.")
    @OptionGroup var config: ConfigFileOption

    func run() throws {
        do {
            guard let path = try config.load().filePath, let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw TroupeError(.options, "Invalid or no config file was supplied")
            }
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        } catch {
            ErrorReport.fail(error)
        }
    }
}

/// `troupe config list`: every setting's type, default, environment variables and ini
/// entries, as YAML keyed by name (ansible-config list's shape, without descriptions).
struct ConfigList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the settings Troupe reads and where they come from.")
    @OptionGroup var config: ConfigFileOption

    func run() throws {
        var lines: [String] = []
        for setting in ConfigSetting.catalog.sorted(by: { $0.name < $1.name }) {
            lines.append("\(setting.name):")
            if !setting.defaultValue.isNull { lines.append("  default: \(setting.defaultValue.jsonString)") }
            if !setting.env.isEmpty {
                lines.append("  env:")
                lines += setting.env.map { "  - name: \($0)" }
            }
            if !setting.ini.isEmpty {
                lines.append("  ini:")
                for entry in setting.ini { lines += ["  - key: \(entry.key)", "    section: \(entry.section)"] }
            }
            lines.append("  type: \(setting.kind.rawValue)")
        }
        print(lines.joined(separator: "\n"))
    }
}
