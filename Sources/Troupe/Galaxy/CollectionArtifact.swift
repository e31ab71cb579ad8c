import Foundation
import Jinja

/// A collection's identity and the two files that describe a built one: `MANIFEST.json`
/// (`collection_info` from galaxy.yml, plus the checksum of FILES.json) and `FILES.json`
/// (every file and directory with its SHA-256), the contract ansible-galaxy reads and writes.
public struct CollectionArtifact: Sendable {
    public var namespace: String
    public var name: String
    public var version: String
    /// `collection_info` as MANIFEST.json carries it (galaxy.yml's keys).
    public var info: OrderedDict

    public var fullName: String { "\(namespace).\(name)" }

    /// Reads an installed or unpacked collection's MANIFEST.json.
    public static func readManifest(in directory: String) throws -> CollectionArtifact {
        let path = (directory as NSString).appendingPathComponent("MANIFEST.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TroupeError(.io, "Collection at '\(directory)' does not contain the required file MANIFEST.json.")
        }
        let manifest = try Value.parseJSON(String(decoding: data, as: UTF8.self))
        guard case .dict(let info)? = manifest.dictValue?["collection_info"] else {
            throw TroupeError(.parse, "Collection at '\(directory)' has a MANIFEST.json without collection_info")
        }
        return try CollectionArtifact(info: info, origin: path)
    }

    /// Reads a source tree's galaxy.yml (or galaxy.yaml).
    public static func readGalaxyFile(in directory: String) throws -> CollectionArtifact {
        let candidates = ["galaxy.yml", "galaxy.yaml"].map { (directory as NSString).appendingPathComponent($0) }
        guard let path = candidates.first(where: FileManager.default.fileExists(atPath:)) else {
            throw TroupeError(.io, "The collection galaxy.yml path '\(candidates[0])' does not exist.")
        }
        guard let node = try DataLoader().loadYAML(path), case .dict(let info) = node.value else {
            throw TroupeError(.parse, "The collection galaxy.yml at '\(path)' is not a dictionary", location: SourceLocation(file: path, line: 1, column: 1))
        }
        let missing = ["namespace", "name", "version", "readme", "authors"].filter { info[$0] == nil || info[$0]?.isNull == true }
        if !missing.isEmpty {
            throw TroupeError(.parse, "The collection galaxy.yml at '\(path)' is missing the following mandatory keys: \(missing.joined(separator: ", "))")
        }
        return try CollectionArtifact(info: info, origin: path)
    }

    init(info: OrderedDict, origin: String) throws {
        guard let namespace = info["namespace"]?.stringValue, let name = info["name"]?.stringValue else {
            throw TroupeError(.parse, "'\(origin)' does not name the collection's namespace and name")
        }
        let version: String
        switch info["version"] {
        case .string(let text)?: version = text
        case .int(let number)?: version = String(number)
        case .float(let number)?: version = String(number)
        default: version = "*"
        }
        for part in [namespace, name] where !Self.isValidNamePart(part) {
            throw TroupeError(.parse, "Invalid collection name '\(namespace).\(name)' in '\(origin)': namespace and name must be Python identifiers")
        }
        self.namespace = namespace
        self.name = name
        self.version = version
        self.info = info
    }

    static func isValidNamePart(_ part: String) -> Bool {
        guard let first = part.unicodeScalars.first, first == "_" || CharacterSet.letters.contains(first) else { return false }
        return part.unicodeScalars.allSatisfy { $0 == "_" || CharacterSet.alphanumerics.contains($0) }
    }

    /// `dependencies` from collection_info: `ns.name` → version range.
    public var dependencies: [(name: String, range: String)] {
        guard case .dict(let deps)? = info["dependencies"] else { return [] }
        return deps.map { ($0.key, $0.value.stringValue ?? "*") }
    }

    // MARK: - Building

    /// Names ansible-galaxy leaves out of every build, besides `build_ignore`.
    static func defaultIgnores(namespace: String, name: String) -> [String] {
        ["galaxy.yml", "galaxy.yaml", ".git", "*.pyc", "*.retry", "tests/output", "\(namespace)-\(name)-*.tar.gz",
         "CVS", ".bzr", ".hg", ".svn", "__pycache__", ".tox"]
    }

