import Foundation
import Jinja

/// The Python plugins one run can use, and where they live: `filter_plugins/`,
/// `test_plugins/`, `lookup_plugins/` and `action_plugins/` next to playbooks and in
/// roles (added while they are parsed), the `ANSIBLE_*_PLUGINS` paths, and the
/// `plugins/filter|test|lookup|action` directories of installed collections (by FQCN).
/// Troupe's native filters, tests, lookups and actions win over a Python one of the same
/// name; the helper process starts only when a name resolves to a Python file.
public final class PythonPluginCatalog: ExternalPluginSource, @unchecked Sendable {
    /// A Python plugin kind and its directory names (next to a playbook / in a collection).
    enum Kind: String {
        case filter, test, lookup, action
        var localDirectory: String { rawValue + "_plugins" }
        var environmentKey: String { "ANSIBLE_\(rawValue.uppercased())_PLUGINS" }
    }

    /// The name table of a set of filter or test files: which file defines each name, and
    /// load errors by name (a plugin that fails to load) or by file.
    struct NameTable {
        var files: [String: String] = [:]
        var errors: [String: String] = [:]
    }

    private let lock = NSLock()
    private var roots: [String] = []
    private var actionFiles: [ActionKey: String] = [:]
    private var tables: [String: NameTable] = [:]
    /// Installed collections, for FQCN plugins; set by the module registry that owns this catalog.
    weak var collections: CollectionIndex?
    let host = PythonPluginHost.shared

    private struct ActionKey: Hashable {
        let location: SourceLocation?
        let action: String
    }

    public init() {}

    /// Adds a playbook's or role's directory; its `*_plugins/` subdirectories are searched
    /// after those added before (the first file defining a name wins).
    public func add(root: String) {
        let root = (root as NSString).standardizingPath
        lock.lock(); defer { lock.unlock() }
        if !roots.contains(root) { roots.append(root) }
    }

    /// Makes `environment` resolve names it lacks through this catalog.
    public func install(into environment: Environment) {
        environment.externalPlugins = self
    }

    // MARK: Files

    /// The directories searched for short names of `kind`.
    func directories(_ kind: Kind) -> [String] {
        lock.lock()
        var out = roots.map { $0 + "/" + kind.localDirectory }
        lock.unlock()
        out += (ProcessInfo.processInfo.environment[kind.environmentKey] ?? "").split(separator: ":").map(String.init)
        return out
    }

