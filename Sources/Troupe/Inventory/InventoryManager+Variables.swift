import Foundation
import Jinja

/// One source of host variables, kept apart so the variable manager can place each at
/// its own precedence level.
public struct VariableLayer: Sendable, Equatable {
    /// Which inventory layer this is; the cases are in increasing precedence.
    public enum Kind: String, Sendable, CaseIterable {
        /// Group vars written in inventory files (`all`'s first, then the host's other
        /// groups by depth, `ansible_group_priority` and name).
        case inventoryGroupVars
        /// `group_vars/all` next to inventory sources.
        case inventoryGroupVarsAll
        /// `group_vars/all` next to the playbook.
        case playbookGroupVarsAll
        /// `group_vars/<group>` next to inventory sources, in group order.
        case inventoryGroupVarsFiles
        /// `group_vars/<group>` next to the playbook, in group order.
        case playbookGroupVarsFiles
        /// Host vars written in inventory files (with `inventory_file`/`inventory_dir`).
        case inventoryHostVars
        /// `host_vars/<host>` next to inventory sources.
        case inventoryHostVarsFiles
        /// `host_vars/<host>` next to the playbook.
        case playbookHostVarsFiles
    }

    /// Which layer this is.
    public var kind: Kind
    /// The layer's variables, merged in Ansible's order within the layer.
    public var variables: OrderedDict

    /// A layer of `kind` holding `variables`.
    public init(kind: Kind, variables: OrderedDict) {
        self.kind = kind
        self.variables = variables
    }
}

extension InventoryManager {
    /// Registers a playbook directory whose `group_vars/` and `host_vars/` apply
    /// (Ansible's playbook-adjacent vars). Directories are kept in the order given.
    public func loadPlaybookAdjacentVars(directory: String) throws {
        let path = SourceLoader.absolutePath(directory, relativeTo: options.workingDirectory)
        lock.lock()
        if !playbookDirectories.contains(path) { playbookDirectories.append(path) }
        lock.unlock()
        let index = currentIndex()
        // Read the files now so a malformed one is reported before the play starts.
        for group in index.groups { _ = try varsLoader.variables(baseDirectory: path, kind: .group, name: group.name) }
        for host in index.hosts { _ = try varsLoader.variables(baseDirectory: path, kind: .host, name: host.name) }
    }

    /// Forgets playbook directories registered with ``loadPlaybookAdjacentVars(directory:)``.
    public func clearPlaybookAdjacentVars() {
        lock.lock(); playbookDirectories = []; lock.unlock()
    }

    /// The eight inventory variable layers for `host`, lowest precedence first. Each is
    /// merged with Ansible's default `replace` behaviour inside the layer.
    public func variableLayers(for host: Host) throws -> [VariableLayer] {
        let index = currentIndex()
        let current = index.host(named: host.name) ?? host
        lock.lock()
        let playbookDirs = playbookDirectories
        lock.unlock()
        // The sources never change for a manager, so host and playbook dirs identify the result.
        let cacheKey = ([current.name] + playbookDirs).joined(separator: "\u{0}")
        if let cached = index.cachedLayers(cacheKey) { return cached }
        let inventoryDirs = inventoryVarsDirectories()
        let groups = index.sortedGroups(of: current)

        var groupVars = index.groupsByName["all"]?.vars ?? OrderedDict()
        for group in groups { groupVars.merge(group.vars) }

        func files(_ directories: [String], _ kind: VarsDirectoryLoader.Kind, _ names: [String]) throws -> OrderedDict {
            var merged = OrderedDict()
            for directory in directories {
                for name in names { merged.merge(try varsLoader.variables(baseDirectory: directory, kind: kind, name: name)) }
            }
            return merged
        }
        let groupNames = groups.map(\.name)
        let layers = [
            VariableLayer(kind: .inventoryGroupVars, variables: groupVars),
            VariableLayer(kind: .inventoryGroupVarsAll, variables: try files(inventoryDirs, .group, ["all"])),
            VariableLayer(kind: .playbookGroupVarsAll, variables: try files(playbookDirs, .group, ["all"])),
            VariableLayer(kind: .inventoryGroupVarsFiles, variables: try files(inventoryDirs, .group, groupNames)),
            VariableLayer(kind: .playbookGroupVarsFiles, variables: try files(playbookDirs, .group, groupNames)),
            VariableLayer(kind: .inventoryHostVars, variables: current.vars),
            VariableLayer(kind: .inventoryHostVarsFiles, variables: try files(inventoryDirs, .host, [current.name])),
            VariableLayer(kind: .playbookHostVarsFiles, variables: try files(playbookDirs, .host, [current.name])),
        ]
        index.storeLayers(cacheKey, layers)
        return layers
    }

    /// All inventory layers merged in order: what `ansible-inventory --host` shows
    /// before internal variables are removed.
    public func mergedVariables(for host: Host) throws -> OrderedDict {
        var merged = OrderedDict()
        for layer in try variableLayers(for: host) { merged.merge(layer.variables) }
        return merged
    }

    /// A group's own vars plus its inventory-adjacent (and playbook-adjacent)
    /// `group_vars` files, as `ansible-inventory --graph --vars` shows them.
    public func groupVariables(for group: Group, includePlaybookDirectories: Bool = true) throws -> OrderedDict {
        var merged = group.vars
        for directory in inventoryVarsDirectories() {
            merged.merge(try varsLoader.variables(baseDirectory: directory, kind: .group, name: group.name))
        }
        if includePlaybookDirectories {
            lock.lock(); let dirs = playbookDirectories; lock.unlock()
            for directory in dirs { merged.merge(try varsLoader.variables(baseDirectory: directory, kind: .group, name: group.name)) }
        }
        if group.priority != 1 { merged["ansible_group_priority"] = .int(group.priority) }
        return merged
    }

    /// Host magic variables that come from the inventory: `inventory_hostname`,
    /// `inventory_hostname_short` and `group_names`.
    public func magicVariables(for host: Host) -> OrderedDict {
        var vars = OrderedDict()
        vars["inventory_hostname"] = .string(host.name)
        let short = HostAddress.isIPAddress(host.name) ? host.name : String(host.name.split(separator: ".", omittingEmptySubsequences: false).first ?? "")
        vars["inventory_hostname_short"] = .string(short)
        vars["group_names"] = .list(groupNames(for: host).map(Value.string))
        return vars
    }

    /// Directories whose `group_vars/`/`host_vars/` belong to the inventory: each
    /// source directory, or each source file's directory (host lists have none).
    func inventoryVarsDirectories() -> [String] {
        var result: [String] = []
        for source in sources where !source.isEmpty {
            let path = SourceLoader.absolutePath(source, relativeTo: options.workingDirectory)
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if source.contains(",") && !exists { continue }
            let directory = exists && isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
            let resolved = (directory as NSString).resolvingSymlinksInPath
            if !result.contains(resolved) { result.append(resolved) }
        }
        return result
    }

    /// Reads every inventory-adjacent vars file for known hosts and groups, so that a
    /// malformed file fails the load instead of a later task.
    func preloadVariableFiles() throws {
        let index = currentIndex()
        for directory in inventoryVarsDirectories() {
            for group in index.groups { _ = try varsLoader.variables(baseDirectory: directory, kind: .group, name: group.name) }
            for host in index.hosts { _ = try varsLoader.variables(baseDirectory: directory, kind: .host, name: host.name) }
        }
    }
}