    /// The relative paths of a source tree to ship, directories before their contents,
    /// sorted, without the ignored ones.
    func collectFiles(in root: String) throws -> [(path: String, isDirectory: Bool)] {
        var patterns = Self.defaultIgnores(namespace: namespace, name: name)
        if case .list(let extra)? = info["build_ignore"] { patterns += extra.compactMap(\.stringValue) }
        var result: [(String, Bool)] = []
        func walk(_ relative: String) throws {
            let absolute = relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
            for entry in try FileManager.default.contentsOfDirectory(atPath: absolute).sorted() {
                let path = relative.isEmpty ? entry : relative + "/" + entry
                if patterns.contains(where: { Self.matches(path, pattern: $0) || Self.matches(entry, pattern: $0) }) { continue }
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: (absolute as NSString).appendingPathComponent(entry), isDirectory: &isDirectory)
                result.append((path, isDirectory.boolValue))
                if isDirectory.boolValue { try walk(path) }
            }
        }
        try walk("")
        return result
    }

    static func matches(_ path: String, pattern: String) -> Bool {
        fnmatch(pattern, path, 0) == 0
    }

    /// FILES.json for the listed files of `root`.
    static func filesJSON(root: String, files: [(path: String, isDirectory: Bool)]) throws -> Value {
        var entries: [Value] = [entry(".", isDirectory: true, checksum: nil)]
        for file in files {
            var checksum: String?
            if !file.isDirectory {
                guard let data = FileManager.default.contents(atPath: (root as NSString).appendingPathComponent(file.path)) else {
                    throw TroupeError(.io, "could not read '\(file.path)' in '\(root)'")
                }
                checksum = Digest.hex(Digest.hash([UInt8](data), .sha256))
            }
            entries.append(entry(file.path, isDirectory: file.isDirectory, checksum: checksum))
        }
        return .dict(OrderedDict([("files", .list(entries)), ("format", .int(1))]))
    }

    private static func entry(_ name: String, isDirectory: Bool, checksum: String?) -> Value {
        .dict(OrderedDict([("name", .string(name)), ("ftype", .string(isDirectory ? "dir" : "file")),
                           ("chksum_type", checksum == nil ? .null : .string("sha256")),
                           ("chksum_sha256", checksum.map(Value.string) ?? .null), ("format", .int(1))]))
    }

    /// MANIFEST.json: collection_info with galaxy.yml's build-only keys removed.
    func manifestJSON(filesChecksum: String) -> Value {
        var collectionInfo = OrderedDict()
        for (key, value) in info where !["build_ignore", "manifest"].contains(key) {
            collectionInfo[key] = key == "license_file" && value.stringValue == "" ? .null : value
        }
        collectionInfo["version"] = .string(version)
        let filesEntry = OrderedDict([("name", .string("FILES.json")), ("ftype", .string("file")), ("chksum_type", .string("sha256")),
                                      ("chksum_sha256", .string(filesChecksum)), ("format", .int(1))])
        return .dict(OrderedDict([("collection_info", .dict(collectionInfo)), ("file_manifest_file", .dict(filesEntry)),
                                  ("format", .int(1))]))
    }

    /// Writes MANIFEST.json and FILES.json for the tree at `root` into `root` itself (an
    /// install from a directory) and returns the shipped files.
    @discardableResult
    func writeMetadata(into root: String, from source: String) throws -> [(path: String, isDirectory: Bool)] {
        let files = try collectFiles(in: source)
        let filesText = JSONFormat(indent: 1, sortKeys: false).string(try Self.filesJSON(root: source, files: files))
        let manifestText = JSONFormat(indent: 1, sortKeys: false).string(
            manifestJSON(filesChecksum: Digest.hex(Digest.hash(Array(filesText.utf8), .sha256))))
        try filesText.write(toFile: (root as NSString).appendingPathComponent("FILES.json"), atomically: true, encoding: .utf8)
        try manifestText.write(toFile: (root as NSString).appendingPathComponent("MANIFEST.json"), atomically: true, encoding: .utf8)
        return files
    }

    /// `ns-name-version.tar.gz` in `outputDirectory`, from the source tree at `source`:
    /// MANIFEST.json and FILES.json first, then the files in FILES.json's order, owned by root.
    public func build(from source: String, outputDirectory: String, force: Bool) throws -> String {
        let output = (outputDirectory as NSString).appendingPathComponent("\(namespace)-\(name)-\(version).tar.gz")
        if FileManager.default.fileExists(atPath: output) && !force {
            throw TroupeError(.options, "The file '\(output)' already exists. You can use --force to re-create the collection artifact.")
        }
        try GalaxyProcess.withTemporaryDirectory(in: outputDirectory) { stage in
            let files = try writeMetadata(into: stage, from: source)
            let list = (stage as NSString).appendingPathComponent(".files")
            try files.map(\.path).joined(separator: "\n").appending("\n").write(toFile: list, atomically: true, encoding: .utf8)
            let partial = (stage as NSString).appendingPathComponent("artifact.tar.gz")
            let owner = ["--owner=0", "--group=0", "--numeric-owner", "--no-recursion"]
            try GalaxyProcess.run("tar", ["-czf", partial] + owner + ["-C", stage, "MANIFEST.json", "FILES.json", "-C", source, "-T", list])
            try GalaxyProcess.replaceFile(output, with: partial)
        }
        return output
    }
}