    /// The `.py` files of `directories` that exist, in search order.
    static func pythonFiles(in directories: [String]) -> [String] {
        var files: [String] = []
        for directory in directories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for name in names.sorted() where name.hasSuffix(".py") && name != "__init__.py" {
                files.append(directory + "/" + name)
            }
        }
        return files
    }

    /// The collection plugin directory of an FQCN (`ns.coll.name`) and the short name, or
    /// nil for short, `ansible.builtin.` and `ansible.legacy.` names.
    func collectionDirectory(_ name: String, _ kind: Kind) -> (directory: String, short: String)? {
        let parts = name.split(separator: ".").map(String.init)
        guard parts.count >= 3, !["ansible.builtin", "ansible.legacy"].contains(parts[0] + "." + parts[1]),
              let root = collections?.collectionPath(parts[0] + "." + parts[1]) else { return nil }
        return (root + "/plugins/" + kind.rawValue, parts[2...].joined(separator: "."))
    }

    /// The roots holding `ansible_collections/`, for the helper's collection importer.
    var collectionRoots: [String] {
        guard let collections else { return [] }
        var roots: [String] = []
        for (_, path) in collections.installed() {
            var url = URL(fileURLWithPath: path)
            while url.path != "/" && url.lastPathComponent != "ansible_collections" { url.deleteLastPathComponent() }
            let root = url.deletingLastPathComponent().path
            if url.lastPathComponent == "ansible_collections" && !roots.contains(root) { roots.append(root) }
        }
        return roots
    }

    static func shortName(_ name: String) -> String {
        for prefix in ["ansible.legacy.", "ansible.builtin."] where name.hasPrefix(prefix) { return String(name.dropFirst(prefix.count)) }
        return name
    }

    // MARK: Filters and tests

    public func filter(named name: String) -> Filter? {
        guard let (path, short, loadError) = resolveTemplatePlugin(name, .filter) else { return nil }
        let host = self.host, roots = collectionRoots
        return Filter { value, arguments, _ in
            if let loadError { throw JinjaError(.runtime, "The filter plugin '\(name)' failed to load: \(loadError)") }
            do {
                return try host.call("call", PythonPluginCatalog.callFields(.filter, path, short, value, arguments), plugin: path,
                                     collectionPaths: roots)
            } catch let error as PythonPluginError {
                throw JinjaError(.runtime, "The filter plugin '\(name)' failed: \(error.message)")
            }
        }
    }

    public func test(named name: String) -> Test? {
        guard let (path, short, loadError) = resolveTemplatePlugin(name, .test) else { return nil }
        let host = self.host, roots = collectionRoots
        return Test { value, arguments, _ in
            if let loadError { throw JinjaError(.runtime, "The test plugin '\(name)' failed to load: \(loadError)") }
            do {
                return try host.call("call", PythonPluginCatalog.callFields(.test, path, short, value, arguments), plugin: path,
                                     collectionPaths: roots).isTruthy
            } catch let error as PythonPluginError {
                throw JinjaError(.runtime, "The test plugin '\(name)' failed: \(error.message)")
            }
        }
    }

    static func callFields(_ kind: Kind, _ path: String, _ name: String, _ value: Value, _ arguments: Arguments) -> OrderedDict {
        var keywords = OrderedDict()
        for (k, v) in arguments.keywords { keywords[k] = v }
        return ["kind": .string(kind.rawValue), "path": .string(path), "name": .string(name), "value": value,
                "args": .list(arguments.positional), "kwargs": .dict(keywords)]
    }

    /// The file defining filter or test `name`, its short name, and its load error if it
    /// fails to load; nil when no Python plugin defines it (the helper is not started when
    /// there are no plugin files to look in).
    private func resolveTemplatePlugin(_ name: String, _ kind: Kind) -> (String, String, String?)? {
        let files: [String], short: String
        if let (directory, shortName) = collectionDirectory(name, kind) {
            files = PythonPluginCatalog.pythonFiles(in: [directory])
            short = shortName
        } else {
            short = PythonPluginCatalog.shortName(name)
            guard !short.contains(".") else { return nil }
            files = PythonPluginCatalog.pythonFiles(in: directories(kind))
        }
        guard !files.isEmpty else { return nil }
        let table = nameTable(kind, files)
        guard let path = table.files[short] else { return nil }
        return (path, short, table.errors[short])
    }

    private func nameTable(_ kind: Kind, _ files: [String]) -> NameTable {
        let key = kind.rawValue + "\0" + files.joined(separator: "\0")
        lock.lock()
        if let table = tables[key] { lock.unlock(); return table }
        lock.unlock()
        var table = NameTable()
        do {
            let answer = try host.call("names", ["kind": .string(kind.rawValue), "paths": .list(files.map(Value.string))],
                                       plugin: files[0], collectionPaths: collectionRoots)
            for (name, file) in answer.dictValue?["names"]?.dictValue ?? [:] { table.files[name] = file.pythonString }
            for (name, error) in answer.dictValue?["errors"]?.dictValue ?? [:] { table.errors[name] = error.pythonString }
        } catch {
            // Without the helper the names are unknown; the template fails with "No filter named".
            FileHandle.standardError.write(Data("[WARNING]: \(error)\n".utf8))
        }
        lock.lock()
        tables[key] = table
        lock.unlock()
        return table
    }

    // MARK: Lookups

    /// The Python lookup plugin `name` (a `lookup_plugins/NAME.py` file, or a collection's
    /// `plugins/lookup/NAME.py` by FQCN), nil when there is none.
    func lookup(named name: String) -> LookupPlugin? {
        let file: String
        if let (directory, short) = collectionDirectory(name, .lookup) {
            file = directory + "/" + short + ".py"
        } else {
            let short = PythonPluginCatalog.shortName(name)
            guard !short.contains("."), !short.contains("/"),
                  let found = directories(.lookup).map({ $0 + "/" + short + ".py" }).first(where: { FileManager.default.fileExists(atPath: $0) })
            else { return nil }
            file = found
        }
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        return PythonLookup(name: name, path: file, host: host, collectionRoots: collectionRoots)
    }

    // MARK: Actions

    /// The `action_plugins/NAME.py` file a task's action names, searched next to the task
    /// file, in its parent (the playbook or role directory), in `role`, and in
    /// ANSIBLE_ACTION_PLUGINS; or a collection's `plugins/action/NAME.py` by FQCN.
    static func actionFile(_ action: String, directory: String, role: String?, collections: CollectionIndex?) -> String? {
        let parts = action.split(separator: ".").map(String.init)
        if parts.count >= 3, !["ansible.builtin", "ansible.legacy"].contains(parts[0] + "." + parts[1]) {
            guard let root = collections?.collectionPath(parts[0] + "." + parts[1]) else { return nil }
            let file = root + "/plugins/action/" + parts[2...].joined(separator: ".") + ".py"
            return FileManager.default.fileExists(atPath: file) ? file : nil
        }
        let short = shortName(action)
        guard !short.contains("."), !short.contains("/") else { return nil }
        var directories = [directory, (directory as NSString).deletingLastPathComponent].map { $0 + "/action_plugins" }
        if let role { directories.append(role + "/action_plugins") }
        directories += (ProcessInfo.processInfo.environment[Kind.action.environmentKey] ?? "").split(separator: ":").map(String.init)
        return directories.map { (($0 + "/" + short + ".py") as NSString).standardizingPath }
            .first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Records that `task` runs the Python action plugin `file`.
    func registerAction(_ file: String, for task: Task) {
        lock.lock(); defer { lock.unlock() }
        actionFiles[ActionKey(location: task.location, action: task.action)] = file
    }

    /// The action a task runs through a Python action plugin, nil for every other task. A
    /// plugin file that only re-exports a builtin (`from ansible.plugins.action.debug
    /// import ActionModule`) is that builtin's native action.
    func action(for task: Task, in registry: ModuleRegistry) -> ActionPlugin? {
        lock.lock()
        let file = actionFiles[ActionKey(location: task.location, action: task.action)]
        lock.unlock()
        guard let file else { return nil }
        if let builtin = PythonPluginCatalog.reexportedBuiltin(file), let native = registry.actions[builtin] { return native }
        return PythonAction(name: task.shortAction, path: file, host: host, collectionRoots: collectionRoots)
    }

    /// `debug` for a file whose only class is `from ansible.plugins.action.debug import ActionModule`.
    static func reexportedBuiltin(_ file: String) -> String? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8), !text.contains("class ActionModule") else { return nil }
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            if words.count == 4, words[0] == "from", words[1].hasPrefix("ansible.plugins.action."), words[2] == "import", words[3] == "ActionModule" {
                return String(words[1].dropFirst("ansible.plugins.action.".count))
            }
        }
        return nil
    }
}
