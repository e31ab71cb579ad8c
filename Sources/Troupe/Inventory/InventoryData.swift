import Foundation
import Jinja

/// The mutable inventory graph that sources are parsed into: hosts and groups in the
/// order they were first seen, with Ansible's rules for adding members and children.
/// A plain value: the manager copies it, mutates the copy and publishes the result.
struct InventoryData: Sendable {
    /// Names that Ansible treats as the local machine.
    static let localhostNames: Set<String> = ["localhost", "127.0.0.1", "::1"]

    private(set) var hosts: [String: Host] = [:]
    private(set) var hostOrder: [String] = []
    private(set) var groups: [String: Group] = [:]
    private(set) var groupOrder: [String] = []
    /// The source being parsed; new hosts record it as `inventory_file`.
    var currentSource: String?
    /// The first localhost-like host defined in inventory.
    private(set) var localhostName: String?
    /// Warnings produced while building (duplicate localhost, invalid group names...).
    var warnings: [String] = []

    init() {
        addGroup("all", location: nil)
        addGroup("ungrouped", location: nil)
        try? addChild("all", "ungrouped")
    }

    /// Adds a group when missing; returns its name.
    @discardableResult
    mutating func addGroup(_ name: String, location: SourceLocation?) -> String {
        guard groups[name] == nil else { return name }
        if Self.hasInvalidGroupCharacters(name) {
            warnings.append("Invalid characters were found in group names but not replaced, use -vvvv to see details")
        }
        groups[name] = Group(name: name, location: location)
        groupOrder.append(name)
        return name
    }

