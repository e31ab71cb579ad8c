import Foundation
import Jinja

/// Reads and parses the files a run uses — Ansible's DataLoader. Parsed YAML is cached
/// by path, so a task file included from many places is read once. Thread-safe.
public final class DataLoader: @unchecked Sendable {
    /// Directory relative paths are resolved against (the playbook's directory).
    public var baseDirectory: String
    /// Receives warnings (duplicate keys …).
    public var warn: @Sendable (String) -> Void
    private let lock = NSLock()
    private var cache: [String: [YAMLNode]] = [:]
    /// Secrets that decrypt vaulted files (playbooks, vars files, task files).
    public var vaultSecrets: [VaultSecret] = []

    /// A loader resolving relative paths against `baseDirectory`; `warn` receives parse warnings.
    public init(baseDirectory: String = FileManager.default.currentDirectoryPath,
                warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.baseDirectory = baseDirectory
        self.warn = warn
    }

    /// `path` made absolute against ``baseDirectory`` (or `relativeTo`).
    public func absolutePath(_ path: String, relativeTo directory: String? = nil) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
        return ((directory ?? baseDirectory) as NSString).appendingPathComponent(expanded)
    }

    /// Whether anything exists at `path` (an absolute path; see `absolutePath`).
    public func fileExists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Whether `path` exists and is a directory (following symlinks).
    public func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// The text of a file; errors name the path.
    public func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            if isDirectory(path) { throw TroupeError(.io, "'\(path)' is a directory, not a file") }
            throw TroupeError(.io, "Could not find or access '\(path)'")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TroupeError(.parse, "'\(path)' is not valid UTF-8 text")
        }
        if Vault.isEncrypted(text) {
            do {
                return String(decoding: try Vault.decrypt(text, secrets: vaultSecrets), as: UTF8.self)
            } catch let error as TroupeError {
                throw TroupeError(error.code, "\(error.message) for \(path)", location: SourceLocation(file: path, line: 1, column: 1))
            }
        }
        return text
    }

    /// The YAML document of a file (nil when empty). JSON files are YAML too. A second
    /// document is an error, as in Ansible (PyYAML's single-document load).
    public func loadYAML(_ path: String) throws -> YAMLNode? {
        let documents = try loadAllYAML(path)
        if documents.count > 1 {
            // Parse again as a single document for the error and its location.
            _ = try YAMLLoader(warn: { _ in }).loadSingle(try readText(path), file: path)
        }
        return documents.first
    }

    /// Every YAML document of a file.
    public func loadAllYAML(_ path: String) throws -> [YAMLNode] {
        lock.lock()
        if let cached = cache[path] { lock.unlock(); return cached }
        lock.unlock()
        let text = try readText(path)
        let documents = try YAMLLoader(warn: warn).loadAll(text, file: path)
        lock.lock()
        cache[path] = documents
        lock.unlock()
        return documents
    }

    /// A variables file (`vars_files`, `group_vars/x.yml`): must be a mapping or empty.
    public func loadVariablesFile(_ path: String) throws -> OrderedDict {
        guard let node = try loadYAML(path) else { return OrderedDict() }
        switch node.kind {
        case .mapping: return node.value.dictValue ?? OrderedDict()
        case .scalar(let v) where v.isNull: return OrderedDict()
        default:
            throw TroupeError(.parse, "Vars in a file must be a dictionary, got \(node.typeDescription) instead", location: node.location)
        }
    }
}
