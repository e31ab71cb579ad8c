import ArgumentParser
import Foundation
import Jinja
#if canImport(Glibc)
import Glibc
#endif
import Troupe

/// `troupe inventory`: ansible-inventory.
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inventory", abstract: "Show the inventory (like ansible-inventory).")

    @Option(name: [.short, .customLong("inventory"), .customLong("inventory-file")], help: "Inventory source (repeatable).")
    var inventory: [String] = []
    @Option(name: [.short, .long], help: "Further limit selected hosts to an additional pattern.")
    var limit: String?
    @Flag(name: .customLong("list"), help: "Output all hosts info as JSON.")
    var list = false
    @Flag(name: .customLong("graph"), help: "Create an inventory graph; a group name may follow as the pattern.")
    var graph = false
    @Option(name: .customLong("host"), help: "Output the variables of a specific host.")
    var host: String?
    @Flag(name: .customLong("vars"), help: "Add vars to the graph display.")
    var vars = false
    @Flag(name: .customLong("export"), help: "With --list, output in the form the inventory file would be written.")
    var export = false
    @Option(name: .customLong("playbook-dir"), help: "Load group_vars/host_vars relative to this directory.")
    var playbookDir: String?
    @Flag(name: [.customShort("y"), .customLong("yaml")], help: "Use YAML format instead of the default JSON (ignored for --graph).")
    var yaml = false
    @Flag(name: .customLong("toml"), help: "Use TOML format instead of the default JSON (ignored for --graph).")
    var toml = false
    @Option(name: .customLong("output"), help: "When doing --list, send the inventory to a file instead of to the screen.")
    var output: String?
    @Option(name: [.customShort("e"), .customLong("extra-vars")], help: "Set additional variables as key=value, YAML/JSON, or @file (repeatable).")
    var extraVars: [String] = []
    @OptionGroup var vault: VaultOptions
    @Flag(name: [.customShort("v"), .customLong("verbose")], help: "Causes troupe to print more messages (-vvv for more).")
    var verbosity: Int
    @Argument(help: "Group to graph (with --graph).")
    var group: String?

    func run() throws {
        let actions = [list, graph, host != nil].filter { $0 }.count
        if actions == 0 {
            ErrorReport.fail(TroupeError(.options, "No action selected, at least one of --host, --graph or --list needs to be specified."))
        }
        if actions > 1 {
            ErrorReport.fail(TroupeError(.options, "Conflicting options used, only one of --host, --graph or --list can be used at the same time."))
        }
        do {
            let config = try AnsibleConfig.load()
            let display = Display.configured(config: config)
            display.verbosity = max(display.verbosity, verbosity)
            let sources = inventory.isEmpty ? config.inventory : inventory
            let loader = DataLoader(warn: { display.warning($0) })
            loader.vaultSecrets = try vault.secrets(config: config, display: display)
            var extra = OrderedDict()
            for text in extraVars { extra.merge(try CommandLineValues.extraVars(text, loader: loader)) }
            let manager = try InventorySources.load(sources, loader: loader, warn: { display.warning($0) })
            if let playbookDir { try manager.loadPlaybookAdjacentVars(directory: playbookDir) }
            let format: InventoryReport.Format = yaml ? .yaml : (toml ? .toml : .json)
            let text: String
            if let host {
                // ansible-inventory applies --limit to --list and --graph, not to --host.
                text = try InventoryReport.host(manager, pattern: host, format: format, extraVars: extra)
            } else {
                if let limit { try manager.subset(limit) }
                if list {
                    text = try InventoryReport.list(manager, format: format, export: export, playbookDirectoryGiven: playbookDir != nil, extraVars: extra)
                } else {
                    text = try InventoryReport.graph(manager, group: group ?? "all", showVariables: vars,
                                                     playbookDirectoryGiven: playbookDir != nil, extraVars: extra)
                }
            }
            try write(text)
        } catch {
            ErrorReport.fail(error)
        }
    }

    /// ansible-inventory's message, with Python's rendering of the OSError.
    private static func unwritable(_ path: String, _ code: Int32) -> String {
        "Unable to write to destination file '\(path)': [Errno \(code)] \(String(cString: strerror(code))): b'\(path)'"
    }

    /// To stdout with a newline (ansible's display), or exactly the text into `--output`.
    private func write(_ text: String) throws {
        guard let output else {
            print(text.hasSuffix("\n") ? String(text.dropLast()) : text)
            return
        }
        let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw TroupeError(.io, Self.unwritable(output, errno)) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw TroupeError(.io, Self.unwritable(output, errno)) }
            offset += count
        }
    }
}
