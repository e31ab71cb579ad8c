import Foundation
import Jinja

/// A `requirements.yml` as `ansible-galaxy install -r` reads it: `collections:` and `roles:`
/// lists, or the older form, a bare list of roles.
public struct GalaxyRequirements: Sendable, Equatable {
    /// Where a collection comes from (`type:` in the file, else inferred from `name`).
    public enum SourceKind: String, Sendable, Equatable {
        case galaxy, file, dir, git, url, subdirs
    }

    public struct Collection: Sendable, Equatable {
        /// `ns.name`, a path, or a URL, as written.
        public var name: String
        /// A version or a range (`>=1.0.0`, `1.2.3`, a git ref); nil is the newest / default.
        public var version: String?
        public var source: String?
        public var kind: SourceKind
    }

    public struct Role: Sendable, Equatable {
        /// Where the role comes from: a git URL, a tarball path or URL, a directory, or `ns.role`.
        public var source: String
        /// The directory name under the roles path.
        public var name: String
        public var version: String?
        /// `git` for a repository; nil for a tarball, a directory or Galaxy.
        public var scm: String?
    }

    public var collections: [Collection] = []
    public var roles: [Role] = []

    public init(collections: [Collection] = [], roles: [Role] = []) {
        self.collections = collections
        self.roles = roles
    }

    /// Reads a requirements file. Errors name the file and the entry's line.
    public static func load(_ path: String) throws -> GalaxyRequirements {
        let loader = DataLoader(baseDirectory: (path as NSString).deletingLastPathComponent)
        guard let document = try loader.loadYAML(path) else {
            throw TroupeError(.parse, "Expecting requirements file to be a dict with the key 'collections' that contains a list of collections to install", location: SourceLocation(file: path, line: 1, column: 1))
        }
        let base = (path as NSString).deletingLastPathComponent
        var requirements = GalaxyRequirements()
        if let items = document.items {
            requirements.roles = try items.map { try role($0, base: base) }
            return requirements
        }
        guard let entries = document.entries else {
            throw TroupeError(.parse, "Expecting requirements file to be a dict with the key 'collections' that contains a list of collections to install", location: document.location)
        }
        for entry in entries {
            switch entry.key {
            case "collections":
                guard let items = entry.value.items else {
                    throw TroupeError(.parse, "Expecting 'collections' in requirements file to be a list", location: entry.value.location)
                }
                requirements.collections = try items.map { try collection($0, base: base) }
            case "roles":
                guard let items = entry.value.items else {
                    throw TroupeError(.parse, "Expecting 'roles' in requirements file to be a list", location: entry.value.location)
                }
                requirements.roles = try items.map { try role($0, base: base) }
            default:
                throw TroupeError(.parse, "Expecting only 'roles' and/or 'collections' as base keys in the requirements file. Found: \(entry.key)", location: entry.value.location)
            }
        }
        return requirements
    }

    /// One `collections:` entry: `ns.name`, `ns.name:>=1.0`, a path, or a mapping.
    static func collection(_ node: YAMLNode, base: String) throws -> Collection {
        if let text = node.scalar?.stringValue {
            return parseCollection(text, version: nil, source: nil, type: nil, base: base)
        }
        guard node.entries != nil, let name = node.entry("name")?.value.scalar?.stringValue else {
            throw TroupeError(.parse, "Collections requirement entry should contain the key 'name'", location: node.location)
        }
        let type = node.entry("type")?.value.scalar?.stringValue
        if let type, SourceKind(rawValue: type) == nil {
            throw TroupeError(.parse, "The collection requirement entry key 'type' must be one of file, galaxy, git, dir, subdirs, or url.", location: node.location)
        }
        return parseCollection(name, version: node.entry("version")?.value.scalar.map(scalarText),
                               source: node.entry("source")?.value.scalar?.stringValue, type: type, base: base)
    }

    /// A collection named on the command line or in a string entry.
    public static func parseCollection(_ text: String, version: String?, source: String?, type: String?, base: String) -> Collection {
        var name = text
        var version = version
        let kind = type.flatMap(SourceKind.init(rawValue:)) ?? inferKind(text, base: base)
        if kind == .galaxy, version == nil, let colon = text.firstIndex(of: ":") {
            name = String(text[..<colon])
            version = String(text[text.index(after: colon)...])
        }
        if kind == .file || kind == .dir || kind == .subdirs {
            name = absolute(name, base: base)
        }
        return Collection(name: name, version: version, source: source, kind: kind)
    }

    static func inferKind(_ text: String, base: String) -> SourceKind {
        if text.hasPrefix("git+") || text.hasSuffix(".git") || text.contains(".git,") || text.contains(".git#") { return .git }
        if text.hasPrefix("http://") || text.hasPrefix("https://") { return .url }
        let path = absolute(text, base: base)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { return .file }
            let hasMetadata = ["galaxy.yml", "galaxy.yaml", "MANIFEST.json"].contains {
                FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent($0))
            }
            return hasMetadata ? .dir : .subdirs
        }
        return .galaxy
    }

    /// A role named on the command line: `src[,version[,name]]`.
    public static func role(argument: String, base: String) throws -> Role {
        try role(YAMLNode(.scalar(.string(argument)), location: SourceLocation(file: "<command line>", line: 1, column: 1)), base: base)
    }

    /// One `roles:` entry: `src[,version[,name]]` or a mapping with `src`/`name`/`version`/`scm`.
    static func role(_ node: YAMLNode, base: String) throws -> Role {
        var source: String
        var version: String?
        var name: String?
        var scm: String?
        if let text = node.scalar?.stringValue {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            source = parts[0]
            version = parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil
            name = parts.count > 2 && !parts[2].isEmpty ? parts[2] : nil
        } else if node.entries != nil {
            guard let src = node.entry("src")?.value.scalar?.stringValue ?? node.entry("name")?.value.scalar?.stringValue else {
                throw TroupeError(.parse, "Role requirement entry should contain the key 'src' or 'name'", location: node.location)
            }
            source = src
            version = node.entry("version")?.value.scalar.map(scalarText)
            if node.entry("src") != nil { name = node.entry("name")?.value.scalar?.stringValue }
            scm = node.entry("scm")?.value.scalar?.stringValue
        } else {
            throw TroupeError(.parse, "Invalid role requirement entry: expected a string or a dictionary", location: node.location)
        }
        if source.hasPrefix("git+") {
            scm = "git"
            source.removeFirst(4)
        } else if scm == nil, source.hasSuffix(".git") {
            scm = "git"
        }
        let local = absolute(source, base: base)
        if scm == nil, FileManager.default.fileExists(atPath: local) { source = local }
        return Role(source: source, name: name ?? roleName(fromSource: source), version: version, scm: scm)
    }

    /// ansible-galaxy's rule: the last path component without `.git`, `.tar.gz` or `.tgz`;
    /// `ns.role` from Galaxy keeps its full name.
    public static func roleName(fromSource source: String) -> String {
        var last = source.split(separator: "/").last.map(String.init) ?? source
        if let comma = last.firstIndex(of: ",") { last = String(last[..<comma]) }
        for suffix in [".git", ".tar.gz", ".tgz", ".tar"] where last.hasSuffix(suffix) {
            last.removeLast(suffix.count)
        }
        return last
    }

    static func absolute(_ path: String, base: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        let relative = (base as NSString).appendingPathComponent(expanded)
        if FileManager.default.fileExists(atPath: relative) { return relative }
        return (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded)
    }

    /// A scalar as written: YAML reads `1.0` as a float, but a version is text.
    static func scalarText(_ value: Value) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .float(let number): return String(number)
        default: return value.pythonString
        }
    }
}
