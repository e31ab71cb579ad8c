import ArgumentParser
import Foundation
import Jinja
import Troupe

/// `troupe doc` (ansible-doc): what a module or plugin takes and does. Options come from
/// Troupe's own argument spec; descriptions and examples from the plugin's DOCUMENTATION
/// (a collection's source, or the controller's ansible-core for the builtins Troupe
/// implements natively).
struct DocCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doc", abstract: "Show the documentation of modules and plugins (like ansible-doc).")

    enum PluginType: String, ExpressibleByArgument, CaseIterable {
        case module, lookup, filter, test, callback
    }

    @Option(name: [.customShort("t"), .long], help: "Plugin type: module, lookup, filter, test or callback.")
    var type: PluginType = .module
    @Flag(name: [.customShort("l"), .long], help: "List the available plugins.") var list = false
    @Flag(name: [.customShort("s"), .long], help: "Show a playbook snippet.") var snippet = false
    @Flag(name: [.customShort("j"), .long], help: "Output as JSON.") var json = false
    @Flag(name: .shortAndLong, help: "Verbose mode (accepted for compatibility).") var verbose: Int
    @Argument(help: "Plugin names (short or FQCN).") var names: [String] = []

    func run() throws {
        let catalog = PluginCatalog(type: type.rawValue)
        if list {
            for (name, summary) in catalog.listing() {
                print(name.padding(toLength: max(38, name.count), withPad: " ", startingAt: 0) + " " + summary)
            }
            return
        }
        guard !names.isEmpty else {
            FileHandle.standardError.write(Data("[ERROR]: Incorrect options passed\n".utf8))
            throw ExitCode(5)
        }
        var failed = false
        var jsonOutput = OrderedDict()
        for name in names {
            guard let entry = catalog.entry(name) else {
                FileHandle.standardError.write(Data("[WARNING]: \(name) was not found\n".utf8))
                failed = true
                continue
            }
            if json {
                jsonOutput[entry.fullName] = entry.jsonValue
            } else {
                print(snippet ? entry.snippet() : entry.text(), terminator: "")
            }
        }
        if json { print(JSONFormat(indent: 4, sortKeys: true, ensureASCII: false).string(.dict(jsonOutput))) }
        if failed && jsonOutput.isEmpty && !names.isEmpty { throw ExitCode(1) }
    }
}

/// The plugins of one type Troupe can run, with their documentation where it exists.
struct PluginCatalog {
    let type: String
    let registry = ModuleRegistry.standard()
    let ansibleCore = PluginDocumentation.ansibleCoreDirectory
    let collections = CollectionIndex(paths: CollectionIndex.configuredPaths(configured: try? AnsibleConfig.load().list(.collectionsPath)))

    struct Entry {
        var fullName: String
        var documentation: PluginDocumentation?
        var spec: ArgumentSpec?
        /// How Troupe runs it, for the TROUPE section.
        var implementation: String
    }

    /// Native plugin names of this type, computed once per command.
    let nativeNames: [String]

    init(type: String) {
        self.type = type
        nativeNames = Self.nativeNames(type: type, registry: registry)
    }

    private static func nativeNames(type: String, registry: ModuleRegistry) -> [String] {
        switch type {
        case "module":
            return Set(registry.remoteModules.keys).union(registry.actions.keys).union(ModuleRegistry.strategyActions)
                .filter { !$0.hasPrefix("_") }.sorted()
        case "lookup": return LookupRegistry.plugins.keys.sorted()
        case "filter": return Templar.makeEnvironment(baseDirectory: "/").filters.keys.filter { !$0.contains(".") }.sorted()
        case "test": return Templar.makeEnvironment(baseDirectory: "/").tests.keys.filter { $0.first?.isLetter == true && !$0.contains(".") }.sorted()
        default: return CallbackRegistry.shared.names.filter { !$0.contains(".") }.sorted()
        }
    }

    func listing() -> [(String, String)] {
        var rows = nativeNames.map { name -> (String, String) in
            let doc = ansibleCore.flatMap { PluginDocumentation.builtinSource(type: type, name: name, ansibleCore: $0) }
                .flatMap(PluginDocumentation.read)
            return ("ansible.builtin.\(name)", Self.truncate(doc?.shortDescription ?? "(native in Troupe)"))
        }
        if type == "module" {
            for (fqcn, path) in collectionModules() {
                rows.append((fqcn, Self.truncate(PluginDocumentation.read(path)?.shortDescription ?? "")))
            }
        }
        return rows
    }

    static func truncate(_ text: String) -> String {
        let flat = Entry.plain(text).replacingOccurrences(of: "\n", with: " ")
        return flat.count > 40 ? String(flat.prefix(37)) + "..." : flat
    }

    /// Every `plugins/modules/*.py` of the installed collections, by FQCN.
    func collectionModules() -> [(String, String)] {
        var found: [(String, String)] = []
        var seen = Set<String>()
        for root in collections.searchRoots {
            let base = (root as NSString).appendingPathComponent("ansible_collections")
            for namespace in ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).sorted() {
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: "\(base)/\(namespace)")) ?? []).sorted() {
                    let modules = "\(base)/\(namespace)/\(name)/plugins/modules"
                    for file in ((try? FileManager.default.contentsOfDirectory(atPath: modules)) ?? []).sorted()
                    where file.hasSuffix(".py") && !file.hasPrefix("_") {
                        let fqcn = "\(namespace).\(name).\(file.dropLast(3))"
                        if seen.insert(fqcn).inserted { found.append((fqcn, "\(modules)/\(file)")) }
                    }
                }
            }
        }
        return found
    }

    func entry(_ requested: String) -> Entry? {
        let short = requested.hasPrefix("ansible.builtin.") || requested.hasPrefix("ansible.legacy.")
            ? String(requested.split(separator: ".").dropFirst(2).joined(separator: ".")) : requested
        if !short.contains("."), nativeNames.contains(short) {
            let doc = ansibleCore.flatMap { PluginDocumentation.builtinSource(type: type, name: short, ansibleCore: $0) }
                .flatMap(PluginDocumentation.read)
            var how = "native: Troupe implements it in Swift; no Python is needed on the host."
            if type == "module" && registry.actions[short] != nil { how = "native action: runs on the controller (and on the host through Troupe's shell where it must)." }
            return Entry(fullName: "ansible.builtin.\(short)", documentation: doc, spec: registry.remoteModules[short]?.argumentSpec, implementation: how)
        }
        guard type == "module" else { return nil }
        switch collections.resolveModule(requested) {
        case .native(let native)?:
            var entry = self.entry(native)
            entry?.fullName = requested
            return entry
        case .python(let file)?:
            return Entry(fullName: file.name, documentation: PluginDocumentation.read(file.path), spec: nil,
                         implementation: "Python module from its collection, shipped to the host with its module_utils and run with the host's Python.")
        default:
            return nil
        }
    }
}
