import Foundation
import Jinja

/// Loads `group_vars/` and `host_vars/` files the way Ansible's `host_group_vars` vars
/// plugin does: for an entity `name` under `<dir>/group_vars`, the first of `name`,
/// `name.yml`, `name.yaml`, `name.json` that exists wins; a directory is read
/// recursively in sorted order (hidden and `~` files skipped). Results are cached and
/// the loader is safe to share between threads.
final class VarsDirectoryLoader: @unchecked Sendable {
    /// Secrets for vaulted vars files.
    var vaultSecrets: [VaultSecret] = []
    enum Kind: String { case group = "group_vars", host = "host_vars" }

    static let extensions = ["", ".yml", ".yaml", ".json"]

    private let lock = NSLock()
    private var cache: [String: Result<OrderedDict, TroupeError>] = [:]
    private var warningsCollected: [String] = []

    /// Warnings from YAML loading (duplicate keys...).
    var warnings: [String] { lock.lock(); defer { lock.unlock() }; return warningsCollected }

    /// The merged variables for `name` from `<baseDirectory>/<kind>/`; empty when there
    /// are no files. Names starting with `/` are skipped, as Ansible does.
    func variables(baseDirectory: String, kind: Kind, name: String) throws -> OrderedDict {
        guard let first = name.first, first != "/" else { return OrderedDict() }
        let directory = (baseDirectory as NSString).appendingPathComponent(kind.rawValue)
        let key = directory + "\u{0}" + name
        lock.lock()
        if let cached = cache[key] {
            lock.unlock()
            return try cached.get()
        }
        lock.unlock()
        let result: Result<OrderedDict, TroupeError>
        do {
            result = .success(try load(directory: directory, name: name))
        } catch let error as TroupeError {
            result = .failure(error)
        } catch {
            result = .failure(TroupeError(.parse, "\(error)"))
        }
        lock.lock()
        cache[key] = result
        lock.unlock()
        return try result.get()
    }

    /// Drops cached files so a refresh re-reads them.
    func clear() {
        lock.lock(); cache = [:]; lock.unlock()
    }

    private func load(directory: String, name: String) throws -> OrderedDict {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return OrderedDict()
        }
        var merged = OrderedDict()
        for file in Self.findFiles(directory: directory, name: name) {
            merged.merge(try loadFile(file))
        }
        return merged
    }

    static func findFiles(directory: String, name: String) -> [String] {
        let base = (directory as NSString).appendingPathComponent(name)
        let manager = FileManager.default
        for ext in extensions {
            let candidate = base + ext
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: candidate, isDirectory: &isDirectory) else { continue }
            return isDirectory.boolValue ? filesInDirectory(candidate) : [candidate]
        }
        return []
    }

    private static func filesInDirectory(_ path: String) -> [String] {
        let manager = FileManager.default
        let names = ((try? manager.contentsOfDirectory(atPath: path)) ?? []).sorted(by: Value.pythonStringLess)
        var found: [String] = []
        for entry in names where !entry.hasPrefix(".") && !entry.hasSuffix("~") {
            let full = (path as NSString).appendingPathComponent(entry)
            let ext = (entry as NSString).pathExtension.isEmpty ? "" : "." + (entry as NSString).pathExtension
            var isDirectory: ObjCBool = false
            _ = manager.fileExists(atPath: full, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                if ext.isEmpty { found += filesInDirectory(full) }
            } else if extensions.contains(ext) {
                found.append(full)
            }
        }
        return found
    }

    private func loadFile(_ file: String) throws -> OrderedDict {
        guard let data = FileManager.default.contents(atPath: file), let fileText = String(data: data, encoding: .utf8) else {
            throw TroupeError(.io, "Could not read vars file '\(file)'", location: SourceLocation(file: file, line: 1, column: 1))
        }
        var text = fileText
        if Vault.isEncrypted(text) {
            do {
                text = String(decoding: try Vault.decrypt(text, secrets: vaultSecrets), as: UTF8.self)
            } catch let error as TroupeError {
                throw TroupeError(error.code, "\(error.message) for \(file)", location: SourceLocation(file: file, line: 1, column: 1))
            }
        }
        let collector = WarningCollector()
        let node = try YAMLLoader(warn: { collector.add($0) }).load(text, file: file)
        let messages = collector.messages
        if !messages.isEmpty { lock.lock(); warningsCollected += messages; lock.unlock() }
        guard let node else { return OrderedDict() }
        let value = node.value
        if !value.isTruthy { return OrderedDict() }
        guard case .dict(let dict) = value else {
            throw TroupeError(.parse, "Could not process '\(file)': failed to combine variables, expected dicts but got a 'dict' and a '\(value.pythonTypeName)'",
                              location: node.location)
        }
        return dict
    }
}
