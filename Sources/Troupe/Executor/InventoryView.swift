import Jinja

/// What the executor needs from an inventory. ``InventoryManager`` provides it for real
/// inventories; ``StaticInventory`` serves tests and embedding programs.
public protocol InventoryView: AnyObject, Sendable {
    /// Hosts matching an Ansible host pattern, in inventory order.
    func hostNames(matching pattern: String) throws -> [String]
    /// Inventory-derived variable layers of a host, LOWEST precedence first (group vars
    /// from the inventory file, group_vars/all, group_vars/*, host vars, host_vars/*).
    func inventoryVariables(for host: String) -> [OrderedDict]
    /// `groups`: every group with its hosts (including `all` and `ungrouped`).
    func groupsDictionary() -> OrderedDict
    /// `group_names` of a host (sorted, without `all`/`ungrouped`).
    func groupNames(forHost host: String) -> [String]
    /// Directory of the inventory source the host came from (`inventory_dir`), and file.
    func inventorySource(for host: String) -> (dir: String?, file: String?)
    /// `add_host`: adds (or updates) a host at run time.
    /// Returns whether the inventory changed (a new host, group membership or variable).
    @discardableResult
    func addHost(_ name: String, groups: [String], variables: OrderedDict) -> Bool
    /// `group_by`: adds a host to a group (created when missing), with parent groups.
    func addToGroup(_ host: String, group: String, parents: [String])
    /// Loads `group_vars/` and `host_vars/` next to a playbook.
    func loadPlaybookVariables(directory: String) throws
    /// `meta: refresh_inventory`: re-reads the sources (run-time additions are kept).
    func refreshInventory() throws
}

extension InventoryView {
    /// Default: inventories without playbook-adjacent variables load nothing.
    public func loadPlaybookVariables(directory: String) throws {}
    /// Default: an in-memory inventory has no sources to re-read.
    public func refreshInventory() throws {}
}

/// A tiny in-memory inventory: hosts with variables and groups. `localhost` is implicit
/// when not listed (local connection), as in Ansible.
public final class StaticInventory: InventoryView, @unchecked Sendable {
    private var hostOrder: [String] = []
    private var hostVars: [String: OrderedDict] = [:]
    private var groups: [String: [String]] = [:]
    private var groupOrder: [String] = []

    /// An inventory of `hosts` (no groups) with per-host `variables`.
    public init(hosts: [String] = [], variables: [String: OrderedDict] = [:]) {
        for h in hosts { addHost(h, groups: [], variables: variables[h] ?? OrderedDict()) }
    }

    /// `-i a,b,c,` style host list.
    public convenience init(hostList: String) {
        self.init(hosts: hostList.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    /// Resolves comma/colon-separated parts: `all`/`*`, group names, host names, implicit localhost, then globs. No `!`/`&` operators.
    public func hostNames(matching pattern: String) throws -> [String] {
        var result: [String] = []
        for part in pattern.split(whereSeparator: { $0 == "," || $0 == ":" }).map(String.init) {
            let names: [String]
            if part == "all" || part == "*" {
                names = hostOrder
            } else if let members = groups[part] {
                names = members
            } else if hostVars[part] != nil {
                names = [part]
            } else if part == "localhost" || part == "127.0.0.1" {
                names = [part]
            } else {
                names = hostOrder.filter { Glob.matches($0, pattern: part) }
            }
            for n in names where !result.contains(n) { result.append(n) }
        }
        return result
    }

    /// The host's own variables; an unlisted localhost gets `ansible_connection: local`.
    public func inventoryVariables(for host: String) -> [OrderedDict] {
        if hostVars[host] == nil && (host == "localhost" || host == "127.0.0.1") {
            return [["ansible_connection": "local"]]
        }
        return [hostVars[host] ?? OrderedDict()]
    }

    /// `all`, `ungrouped` and every group in creation order, each with its hosts.
    public func groupsDictionary() -> OrderedDict {
        var d = OrderedDict()
        d["all"] = .list(hostOrder.map(Value.string))
        let grouped = Set(groups.values.flatMap { $0 })
        d["ungrouped"] = .list(hostOrder.filter { !grouped.contains($0) }.map(Value.string))
        for g in groupOrder { d[g] = .list(groups[g]!.map(Value.string)) }
        return d
    }

    /// The sorted groups containing `host`.
    public func groupNames(forHost host: String) -> [String] {
        groupOrder.filter { groups[$0]!.contains(host) }.sorted()
    }

    /// Always (nil, nil): a static inventory has no source file.
    public func inventorySource(for host: String) -> (dir: String?, file: String?) { (nil, nil) }

    /// Adds `name` (or merges `variables` into an existing host) and puts it in `newGroups`. Not thread-safe.
    @discardableResult
    public func addHost(_ name: String, groups newGroups: [String], variables: OrderedDict) -> Bool {
        var changed = false
        if hostVars[name] == nil { hostOrder.append(name); hostVars[name] = OrderedDict(); changed = true }
        let before = hostVars[name]
        hostVars[name]!.merge(variables)
        if hostVars[name] != before { changed = true }
        for g in newGroups where !(groups[g]?.contains(name) ?? false) { addToGroup(name, group: g, parents: []); changed = true }
        return changed
    }

    /// Adds `host` to `group`, creating the group; `parents` are ignored here. Not thread-safe.
    public func addToGroup(_ host: String, group: String, parents: [String]) {
        if groups[group] == nil { groups[group] = []; groupOrder.append(group) }
        if !groups[group]!.contains(host) { groups[group]!.append(host) }
    }
}

/// fnmatch-style globbing (`*`, `?`, `[abc]`) for host patterns and fact filters.
public enum Glob {
    /// Whether `text` matches the whole fnmatch `pattern` (`*`, `?`, `[abc]`, `[!abc]`), case-sensitively.
    public static func matches(_ text: String, pattern: String) -> Bool {
        let t = Array(text), p = Array(pattern)
        var ti = 0, pi = 0, starP = -1, starT = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "[", let end = p[pi...].firstIndex(of: "]"), end > pi + 1 {
                let set = p[(pi + 1)..<end]
                let negate = set.first == "!" || set.first == "^"
                let members = negate ? Array(set.dropFirst()) : Array(set)
                var hit = false
                var k = 0
                while k < members.count {
                    if k + 2 < members.count, members[k + 1] == "-" {
                        if members[k] <= t[ti] && t[ti] <= members[k + 2] { hit = true }
                        k += 3
                    } else {
                        if members[k] == t[ti] { hit = true }
                        k += 1
                    }
                }
                if hit != negate { ti += 1; pi = end + 1; continue }
            } else if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                ti += 1; pi += 1; continue
            } else if pi < p.count, p[pi] == "*" {
                starP = pi; starT = ti; pi += 1; continue
            }
            if starP >= 0 { pi = starP + 1; starT += 1; ti = starT; continue }
            return false
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
