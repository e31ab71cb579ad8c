import Foundation
import Jinja

/// The installed collections Troupe finds content in, in ansible-core's order: the
/// `collections/` directory next to each playbook (added while playbooks are parsed),
/// then `collections_path` / `ANSIBLE_COLLECTIONS_PATH` (default
/// `~/.ansible/collections:/usr/share/ansible/collections`). Each root holds
/// `ansible_collections/<namespace>/<name>/`; a root that is itself an
/// `ansible_collections` directory counts as its parent, as in ansible-core.
/// Modules and roles resolve by FQCN, through `meta/runtime.yml` redirects, with its
/// deprecation warnings and tombstone errors. Shared by the parser and the executor, so locked.
public final class CollectionIndex: @unchecked Sendable {
    /// A Python module file of a collection.
    public struct ModuleFile: Sendable, Hashable {
        /// The module's file.
        public var path: String
        /// The FQCN it resolved to, after redirects (`community.general.ini_file`).
        public var name: String
        /// The Python name it runs as (`ansible_collections.community.general.plugins.modules.ini_file`).
        public var pythonName: String
    }

    /// What a collection-qualified module name resolves to.
    public enum ModuleResolution: Sendable, Equatable {
        /// A module Troupe implements natively, by its short name.
        case native(String)
        /// A collection's Python module, run through the packed payload.
        case python(ModuleFile)
        /// A `meta/runtime.yml` tombstone: removed, with ansible-core's message.
        case removed(String)
    }

    private let lock = NSLock()
    private var roots: [String] = []
    private var runtimes: [String: OrderedDict] = [:]
    private var resolved: [String: ModuleResolution?] = [:]
    private var reportedDeprecations: Set<String> = []
    /// Receives `meta/runtime.yml` deprecation warnings, once per name.
    public var warn: @Sendable (String) -> Void = { _ in }

    /// An index over `paths` (the configured collections paths).
    public init(paths: [String] = CollectionIndex.defaultPaths) {
        for p in paths { add(root: p) }
    }

    /// ansible-core's default `COLLECTIONS_PATHS`.
    public static let defaultPaths = ["~/.ansible/collections", "/usr/share/ansible/collections"]

    /// The configured paths: `ANSIBLE_COLLECTIONS_PATH` (or the older `ANSIBLE_COLLECTIONS_PATHS`), else the defaults.
    public static func configuredPaths(environment: [String: String] = ProcessInfo.processInfo.environment,
                                       configured: [String]? = nil) -> [String] {
        if let value = environment["ANSIBLE_COLLECTIONS_PATH"] ?? environment["ANSIBLE_COLLECTIONS_PATHS"] {
            return value.split(separator: ":").map(String.init)
        }
        return configured ?? defaultPaths
    }

    /// Directories holding `ansible_collections/`, in search order.
    public var searchRoots: [String] {
        lock.lock()
        defer { lock.unlock() }
        return roots
    }

    /// Adds a root (searched before the configured ones when `first`, as the playbook's own `collections/` is).
    public func add(root: String, first: Bool = false) {
        var path = ((root as NSString).expandingTildeInPath as NSString).standardizingPath
        if (path as NSString).lastPathComponent == "ansible_collections" { path = (path as NSString).deletingLastPathComponent }
        lock.lock()
        defer { lock.unlock() }
        guard !roots.contains(path) else { return }
        if first { roots.insert(path, at: 0) } else { roots.append(path) }
        resolved.removeAll()
    }

