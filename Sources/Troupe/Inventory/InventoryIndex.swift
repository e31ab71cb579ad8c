import Foundation
import Jinja

/// An immutable, fully derived view of one ``InventoryData`` state: group depths,
/// each group's hosts in Ansible's order, each host's groups. Built once per change,
/// then shared by any number of reader threads without locking.
final class InventoryIndex: @unchecked Sendable {
    let data: InventoryData
    /// Hosts with `groupNames` filled in, in inventory order.
    let hosts: [Host]
    let hostsByName: [String: Host]
    /// Groups with `depth` filled in, in inventory order.
    let groups: [Group]
    let groupsByName: [String: Group]
    /// `group.get_hosts()` for every group: own hosts first, then descendants'.
    let groupHosts: [String: [String]]
    /// The implicit localhost used when a pattern names it but inventory does not.
    let implicitLocalhosts: [String: Host]

    /// Results of single host patterns, valid for this state only.
    private let cacheLock = NSLock()
    private var patternCache: [String: [String]] = [:]
    /// Variable layers per host (and playbook directories), valid for this state only:
    /// the executor asks for them for every task.
    private var layerCache: [String: [VariableLayer]] = [:]

    init(_ data: InventoryData) {
        self.data = data
        var depths: [String: Int] = [:]
        func depth(_ name: String, _ visiting: Set<String>) -> Int {
            if let known = depths[name] { return known }
            let parents = data.groups[name]?.parentNames ?? []
            var result = 0
            for parent in parents where !visiting.contains(parent) {
                result = max(result, depth(parent, visiting.union([name])) + 1)
            }
            depths[name] = result
            return result
        }
        var groups: [Group] = []
        var groupsByName: [String: Group] = [:]
        for name in data.groupOrder {
            guard var group = data.groups[name] else { continue }
            group.depth = depth(name, [])
            groups.append(group)
            groupsByName[name] = group
        }
        self.groups = groups
        self.groupsByName = groupsByName

        var groupHosts: [String: [String]] = [:]
        for group in groups {
            groupHosts[group.name] = Self.descendantHosts(of: group.name, in: data)
        }
        self.groupHosts = groupHosts

        var membership: [String: [String]] = [:]
        for group in groups {
            for host in groupHosts[group.name] ?? [] { membership[host, default: []].append(group.name) }
        }
        var hosts: [Host] = []
        var hostsByName: [String: Host] = [:]
        for name in data.hostOrder {
            guard var host = data.hosts[name], !host.isImplicit else { continue }
            host.groupNames = membership[name] ?? []
            hosts.append(host)
            hostsByName[name] = host
        }
        self.hosts = hosts
        self.hostsByName = hostsByName

        var implicit: [String: Host] = [:]
        for name in data.hostOrder {
            guard var host = data.hosts[name], host.isImplicit else { continue }
            host.groupNames = membership[name] ?? []
            implicit[name] = host
        }
        if data.localhostName == nil {
            for name in InventoryData.localhostNames where implicit[name] == nil {
                var host = Host(name: name, location: nil, isImplicit: true)
                // `all`'s vars still reach it through the group layer, not as host vars.
                host.vars["ansible_connection"] = "local"
                if let python = InventoryData.controllerPython { host.vars["ansible_python_interpreter"] = .string(python) }
                implicit[name] = host
            }
        }
        self.implicitLocalhosts = implicit
    }

    /// Ansible's `Group.get_hosts()`: the group's own hosts, then those of its children
    /// breadth first, each host once.
    private static func descendantHosts(of name: String, in data: InventoryData) -> [String] {
        guard let group = data.groups[name] else { return [] }
        var ordered = [name] + group.childNames
        var seen: Set<String> = []
        var level = group.childNames
        while !level.isEmpty {
            seen.formUnion(level)
            var next: [String] = []
            var queued: Set<String> = []
            for parent in level {
                for child in data.groups[parent]?.childNames ?? [] where !seen.contains(child) && queued.insert(child).inserted {
                    next.append(child)
                    ordered.append(child)
                }
            }
            level = next
        }
        var result: [String] = []
        var added: Set<String> = []
        for group in ordered {
            for host in data.groups[group]?.hostNames ?? [] where added.insert(host).inserted {
                if name == "all" && data.hosts[host]?.isImplicit == true { continue }
                result.append(host)
            }
        }
        return result
    }

    /// A host by name; a localhost-like name not in inventory yields the inventory's own
    /// localhost entry when there is one (ansible-core's `get_host`), else the implicit one.
    func host(named name: String) -> Host? {
        if let host = hostsByName[name] ?? implicitLocalhosts[name] { return host }
        guard InventoryData.localhostNames.contains(name), let entry = data.localhostName else { return nil }
        return hostsByName[entry]
    }

    func cachedPattern(_ key: String) -> [String]? {
        cacheLock.lock(); defer { cacheLock.unlock() }
        return patternCache[key]
    }

    func storePattern(_ key: String, _ hosts: [String]) {
        cacheLock.lock(); defer { cacheLock.unlock() }
        patternCache[key] = hosts
    }

    func cachedLayers(_ key: String) -> [VariableLayer]? {
        cacheLock.lock(); defer { cacheLock.unlock() }
        return layerCache[key]
    }

    func storeLayers(_ key: String, _ layers: [VariableLayer]) {
        cacheLock.lock(); defer { cacheLock.unlock() }
        layerCache[key] = layers
    }

    /// Groups of `host` other than `all`, in Ansible's `sort_groups` order: by depth,
    /// then priority, then name.
    func sortedGroups(of host: Host) -> [Group] {
        host.groupNames.filter { $0 != "all" }.compactMap { groupsByName[$0] }.sorted { a, b in
            if a.depth != b.depth { return a.depth < b.depth }
            if a.priority != b.priority { return a.priority < b.priority }
            return Value.pythonStringLess(a.name, b.name)
        }
    }
}
