import ArgumentParser
import Foundation
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
    @Flag(name: [.customShort("v"), .customLong("verbose")], help: "Causes troupe to print more messages (-vvv for more).")
    var verbosity: Int
    @Argument(help: "Group to graph (with --graph).")
    var group: String?

    func run() throws {
        guard [list, graph, host != nil].filter({ $0 }).count == 1 else {
            ErrorReport.fail(TroupeError(.options, "No action selected, at least one of --host, --graph or --list needs to be specified."))
        }
        do {
            let config = try AnsibleConfig.load()
            let display = Display.configured(config: config)
            display.verbosity = max(display.verbosity, verbosity)
            let sources = inventory.isEmpty ? config.inventory : inventory
            let loader = DataLoader(warn: { display.warning($0) })
            let manager = try InventorySources.load(sources, loader: loader, warn: { display.warning($0) })
            if let playbookDir { try manager.loadPlaybookAdjacentVars(directory: playbookDir) }
            if let limit { try manager.subset(limit) }
            let text: String
            if list {
                text = try InventoryReport.list(manager, export: export, playbookDirectoryGiven: playbookDir != nil)
            } else if graph {
                text = try InventoryReport.graph(manager, group: group ?? "all", showVariables: vars, playbookDirectoryGiven: playbookDir != nil)
            } else {
                text = try InventoryReport.host(manager, pattern: host!)
            }
            print(text)
        } catch {
            ErrorReport.fail(error)
        }
    }
}
