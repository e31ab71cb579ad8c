import Foundation
import Jinja

/// The executor's view of a real inventory.
extension InventoryManager: InventoryView {
    public func hostNames(matching pattern: String) throws -> [String] {
        try hosts(matching: pattern).map(\.name)
    }

    public func inventoryVariables(for host: String) -> [OrderedDict] {
        guard let h = self.host(named: host) else { return [] }
        return ((try? variableLayers(for: h)) ?? []).map(\.variables)
    }

    public func groupsDictionary() -> OrderedDict { groupsVariable }

    public func groupNames(forHost host: String) -> [String] {
        guard let h = self.host(named: host) else { return [] }
        return groupNames(for: h)
    }

    public func inventorySource(for host: String) -> (dir: String?, file: String?) {
        guard let h = self.host(named: host) else { return (nil, nil) }
        return (h.inventoryDirectory, h.inventoryFile)
    }

    public func addHost(_ name: String, groups: [String], variables: OrderedDict) {
        _ = try? addHost(name: name, groups: groups, vars: variables)
    }

    public func loadPlaybookVariables(directory: String) throws {
        try loadPlaybookAdjacentVars(directory: directory)
    }

    public func addToGroup(_ host: String, group: String, parents: [String]) {
        _ = try? addGroup(name: group, parents: parents, host: host)
    }
}