    /// Ansible's `INVALID_VARIABLE_NAMES` test (`^[\d\W]|[^\w]`).
    static func hasInvalidGroupCharacters(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        if first.properties.numericType != nil { return true }
        return name.unicodeScalars.contains { !($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_") }
    }

    /// Adds a host when missing (recording `port` and the current source), then puts it
    /// in `group` when given. The port of an already-known host is left unchanged.
    @discardableResult
    mutating func addHost(_ name: String, group: String? = nil, port: Int? = nil, location: SourceLocation?) throws -> String {
        guard !name.isEmpty else { throw InventoryBuildError("Invalid empty host name provided: \(name)") }
        if let group, groups[group] == nil { throw InventoryBuildError("Could not find group \(group) in inventory") }
        if hosts[name] == nil {
            var host = Host(name: name, location: location)
            if let port { host.vars["ansible_port"] = .int(port) }
            if let source = currentSource {
                host.vars["inventory_file"] = .string(source)
                host.vars["inventory_dir"] = Self.baseDirectory(of: source).map(Value.string) ?? .null
            } else {
                host.vars["inventory_file"] = .null
                host.vars["inventory_dir"] = .null
            }
            hosts[name] = host
            hostOrder.append(name)
            if Self.localhostNames.contains(name) {
                if let first = localhostName {
                    warnings.append("A duplicate localhost-like entry was found (\(name)). First found localhost was \(first)")
                } else {
                    localhostName = name
                }
            }
        }
        if let group, groups[group]?.hostNames.contains(name) == false {
            groups[group]?.hostNames.append(name)
        }
        return name
    }

    /// Ansible's `basedir`: the directory itself, or the file's directory, made absolute.
    static func baseDirectory(of source: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else { return nil }
        let directory = isDirectory.boolValue ? source : (source as NSString).deletingLastPathComponent
        let absolute = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
        return (absolute as NSString).standardizingPath
    }

    /// Stores a fully built host (used for the implicit localhost).
    mutating func insertHost(_ host: Host) {
        if hosts[host.name] == nil { hostOrder.append(host.name) }
        hosts[host.name] = host
    }

    /// Makes `child` (a group, or else a host) a member of `group`.
    mutating func addChild(_ group: String, _ child: String) throws {
        guard groups[group] != nil else { throw InventoryBuildError("\(group) is not a known group") }
        if groups[child] != nil {
            guard group != child else { throw InventoryBuildError("can't add group to itself") }
            guard groups[group]?.childNames.contains(child) == false else { return }
            if ancestors(of: group).contains(child) {
                throw InventoryBuildError("Adding group '\(child)' as child to '\(group)' creates a recursive dependency loop.")
            }
            groups[group]?.childNames.append(child)
            if groups[child]?.parentNames.contains(group) == false { groups[child]?.parentNames.append(group) }
        } else if hosts[child] != nil {
            if groups[group]?.hostNames.contains(child) == false { groups[group]?.hostNames.append(child) }
        } else {
            throw InventoryBuildError("\(child) is not a known host nor group")
        }
    }

    /// Sets a variable on a group (or, failing that, a host). `ansible_group_priority`
    /// on a group sets its priority instead.
    mutating func setVariable(_ entity: String, _ key: String, _ value: Value) throws {
        if groups[entity] != nil {
            if key == "ansible_group_priority" {
                guard let priority = Self.pythonInt(value) else {
                    throw InventoryBuildError("invalid literal for int() with base 10: '\(value.pythonString)'")
                }
                groups[entity]?.priority = priority
            } else {
                groups[entity]?.vars[key] = value
            }
        } else if hosts[entity] != nil {
            hosts[entity]?.vars[key] = value
        } else {
            throw InventoryBuildError("Could not identify group or host named \(entity)")
        }
    }

    /// Python's `int(value)` for the types inventory values can have.
    static func pythonInt(_ value: Value) -> Int? {
        switch value {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .float(let d): return d.isFinite ? Int(d.rounded(.towardZero)) : nil
        case .string(let s), .unsafe(let s): return HostRangeExpander.pythonInt(s)
        default: return nil
        }
    }

    /// Merges variables into a host, replacing existing keys (Ansible's default
    /// `hash_behaviour=replace`).
    mutating func mergeHostVariables(_ name: String, _ vars: OrderedDict) {
        hosts[name]?.vars.merge(vars)
    }

    /// All groups above `group` (not including it).
    func ancestors(of group: String) -> Set<String> {
        var seen: Set<String> = []
        var stack = groups[group]?.parentNames ?? []
        while let next = stack.popLast() {
            if seen.insert(next).inserted { stack += groups[next]?.parentNames ?? [] }
        }
        return seen
    }

    /// Groups that hold `host`, directly or through descendants.
    func groupsContaining(_ host: String) -> Set<String> {
        var result: Set<String> = []
        for name in groupOrder where groups[name]?.hostNames.contains(host) == true {
            result.insert(name)
            result.formUnion(ancestors(of: name))
        }
        return result
    }

    /// Ansible's `reconcile_inventory`: parentless groups go under `all`, hosts in no
    /// other group go to `ungrouped`, and hosts in a real group leave `ungrouped`.
    mutating func reconcile() {
        currentSource = nil
        for name in groupOrder where name != "all" && (groups[name]?.parentNames.isEmpty ?? false) {
            try? addChild("all", name)
        }
        var membership: [String: Set<String>] = [:]
        for name in groupOrder {
            guard let group = groups[name] else { continue }
            let lineage = ancestors(of: name).union([name])
            for host in group.hostNames { membership[host, default: []].formUnion(lineage) }
        }
        for name in hostOrder {
            let mine = membership[name] ?? []
            if mine.contains("ungrouped") {
                if !mine.subtracting(["all", "ungrouped"]).isEmpty {
                    groups["ungrouped"]?.hostNames.removeAll { $0 == name }
                }
            } else if hosts[name]?.isImplicit == false && (mine.isEmpty || mine == ["all"]) {
                groups["ungrouped"]?.hostNames.append(name)
            }
        }
        for name in groupOrder where hosts[name] != nil {
            warnings.append("Found both group and host with same name: \(name)")
        }
    }
}

/// A rule of the inventory graph was broken (unknown group, dependency loop...).
struct InventoryBuildError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
