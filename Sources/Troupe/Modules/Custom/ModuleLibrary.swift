import Foundation

/// The directories custom modules are found in, in Ansible's order: `--module-path`,
/// `library/` next to each playbook and inside each loaded role, then the configured
/// `library` (`ANSIBLE_LIBRARY`). Directories are added while playbooks are parsed, so
/// the library is shared and locked.
public final class ModuleLibrary: @unchecked Sendable {
    private let lock = NSLock()
    private var directories: [String] = []
    private var found: [String: String?] = [:]
    private var utilities: [String] = []

    /// An empty library.
    public init() {}

    /// Every directory searched, in order.
    public var searchPath: [String] {
        lock.lock()
        defer { lock.unlock() }
        return directories
    }

    /// `module_utils/` directories next to the `library/` directories added (a playbook's
    /// or a role's), searched first when Python modules are packed.
    public var moduleUtilsPath: [String] {
        lock.lock()
        defer { lock.unlock() }
        return utilities
    }

    /// Adds a directory (`~` expanded) if it exists and is not there yet; for a `library`
    /// directory, its sibling `module_utils` too.
    public func add(directory: String) {
        let path = ((directory as NSString).expandingTildeInPath as NSString).standardizingPath
        var isDirectory: ObjCBool = false
        if (path as NSString).lastPathComponent == "library" {
            let utils = (path as NSString).deletingLastPathComponent + "/module_utils"
            if FileManager.default.fileExists(atPath: utils, isDirectory: &isDirectory), isDirectory.boolValue {
                lock.lock()
                if !utilities.contains(utils) { utilities.append(utils) }
                lock.unlock()
            }
        }
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return }
        lock.lock()
        defer { lock.unlock() }
        if !directories.contains(path) {
            directories.append(path)
            found.removeAll()
        }
    }

    /// The file of the custom module `name` (short or `ansible.legacy.` name), nil when
    /// no library directory holds one. `ansible.builtin.` names never resolve here.
    public func find(_ name: String) -> String? {
        var short = name
        if name.hasPrefix("ansible.legacy.") { short = String(name.dropFirst("ansible.legacy.".count)) }
        guard !short.isEmpty, !short.contains("."), !short.contains("/") else { return nil }
        lock.lock()
        defer { lock.unlock() }
        if let cached = found[short] { return cached }
        let path = directories.lazy.compactMap { ModuleLibrary.moduleFile(short, in: $0) }.first
        found[short] = path
        return path
    }

    /// Files that sit next to modules but are not modules (documentation, bytecode, Windows).
    private static let ignoredExtensions: Set<String> = ["yml", "yaml", "md", "txt", "pyc", "pyo", "ps1", "psm1", "cs", "swp"]

    private static func moduleFile(_ name: String, in directory: String) -> String? {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exact = directory + "/" + name
        if fm.fileExists(atPath: exact, isDirectory: &isDirectory), !isDirectory.boolValue { return exact }
        guard let entries = try? fm.contentsOfDirectory(atPath: directory) else { return nil }
        for entry in entries.sorted() where entry.hasPrefix(name + ".") {
            let ext = String(entry.dropFirst(name.count + 1))
            guard !ext.contains("."), !ignoredExtensions.contains(ext) else { continue }
            let path = directory + "/" + entry
            if fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue { return path }
        }
        return nil
    }
}