    /// The directory of collection `namespace.name`, nil when no root has it.
    public func collectionPath(_ collection: String) -> String? {
        let parts = collection.split(separator: ".")
        guard parts.count == 2 else { return nil }
        for root in searchRoots {
            let path = "\(root)/ansible_collections/\(parts[0])/\(parts[1])"
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return path }
        }
        return nil
    }

    /// Every installed collection (`namespace.name` → directory), first root wins.
    public func installed() -> [(name: String, path: String)] {
        var seen: Set<String> = []
        var out: [(String, String)] = []
        let fm = FileManager.default
        for root in searchRoots {
            let base = root + "/ansible_collections"
            for ns in ((try? fm.contentsOfDirectory(atPath: base)) ?? []).sorted() where !ns.hasPrefix(".") {
                for coll in ((try? fm.contentsOfDirectory(atPath: base + "/" + ns)) ?? []).sorted() where !coll.hasPrefix(".") {
                    let name = ns + "." + coll
                    let path = base + "/" + ns + "/" + coll
                    var isDirectory: ObjCBool = false
                    guard fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue, seen.insert(name).inserted else { continue }
                    out.append((name, path))
                }
            }
        }
        return out
    }

    /// `meta/runtime.yml` of a collection, as a dict (empty without one).
    public func runtime(_ collection: String) -> OrderedDict {
        lock.lock()
        if let known = runtimes[collection] { lock.unlock(); return known }
        lock.unlock()
        var data = OrderedDict()
        if let path = collectionPath(collection) {
            for file in ["/meta/runtime.yml", "/meta/runtime.yaml"] {
                guard let text = try? String(contentsOfFile: path + file, encoding: .utf8) else { continue }
                data = ((try? YAMLLoader().load(text, file: path + file))?.value.dictValue) ?? OrderedDict()
                break
            }
        }
        lock.lock()
        runtimes[collection] = data
        lock.unlock()
        return data
    }

    /// Resolves a module FQCN (`ns.coll.name`); nil when no collection provides it.
    public func resolveModule(_ fqcn: String) -> ModuleResolution? {
        lock.lock()
        if let known = resolved[fqcn] { lock.unlock(); return known }
        lock.unlock()
        let answer = resolve(fqcn, depth: 0)
        lock.lock()
        resolved[fqcn] = answer
        lock.unlock()
        return answer
    }

    private func resolve(_ fqcn: String, depth: Int) -> ModuleResolution? {
        guard depth < 10 else { return nil }
        if let native = ModuleNames.collectionAliases[fqcn] { return .native(native) }
        let parts = fqcn.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, !parts.contains(where: \.isEmpty) else { return nil }
        let collection = parts[0] + "." + parts[1]
        let name = parts[2...].joined(separator: ".")
        if collection == "ansible.builtin" || collection == "ansible.legacy" { return nil }
        if let routing = runtime(collection)["plugin_routing"]?["modules"]?[name] {
            if let tombstone = routing["tombstone"] {
                let removal = tombstone["removal_version"]?.pythonString ?? tombstone["removal_date"]?.pythonString
                let note = tombstone["warning_text"]?.stringValue.map { " " + $0 } ?? ""
                return .removed("\(fqcn) has been removed" + (removal.map { " in version \($0)" } ?? "") + "." + note)
            }
            if let deprecation = routing["deprecation"] {
                reportDeprecation(fqcn, deprecation)
            }
            if let target = routing["redirect"]?.stringValue {
                let full = target.split(separator: ".").count >= 3 ? target : "ansible.builtin." + target
                if full.hasPrefix("ansible.builtin.") || full.hasPrefix("ansible.legacy.") {
                    return .native(ModuleNames.shortName(full))
                }
                return resolve(full, depth: depth + 1)
            }
        }
        guard let path = collectionPath(collection) else { return nil }
        let relative = name.replacingOccurrences(of: ".", with: "/")
        let file = path + "/plugins/modules/" + relative + ".py"
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        let python = "ansible_collections.\(parts[0]).\(parts[1]).plugins.modules.\(name)"
        return .python(ModuleFile(path: file, name: fqcn, pythonName: python))
    }

    private func reportDeprecation(_ name: String, _ deprecation: Value) {
        lock.lock()
        let fresh = reportedDeprecations.insert(name).inserted
        lock.unlock()
        guard fresh else { return }
        let text = deprecation["warning_text"]?.stringValue ?? ""
        let version = deprecation["removal_version"]?.pythonString ?? deprecation["removal_date"]?.pythonString
        var message = "\(name) has been deprecated." + (text.isEmpty ? "" : " " + text)
        if let version { message += " This feature will be removed in version \(version)." }
        warn(message)
    }

    /// The directory of role `ns.coll.role`, following `plugin_routing.roles` redirects; nil when not installed.
    public func rolePath(_ fqcn: String) -> String? {
        let parts = fqcn.split(separator: ".").map(String.init)
        guard parts.count == 3 else { return nil }
        let collection = parts[0] + "." + parts[1]
        if let target = runtime(collection)["plugin_routing"]?["roles"]?[parts[2]]?["redirect"]?.stringValue, target != fqcn {
            return rolePath(target)
        }
        guard let path = collectionPath(collection) else { return nil }
        let role = path + "/roles/" + parts[2]
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: role, isDirectory: &isDirectory) && isDirectory.boolValue ? role : nil
    }

    /// `action_groups` of a collection's `meta/runtime.yml`: group name → member FQCNs.
    public func actionGroups(_ collection: String) -> [String: [String]] {
        var groups: [String: [String]] = [:]
        for (group, members) in runtime(collection)["action_groups"]?.dictValue ?? OrderedDict() {
            groups[group] = (members.listValue ?? []).compactMap { member in
                guard let name = member.stringValue else { return nil }
                return name.contains(".") ? name : collection + "." + name
            }
        }
        return groups
    }
}
