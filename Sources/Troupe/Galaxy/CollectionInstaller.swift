import Foundation
import Jinja

/// `troupe galaxy collection install`: puts collections under
/// `<path>/ansible_collections/<ns>/<name>` exactly as ansible-galaxy lays them out
/// (MANIFEST.json and FILES.json included), so either tool finds what the other installed.
public struct CollectionInstaller {
    /// The collections path to install into (its `ansible_collections/` is created).
    public var path: String
    /// Reinstall even when the same version is there (`--force`).
    public var force = false
    /// Do not check dependencies (`--no-deps`).
    public var noDependencies = false
    /// Every collections path that counts as "installed" for dependencies.
    public var searchPaths: [String] = []
    /// Galaxy servers to ask, in order, for `ns.name` requirements and dependencies
    /// (`--server`, or ansible.cfg's `[galaxy] server_list`).
    public var servers: [GalaxyServer] = []
    /// Progress lines, in ansible-galaxy's words.
    public var display: (String) -> Void = { print($0) }

    public init(path: String) {
        self.path = (path as NSString).expandingTildeInPath
    }

    var root: String {
        path.hasSuffix("/ansible_collections") ? path : (path as NSString).appendingPathComponent("ansible_collections")
    }

    public func install(_ requirements: [GalaxyRequirements.Collection]) throws {
        display("Starting galaxy collection install process")
        display("Process install dependency map")
        var staged: [(CollectionArtifact, String)] = []
        try GalaxyProcess.withTemporaryDirectory(in: root) { work in
            for (index, requirement) in requirements.enumerated() {
                let directory = (work as NSString).appendingPathComponent("c\(index)")
                staged += try stage(requirement, into: directory, work: work)
            }
            if !noDependencies { staged += try resolveDependencies(of: staged.map(\.0), work: work) }
            display("Starting collection install process")
            for (artifact, directory) in staged {
                let destination = "\(root)/\(artifact.namespace)/\(artifact.name)"
                if !force, let installed = try? CollectionArtifact.readManifest(in: destination), installed.version == artifact.version {
                    display("'\(artifact.fullName):\(artifact.version)' is already installed, skipping.")
                    continue
                }
                display("Installing '\(artifact.fullName):\(artifact.version)' to '\(destination)'")
                try GalaxyProcess.replace(destination, with: directory)
                display("\(artifact.fullName):\(artifact.version) was installed successfully")
            }
        }
    }

