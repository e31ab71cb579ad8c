import Foundation
import Jinja

/// The executor's view of a real inventory.
extension InventoryManager: InventoryView {
    /// Names of hosts matching an Ansible pattern (groups, globs, `~regex`, `!`, `&`, subscripts) in inventory order, narrowed by the current `--limit` subset.
    public func hostNames(matching pattern: String) throws -> [String] {
        try hosts(matching: pattern).map(\.name)
    }

    /// The host's inventory variable layers, lowest precedence first; empty for an unknown host.
    public func inventoryVariables(for host: String) -> [OrderedDict] {
        guard let h = self.host(named: host) else { return [] }
        return ((try? variableLayers(for: h)) ?? []).map(\.variables)
    }

    /// The `groups` magic variable, as last computed by the manager.
    public func groupsDictionary() -> OrderedDict { groupsVariable }

    /// `group_names` of the host; empty for an unknown host.
    public func groupNames(forHost host: String) -> [String] {
        guard let h = self.host(named: host) else { return [] }
        return groupNames(for: h)
    }

    /// `inventory_dir`/`inventory_file` of the host; nil when unknown or not set.
    public func inventorySource(for host: String) -> (dir: String?, file: String?) {
        guard let h = self.host(named: host) else { return (nil, nil) }
        return (h.inventoryDirectory, h.inventoryFile)
    }

    /// `add_host`: adds or updates the host; errors (e.g. an invalid name) are dropped.
    @discardableResult
    public func addHost(_ name: String, groups: [String], variables: OrderedDict) -> Bool {
        (try? addHost(name: name, groups: groups, vars: variables)) ?? false
    }

    /// Loads `group_vars/` and `host_vars/` next to the playbook; throws on unreadable or invalid files.
    public func loadPlaybookVariables(directory: String) throws {
        try loadPlaybookAdjacentVars(directory: directory)
    }

    /// `group_by`: adds the host to `group` under `parents`; errors are dropped.
    /// Re-reads every source (`meta: refresh_inventory`).
    public func refreshInventory() throws { try refresh() }

    public func addToGroup(_ host: String, group: String, parents: [String]) {
        _ = try? addGroup(name: group, parents: parents, host: host)
    }
}
