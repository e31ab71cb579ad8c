import ArgumentParser
import Foundation
import Troupe

/// `troupe inventory`: ansible-inventory.
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inventory", abstract: "Show the inventory (like ansible-inventory).")

    @Option(name: [.short, .customLong("inventory")], help: "Inventory source (repeatable).")
    var inventory: [String] = []
    @Flag(name: .customLong("list")) var list = false
    @Flag(name: .customLong("graph")) var graph = false
    @Option(name: .customLong("host")) var host: String?

    func run() throws {
        ErrorReport.fail(TroupeError(.options, "troupe inventory needs the inventory manager, which is not built yet"))
    }
}