    /// Unpacks or copies one requirement into `directory`; a `subdirs` source gives several.
    func stage(_ requirement: GalaxyRequirements.Collection, into directory: String, work: String) throws -> [(CollectionArtifact, String)] {
        switch requirement.kind {
        case .file:
            return [try unpack(tarball: requirement.name, into: directory)]
        case .dir:
            return [try copy(source: requirement.name, into: directory)]
        case .subdirs:
            var result: [(CollectionArtifact, String)] = []
            let base = requirement.name
            for namespace in try FileManager.default.contentsOfDirectory(atPath: base).sorted() {
                let namespaceDirectory = (base as NSString).appendingPathComponent(namespace)
                for name in (try? FileManager.default.contentsOfDirectory(atPath: namespaceDirectory).sorted()) ?? [] {
                    let source = (namespaceDirectory as NSString).appendingPathComponent(name)
                    result.append(try copy(source: source, into: directory + "-\(namespace)-\(name)"))
                }
            }
            return result
        case .git:
            var url = requirement.name
            if url.hasPrefix("git+") { url.removeFirst(4) }
            var subdirectory = ""
            if let hash = url.range(of: "#") {
                subdirectory = String(url[hash.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
                url = String(url[..<hash.lowerBound])
            }
            var version = requirement.version
            if let comma = url.lastIndex(of: ","), version == nil {
                version = String(url[url.index(after: comma)...])
                url = String(url[..<comma])
            }
            let clone = directory + "-git"
            try GalaxyProcess.gitClone(url, version: version == "*" ? nil : version, into: clone)
            let source = subdirectory.isEmpty ? clone : (clone as NSString).appendingPathComponent(subdirectory)
            if GalaxyRequirements.inferKind(source, base: "/") == .subdirs {
                return try stage(.init(name: source, version: nil, source: nil, kind: .subdirs), into: directory, work: work)
            }
            return [try copy(source: source, into: directory)]
        case .url:
            let tarball = directory + ".tar.gz"
            try GalaxyServer.fetch(requirement.name, token: nil, output: tarball)
            return [try unpack(tarball: tarball, into: directory)]
        case .galaxy:
            return [try fromServer(requirement.name, range: requirement.version, source: requirement.source, into: directory)]
        }
    }

    /// Downloads the newest version of `fqcn` within `range` from the first server that has one.
    func fromServer(_ fqcn: String, range: String?, source: String?, into directory: String) throws -> (CollectionArtifact, String) {
        let parts = fqcn.split(separator: ".").map(String.init)
        guard parts.count == 2, parts.allSatisfy(CollectionArtifact.isValidNamePart) else {
            throw TroupeError(.options, "Neither the collection requirement entry key 'name', nor 'source' point to a concrete resolvable collection artifact. Also '\(fqcn)' is not an FQCN. A valid collection name must be in the format <namespace>.<collection>.")
        }
        let candidates = source.map { [GalaxyServer(url: $0)] } ?? servers
        guard !candidates.isEmpty else {
            throw TroupeError(.options, "Cannot install '\(fqcn)': no Galaxy server is configured (use --server URL or ansible.cfg's [galaxy] server_list).")
        }
        var reasons: [String] = []
        for server in candidates {
            do {
                let versions = try server.versions(namespace: parts[0], name: parts[1])
                guard let version = GalaxyVersion.best(versions, satisfying: range) else {
                    reasons.append("\(server.url): no version of \(fqcn) matches '\(range ?? "*")' (available: \(versions.joined(separator: ", ")))")
                    continue
                }
                let details = try server.details(namespace: parts[0], name: parts[1], version: version)
                let tarball = directory + ".tar.gz"
                display("Downloading \(details.downloadURL) to \((directory as NSString).deletingLastPathComponent)")
                try server.download(details.downloadURL, to: tarball)
                if let expected = details.sha256, let data = FileManager.default.contents(atPath: tarball),
                   Digest.hex(Digest.hash([UInt8](data), .sha256)) != expected {
                    throw TroupeError(.execution, "Mismatch artifact hash with downloaded file for \(fqcn):\(version)")
                }
                return try unpack(tarball: tarball, into: directory)
            } catch let error as TroupeError {
                reasons.append("\(server.url): \(error.message)")
            }
        }
        throw TroupeError(.execution, "Failed to resolve the requested dependencies map. Could not satisfy the following requirements:\n* \(fqcn):\(range ?? "*")\n" + reasons.map { "  " + $0 }.joined(separator: "\n"))
    }

    func unpack(tarball: String, into directory: String) throws -> (CollectionArtifact, String) {
        guard FileManager.default.fileExists(atPath: tarball) else {
            throw TroupeError(.io, "The collection artifact '\(tarball)' does not exist.")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // GNU tar refuses absolute names and `..` by default; no-same-owner keeps files ours.
        try GalaxyProcess.run("tar", ["-xzf", tarball, "-C", directory, "--no-same-owner"])
        let artifact = try CollectionArtifact.readManifest(in: directory)
        try verifyChecksums(in: directory)
        return (artifact, directory)
    }

    /// A collection from a source tree (with galaxy.yml) or an installed one (with MANIFEST.json).
    func copy(source: String, into directory: String) throws -> (CollectionArtifact, String) {
        let manager = FileManager.default
        if manager.fileExists(atPath: (source as NSString).appendingPathComponent("MANIFEST.json")) {
            try manager.copyItem(atPath: source, toPath: directory)
            return (try CollectionArtifact.readManifest(in: directory), directory)
        }
        let artifact = try CollectionArtifact.readGalaxyFile(in: source)
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let files = try artifact.writeMetadata(into: directory, from: source)
        for file in files {
            let target = (directory as NSString).appendingPathComponent(file.path)
            if file.isDirectory {
                try manager.createDirectory(atPath: target, withIntermediateDirectories: true)
            } else {
                try manager.copyItem(atPath: (source as NSString).appendingPathComponent(file.path), toPath: target)
            }
        }
        return (artifact, directory)
    }

    /// Every file FILES.json lists has the recorded SHA-256: a damaged tarball is refused.
    func verifyChecksums(in directory: String) throws {
        let path = (directory as NSString).appendingPathComponent("FILES.json")
        guard let data = FileManager.default.contents(atPath: path) else { return }
        guard case .list(let files)? = try Value.parseJSON(String(decoding: data, as: UTF8.self)).dictValue?["files"] else { return }
        for file in files {
            guard let name = file.dictValue?["name"]?.stringValue, let expected = file.dictValue?["chksum_sha256"]?.stringValue else { continue }
            let actual = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(name))
                .map { Digest.hex(Digest.hash([UInt8]($0), .sha256)) }
            if actual != expected {
                throw TroupeError(.execution, "Collection artifact at '\(directory)' is corrupt: '\(name)' does not match its checksum in FILES.json")
            }
        }
    }

    /// Dependencies not being installed and not installed yet come from the servers,
    /// recursively; without a server they are an error naming them.
    func resolveDependencies(of artifacts: [CollectionArtifact], work: String) throws -> [(CollectionArtifact, String)] {
        var known = Set(artifacts.map(\.fullName))
        var pending = artifacts
        var added: [(CollectionArtifact, String)] = []
        while let artifact = pending.first {
            pending.removeFirst()
            for dependency in artifact.dependencies where !known.contains(dependency.name) {
                known.insert(dependency.name)
                let parts = dependency.name.split(separator: ".")
                guard parts.count == 2 else { continue }
                let present = ([root] + searchPaths.map { ($0 as NSString).appendingPathComponent("ansible_collections") }).contains {
                    FileManager.default.fileExists(atPath: "\($0)/\(parts[0])/\(parts[1])")
                }
                if present { continue }
                guard !servers.isEmpty else {
                    throw TroupeError(.execution, "Failed to resolve the requested dependencies map. Could not satisfy the following requirements:\n* \(dependency.name):\(dependency.range) (dependency of \(artifact.fullName):\(artifact.version))\nInstall it first, configure a Galaxy server, or pass --no-deps.")
                }
                let directory = (work as NSString).appendingPathComponent("dep-\(dependency.name)")
                let staged = try fromServer(dependency.name, range: dependency.range, source: nil, into: directory)
                added.append(staged)
                pending.append(staged.0)
            }
        }
        return added
    }

    /// Installed collections under each path, for `collection list`: path → (name, version).
    public static func installed(in paths: [String]) -> [(path: String, collections: [(String, String)])] {
        var result: [(String, [(String, String)])] = []
        for path in paths {
            let expanded = (path as NSString).expandingTildeInPath
            let root = expanded.hasSuffix("ansible_collections") ? expanded : (expanded as NSString).appendingPathComponent("ansible_collections")
            guard let namespaces = try? FileManager.default.contentsOfDirectory(atPath: root) else { continue }
            var found: [(String, String)] = []
            for namespace in namespaces.sorted() where !namespace.contains(".") {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(namespace)")) ?? []
                for name in names.sorted() {
                    let directory = "\(root)/\(namespace)/\(name)"
                    var isDirectory: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
                    let version = (try? CollectionArtifact.readManifest(in: directory).version)
                        ?? (try? CollectionArtifact.readGalaxyFile(in: directory).version) ?? "*"
                    found.append(("\(namespace).\(name)", version))
                }
            }
            if !found.isEmpty { result.append((root, found)) }
        }
        return result
    }
}
