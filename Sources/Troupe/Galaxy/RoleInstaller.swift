import Foundation

/// `troupe galaxy role install`: roles from git, tarballs and directories into the roles
/// path, with ansible-galaxy's `meta/.galaxy_install_info` so `ansible-galaxy role list`
/// shows their versions (and ours reads theirs).
public struct RoleInstaller {
    public var path: String
    public var force = false
    public var display: (String) -> Void = { print($0) }

    public init(path: String) {
        self.path = (path as NSString).expandingTildeInPath
    }

    public func install(_ roles: [GalaxyRequirements.Role]) throws {
        display("Starting galaxy role install process")
        try GalaxyProcess.withTemporaryDirectory(in: path) { work in
            for (index, role) in roles.enumerated() {
                let destination = (path as NSString).appendingPathComponent(role.name)
                if !force, FileManager.default.fileExists(atPath: destination) {
                    let version = Self.installedVersion(destination)
                    display("- \(role.name) (\(version ?? "unknown version")) is already installed - use --force to change version to \(role.version ?? "unspecified")")
                    continue
                }
                let staged = (work as NSString).appendingPathComponent("r\(index)")
                try stage(role, into: staged, work: work)
                guard FileManager.default.fileExists(atPath: (staged as NSString).appendingPathComponent("meta/main.yml"))
                        || FileManager.default.fileExists(atPath: (staged as NSString).appendingPathComponent("meta/main.yaml")) else {
                    throw TroupeError(.execution, "- \(role.source) does not look like a role: it has no meta/main.yml")
                }
                try writeInstallInfo(in: staged, version: role.version ?? "")
                display("- extracting \(role.name) to \(destination)")
                try GalaxyProcess.replace(destination, with: staged)
                display("- \(role.name) (\(role.version ?? "unknown version")) was installed successfully")
            }
        }
    }

    func stage(_ role: GalaxyRequirements.Role, into directory: String, work: String) throws {
        let manager = FileManager.default
        if role.scm == "git" {
            try GalaxyProcess.gitClone(role.source, version: role.version, into: directory)
            try? manager.removeItem(atPath: (directory as NSString).appendingPathComponent(".git"))
            return
        }
        if let scm = role.scm {
            throw TroupeError(.options, "- \(role.name): scm '\(scm)' is not supported; only git is")
        }
        var source = role.source
        if source.hasPrefix("http://") || source.hasPrefix("https://") {
            source = directory + "-download.tar.gz"
            try GalaxyServer.fetch(role.source, token: nil, output: source)
        }
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: source, isDirectory: &isDirectory) {
            if isDirectory.boolValue {
                try manager.copyItem(atPath: source, toPath: directory)
                return
            }
            let unpacked = directory + "-unpacked"
            try manager.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
            try GalaxyProcess.run("tar", ["-xf", source, "-C", unpacked, "--no-same-owner"])
            // A role tarball holds the role at its top or inside one directory.
            let top = try manager.contentsOfDirectory(atPath: unpacked)
            let root = manager.fileExists(atPath: (unpacked as NSString).appendingPathComponent("meta")) || top.count != 1
                ? unpacked : (unpacked as NSString).appendingPathComponent(top[0])
            try manager.moveItem(atPath: root, toPath: directory)
            return
        }
        throw TroupeError(.options, "- \(role.name): installing roles from a Galaxy server ('\(role.source)') is not supported by troupe galaxy yet; use a git URL (git+https://…), a tarball URL or path, or a directory.")
    }

    /// `meta/.galaxy_install_info`, as ansible-galaxy writes it.
    func writeInstallInfo(in directory: String, version: String) throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE MMM d HH:mm:ss yyyy"
        var date = formatter.string(from: Date())
        // C's %c pads the day of the month to two characters with a space.
        let parts = date.split(separator: " ", omittingEmptySubsequences: false)
        if parts.count == 5, parts[2].count == 1 { date = "\(parts[0]) \(parts[1])  \(parts[2]) \(parts[3]) \(parts[4])" }
        let meta = (directory as NSString).appendingPathComponent("meta")
        try FileManager.default.createDirectory(atPath: meta, withIntermediateDirectories: true)
        try "install_date: \(date)\nversion: \(version)\n".write(toFile: (meta as NSString).appendingPathComponent(".galaxy_install_info"),
                                                              atomically: true, encoding: .utf8)
    }

    /// The version recorded by an install (ours or ansible-galaxy's), if any.
    public static func installedVersion(_ roleDirectory: String) -> String? {
        let info = (roleDirectory as NSString).appendingPathComponent("meta/.galaxy_install_info")
        guard let text = try? String(contentsOfFile: info, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("version:") {
            let value = line.dropFirst("version:".count).trimmingCharacters(in: .whitespaces)
            return value.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        }
        return nil
    }

    /// Roles under each path for `role list`: path → (name, version).
    public static func installed(in paths: [String]) -> [(path: String, roles: [(String, String?)])] {
        paths.compactMap { path in
            let expanded = (path as NSString).expandingTildeInPath
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: expanded) else { return nil }
            let roles = names.sorted().filter { !$0.hasPrefix(".") }.compactMap { name -> (String, String?)? in
                let directory = (expanded as NSString).appendingPathComponent(name)
                guard FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("meta")) else { return nil }
                return (name, installedVersion(directory))
            }
            return (expanded, roles)
        }
    }
}
