import Foundation

/// `troupe galaxy role init` and `troupe galaxy collection init`: the directory layouts
/// ansible-galaxy creates, with short starter files of our own.
public enum GalaxySkeleton {
    /// Creates `<initPath>/<name>` as a role. Fails if it exists, unless `force`.
    public static func role(named name: String, in initPath: String, force: Bool) throws -> String {
        let root = (initPath as NSString).appendingPathComponent(name)
        try prepare(root, what: "role", force: force)
        let yamlStart = "---\n"
        let files: [(String, String)] = [
            ("README.md", "\(name)\n\(String(repeating: "=", count: name.count))\n\nWhat this role does, its variables, and an example playbook.\n"),
            ("tasks/main.yml", yamlStart + "# Tasks of the \(name) role.\n"),
            ("handlers/main.yml", yamlStart + "# Handlers of the \(name) role.\n"),
            ("defaults/main.yml", yamlStart + "# Defaults of the \(name) role: the lowest-precedence variables.\n"),
            ("vars/main.yml", yamlStart + "# Variables of the \(name) role.\n"),
            ("meta/main.yml", yamlStart + """
                galaxy_info:
                  author: your name
                  description: your role description
                  license: license (GPL-2.0-or-later, MIT, etc)
                  min_ansible_version: "2.15"
                  galaxy_tags: []
                dependencies: []

                """),
            ("tests/inventory", "localhost\n"),
            ("tests/test.yml", yamlStart + "- hosts: localhost\n  remote_user: root\n  roles:\n    - \(name)\n"),
        ]
        try write(files, directories: ["files", "templates"], under: root)
        return root
    }

    /// Creates `<initPath>/<namespace>/<name>` as a collection source tree.
    public static func collection(_ fullName: String, in initPath: String, force: Bool) throws -> String {
        let parts = fullName.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts.allSatisfy(CollectionArtifact.isValidNamePart) else {
            throw TroupeError(.options, "Invalid collection name '\(fullName)', name must be in the format <namespace>.<collection>.")
        }
        let root = ((initPath as NSString).appendingPathComponent(parts[0]) as NSString).appendingPathComponent(parts[1])
        try prepare(root, what: "collection", force: force)
        let files: [(String, String)] = [
            ("README.md", "# \(parts[0]).\(parts[1])\n\nWhat this collection provides, and how to use it.\n"),
            ("galaxy.yml", """
                namespace: \(parts[0])
                name: \(parts[1])
                version: 1.0.0
                readme: README.md
                authors:
                - your name <example@domain.com>
                description: your collection description
                license:
                - GPL-2.0-or-later
                license_file: ''
                tags: []
                dependencies: {}
                repository: http://example.com/repository
                documentation: http://docs.example.com
                homepage: http://example.com
                issues: http://example.com/issue/tracker
                build_ignore: []

                """),
            ("meta/runtime.yml", "---\nrequires_ansible: '>=2.15.0'\n"),
            ("plugins/README.md", "# Plugins\n\nModules go in `modules/`, module utilities in `module_utils/`, and filter, test and lookup plugins in their own directories.\n"),
        ]
        try write(files, directories: ["docs", "roles"], under: root)
        return root
    }

    private static func prepare(_ root: String, what: String, force: Bool) throws {
        if FileManager.default.fileExists(atPath: root) {
            guard force else {
                throw TroupeError(.options, "- the directory \(root) already exists. You can use --force to re-initialize this directory,\nhowever it will reset any main.yml files that may have\nbeen modified there already.")
            }
        }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    private static func write(_ files: [(String, String)], directories: [String], under root: String) throws {
        for directory in directories {
            try FileManager.default.createDirectory(atPath: (root as NSString).appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        for (relative, text) in files {
            let path = (root as NSString).appendingPathComponent(relative)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}
