import Foundation
import Jinja

/// Walks inventory sources and feeds each to the parsers Ansible would try, in
/// Ansible's plugin order: `host_list`, `script`, `yaml`, `ini`. A source whose parsers
/// all fail leaves the inventory untouched and produces warnings instead of stopping.
struct SourceLoader {
    var data = InventoryData()
    var warnings: [String] = []
    var errors: [TroupeError] = []
    var processed: [String] = []
    /// Each file source that parsed, with the plugin that parsed it, in order (`-vvv`).
    var parsedWith: [(source: String, plugin: String)] = []
    var unparsed: [String] = []
    /// The first failure of each source that could not be parsed.
    var firstFailure: [String: TroupeError] = [:]
    let workingDirectory: String

    init(workingDirectory: String) {
        self.workingDirectory = workingDirectory
    }

    /// File name endings skipped inside directory sources: Ansible's defaults for
    /// `INVENTORY_IGNORE_EXTS` (REJECT_EXTS plus `.orig`, `.cfg`, `.retry`).
    static let ignoredExtensions = [".pyc", ".pyo", ".swp", ".bak", "~", ".rpm", ".md", ".txt", ".rst", ".orig", ".cfg", ".retry"]
    /// Names always skipped inside directory sources.
    static let ignoredNames: Set<String> = ["host_vars", "group_vars", "vars_plugins"]
    static let yamlExtensions = ["", ".yml", ".yaml", ".json"]

    static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || ignoredNames.contains(name) || ignoredExtensions.contains { name.hasSuffix($0) }
    }

    /// `unfrackpath`: expands `~` and makes the path absolute and normalised, without
    /// resolving symlinks.
    static func absolutePath(_ path: String, relativeTo directory: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let absolute = expanded.hasPrefix("/") ? expanded : (directory as NSString).appendingPathComponent(expanded)
        return (absolute as NSString).standardizingPath
    }

    /// Parses one source; returns whether it (or anything inside a directory) parsed.
    mutating func parseSource(_ source: String) -> Bool {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = manager.fileExists(atPath: source, isDirectory: &isDirectory)
        var parsed = false
        if exists && isDirectory.boolValue {
            let entries = ((try? manager.contentsOfDirectory(atPath: source)) ?? []).sorted(by: Value.pythonStringLess)
            for entry in entries where !Self.isIgnored(entry) {
                if parseSource((source as NSString).appendingPathComponent(entry)) { parsed = true }
            }
            return parsed
        }
        var failures: [(plugin: String, error: TroupeError)] = []
        let ext = Self.fileExtension(source)
        let readable = exists && manager.isReadableFile(atPath: source)
        var attempts: [(String, (inout InventoryData) throws -> [String])] = []
        if !exists && source.contains(",") {
            attempts.append(("host_list", { data in try Self.parseHostList(source, into: &data); return [] }))
        }
        if readable {
            if manager.isExecutableFile(atPath: source) {
                attempts.append(("script", { data in try ScriptInventory(path: source).run(into: &data) }))
            }
            if Self.yamlExtensions.contains(ext) {
                attempts.append(("yaml", { data in
                    var warnings: [String] = []
                    try YAMLInventoryParser(path: source).parse(try Self.read(source), into: &data, warnings: &warnings)
                    return warnings
                }))
            }
            if ext != ".toml" {
                attempts.append(("ini", { data in
                    try INIInventoryParser(path: source).parse(try Self.read(source), into: &data)
                    return []
                }))
            }
        }
        for (plugin, attempt) in attempts {
            var copy = data
            copy.currentSource = source
            do {
                let messages = try attempt(&copy)
                copy.currentSource = nil
                data = copy
                warnings += messages
                parsed = true
                parsedWith.append((source, plugin))
                break
            } catch let error as TroupeError {
                failures.append((plugin, error))
            } catch let failure as InventorySourceFailure {
                warnings += failure.messages
                failures.append((plugin, failure.error))
            } catch {
                failures.append((plugin, TroupeError(.parse, "\(error)", location: nil)))
            }
        }
        if parsed {
            processed.append(source)
        } else if source != "/etc/ansible/hosts" || FileManager.default.fileExists(atPath: source) {
            // ansible-core is silent about its default source when that file does not exist.
            for failure in failures {
                var text = "Failed to parse inventory with '\(failure.plugin)' plugin: \(failure.error.message)"
                if let location = failure.error.location { text += " (\(location))" }
                warnings.append(text)
                errors.append(failure.error)
            }
            warnings.append("Unable to parse \(source) as an inventory source")
            firstFailure[source] = failures.first?.error
            unparsed.append(source)
        }
        return parsed
    }

    static func fileExtension(_ path: String) -> String {
        let name = (path as NSString).lastPathComponent
        // os.path.splitext ignores leading dots (".hidden" has no extension).
        let trimmed = name.drop { $0 == "." }
        guard let dot = trimmed.lastIndex(of: ".") else { return "" }
        return String(trimmed[dot...])
    }

    static func read(_ path: String) throws -> String {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw TroupeError(.io, "Unable to read \(path)")
        }
        guard let text = String(data: contents, encoding: .utf8) else {
            throw TroupeError(.parse, "Inventory file is not valid UTF-8", location: SourceLocation(file: path, line: 1, column: 1))
        }
        return text
    }

    /// `-i 'a,b:2222,c'`: every non-empty comma-separated item is an ungrouped host.
    static func parseHostList(_ list: String, into data: inout InventoryData) throws {
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            let text = item.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            let parsed = HostAddress.parse(text, allowRanges: false)
            let name = parsed?.host ?? text
            guard data.hosts[name] == nil else { continue }
            do {
                try data.addHost(name, group: "ungrouped", port: parsed?.port, location: nil)
            } catch {
                throw TroupeError(.parse, "Invalid data from string, could not parse: \(error)")
            }
        }
    }
}
