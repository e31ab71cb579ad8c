import ArgumentParser
import Foundation
import Troupe

/// `troupe galaxy` (ansible-galaxy): install, list, build and create roles and collections.
struct GalaxyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "galaxy",
        abstract: "Install, list, build and create roles and collections (like ansible-galaxy).",
        discussion: """
            Installs from collection tarballs, directories and git repositories, and roles from \
            git, tarballs and directories, into the same places ansible-galaxy uses, so each tool \
            finds what the other installed. Collections also come from a Galaxy server's v3 API \
            (--server, or ansible.cfg's [galaxy] settings) and from tarball URLs; roles from a \
            Galaxy server are not supported yet.
            """,
        subcommands: [GalaxyInstall.self, GalaxyCollectionCommand.self, GalaxyRoleCommand.self])
}

/// Defaults both kinds of install share: the configured paths.
enum GalaxyPaths {
    static func config() -> AnsibleConfig? { try? AnsibleConfig.load() }

    static var collectionsPaths: [String] {
        let configured = config()?.list(.collectionsPath) ?? []
        return configured.isEmpty ? CollectionIndex.defaultPaths : configured
    }

    static var rolesPaths: [String] {
        let configured = config()?.rolesPath ?? []
        return configured.isEmpty ? ["~/.ansible/roles", "/usr/share/ansible/roles", "/etc/ansible/roles"] : configured
    }

    /// Prints the error as ansible does; ansible-galaxy exits 1 for every failure it reports.
    static func fail(_ error: Error) -> Never {
        FileHandle.standardError.write(Data(ErrorReport.render(error).utf8))
        exit(1)
    }

    static func expand(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let absolute = expanded.hasPrefix("/") ? expanded : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded)
        return (absolute as NSString).standardizingPath
    }
}

/// Options of every install command.
struct GalaxyInstallOptions: ParsableArguments {
    @Option(name: [.customShort("r"), .customLong("role-file"), .customLong("requirements-file")],
            help: "A file listing the roles and/or collections to install.")
    var requirementsFile: String?

    @Flag(name: [.customShort("f"), .long], help: "Force overwriting an existing role or collection.")
    var force = false

    @Flag(name: [.customShort("n"), .customLong("no-deps")], help: "Don't check or download dependencies.")
    var noDependencies = false

    @Flag(name: .shortAndLong, help: "Verbose mode (accepted for compatibility).")
    var verbose: Int

    @Option(name: [.customShort("s"), .customLong("server")], help: "The Galaxy API server URL (else ansible.cfg's [galaxy] server_list, else ANSIBLE_GALAXY_SERVER, else galaxy.ansible.com).")
    var server: String?

    @Option(name: [.customLong("token"), .customLong("api-key")], help: "The Galaxy API token.")
    var token: String?

    /// The servers to ask, in order: --server; ansible.cfg's server_list with each
    /// `[galaxy_server.NAME]` url and token; ANSIBLE_GALAXY_SERVER or ansible.cfg's `server`.
    func servers() -> [GalaxyServer] {
        if let server { return [GalaxyServer(url: server, token: token)] }
        let config = GalaxyPaths.config()
        let environment = ProcessInfo.processInfo.environment
        let list = environment["ANSIBLE_GALAXY_SERVER_LIST"] ?? config?.string(section: "galaxy", key: "server_list")
        if let list {
            let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let servers = names.compactMap { name -> GalaxyServer? in
                let variable = "ANSIBLE_GALAXY_SERVER_\(name.uppercased())_"
                guard let url = environment[variable + "URL"] ?? config?.string(section: "galaxy_server.\(name)", key: "url") else { return nil }
                return GalaxyServer(url: url, token: token ?? environment[variable + "TOKEN"] ?? config?.string(section: "galaxy_server.\(name)", key: "token"))
            }
            if !servers.isEmpty { return servers }
        }
        let url = environment["ANSIBLE_GALAXY_SERVER"] ?? config?.string(section: "galaxy", key: "server") ?? "https://galaxy.ansible.com/"
        return [GalaxyServer(url: url, token: token)]
    }

    func requirements() throws -> GalaxyRequirements {
        guard let requirementsFile else { return GalaxyRequirements() }
        return try GalaxyRequirements.load(GalaxyPaths.expand(requirementsFile))
    }
}

/// `troupe galaxy install -r requirements.yml`: roles and collections at once.
struct GalaxyInstall: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "install", abstract: "Install roles and collections from a requirements file.")
    @OptionGroup var options: GalaxyInstallOptions
    @Option(name: [.customShort("p"), .customLong("roles-path")], help: "The roles path to install roles into.")
    var rolesPath: String?
    @Argument(help: "Roles to install (git URLs, tarballs or directories).") var roles: [String] = []

    func run() throws {
        do {
            var requirements = try options.requirements()
            requirements.roles += try roles.map { try GalaxyRequirements.role(argument: $0, base: FileManager.default.currentDirectoryPath) }
            if rolesPath != nil && !requirements.collections.isEmpty {
                FileHandle.standardError.write(Data("[WARNING]: The requirements file '\(options.requirementsFile ?? "")' contains collections which will be ignored. To install these collections run 'troupe galaxy collection install -r' or to install both at the same time run 'troupe galaxy install -r' without a custom install path.\n".utf8))
                requirements.collections = []
            }
            if !requirements.roles.isEmpty {
                var installer = RoleInstaller(path: GalaxyPaths.expand(rolesPath ?? GalaxyPaths.rolesPaths[0]))
                installer.force = options.force
                try installer.install(requirements.roles)
            }
            if !requirements.collections.isEmpty {
                var installer = CollectionInstaller(path: GalaxyPaths.expand(GalaxyPaths.collectionsPaths[0]))
                installer.force = options.force
                installer.noDependencies = options.noDependencies
                installer.searchPaths = GalaxyPaths.collectionsPaths.map(GalaxyPaths.expand)
                installer.servers = options.servers()
                try installer.install(requirements.collections)
            }
        } catch {
            GalaxyPaths.fail(error)
        }
    }
}

/// `troupe galaxy collection …`.
struct GalaxyCollectionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collection", abstract: "Install, list, build and create collections.",
        subcommands: [Install.self, List.self, Build.self, Init.self])

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Install collections from tarballs, directories, git, or a requirements file.")
        @OptionGroup var options: GalaxyInstallOptions
        @Option(name: [.customShort("p"), .customLong("collections-path")], help: "The collections path to install into.")
        var collectionsPath: String?
        @Argument(help: "Collections: ns.name[:range] from a Galaxy server, tarball paths or URLs, directories, or git URLs (git+https://…[,version]).") var names: [String] = []

        func run() throws {
            do {
                var requirements = try options.requirements().collections
                let base = FileManager.default.currentDirectoryPath
                requirements += names.map { GalaxyRequirements.parseCollection($0, version: nil, source: nil, type: nil, base: base) }
                guard !requirements.isEmpty else {
                    throw TroupeError(.options, "You must specify a collection name or a requirements file.")
                }
                var installer = CollectionInstaller(path: GalaxyPaths.expand(collectionsPath ?? GalaxyPaths.collectionsPaths[0]))
                installer.force = options.force
                installer.noDependencies = options.noDependencies
                installer.searchPaths = GalaxyPaths.collectionsPaths.map(GalaxyPaths.expand)
                installer.servers = options.servers()
                try installer.install(requirements)
            } catch {
                GalaxyPaths.fail(error)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the installed collections.")
        @Option(name: [.customShort("p"), .customLong("collections-path")], help: "Collections paths to list (colon-separated).")
        var collectionsPath: String?
        @Argument(help: "Only this collection (ns.name).") var name: String?

        func run() throws {
            let paths = collectionsPath.map { $0.split(separator: ":").map(String.init) } ?? GalaxyPaths.collectionsPaths
            var printed = false
            for (root, collections) in CollectionInstaller.installed(in: paths.map(GalaxyPaths.expand)) {
                let shown = collections.filter { name == nil || $0.0 == name }
                guard !shown.isEmpty else { continue }
                let nameWidth = max("Collection".count, shown.map(\.0.count).max() ?? 0)
                let versionWidth = max("Version".count, shown.map(\.1.count).max() ?? 0)
                if printed { print("") }
                print("# \(root)")
                print("Collection".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + " " + "Version")
                print(String(repeating: "-", count: nameWidth) + " " + String(repeating: "-", count: versionWidth))
                for (collection, version) in shown {
                    print(collection.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + " "
                          + version.padding(toLength: versionWidth, withPad: " ", startingAt: 0))
                }
                printed = true
            }
            if !printed, let name {
                GalaxyPaths.fail(TroupeError(.execution, "- unable to find \(name) in collection paths"))
            }
        }
    }

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Build a collection artifact (ns-name-version.tar.gz) from its source tree.")
        @Argument(help: "The collection's source directory (with galaxy.yml).") var path: String = "."
        @Option(name: .customLong("output-path"), help: "Where to write the artifact.") var outputPath: String = "."
        @Flag(name: [.customShort("f"), .long], help: "Overwrite an existing artifact.") var force = false

        func run() throws {
            do {
                let source = GalaxyPaths.expand(path)
                let artifact = try CollectionArtifact.readGalaxyFile(in: source)
                let output = GalaxyPaths.expand(outputPath)
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                let built = try artifact.build(from: source, outputDirectory: output, force: force)
                print("Created collection for \(artifact.fullName) at \(built)")
            } catch {
                GalaxyPaths.fail(error)
            }
        }
    }

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a collection skeleton (namespace.name).")
        @Argument(help: "The collection's name, namespace.name.") var name: String
        @Option(name: .customLong("init-path"), help: "Where to create it.") var initPath: String = "."
        @Flag(name: [.customShort("f"), .long], help: "Replace an existing directory's files.") var force = false

        func run() throws {
            do {
                let root = try GalaxySkeleton.collection(name, in: GalaxyPaths.expand(initPath), force: force)
                print("- Collection \(name) was created successfully")
                _ = root
            } catch {
                GalaxyPaths.fail(error)
            }
        }
    }
}

/// `troupe galaxy role …`.
struct GalaxyRoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role", abstract: "Install, list and create roles.", subcommands: [Install.self, List.self, Init.self])

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Install roles from git, tarballs, directories, or a requirements file.")
        @OptionGroup var options: GalaxyInstallOptions
        @Option(name: [.customShort("p"), .customLong("roles-path")], help: "The roles path to install into.") var rolesPath: String?
        @Argument(help: "Roles: git URLs (git+https://…[,version[,name]]), tarballs or directories.") var roles: [String] = []

        func run() throws {
            do {
                var requirements = try options.requirements().roles
                requirements += try roles.map { try GalaxyRequirements.role(argument: $0, base: FileManager.default.currentDirectoryPath) }
                guard !requirements.isEmpty else { throw TroupeError(.options, "- you must specify a user/role name or a roles file") }
                var installer = RoleInstaller(path: GalaxyPaths.expand(rolesPath ?? GalaxyPaths.rolesPaths[0]))
                installer.force = options.force
                try installer.install(requirements)
            } catch {
                GalaxyPaths.fail(error)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the installed roles.")
        @Option(name: [.customShort("p"), .customLong("roles-path")], help: "Roles paths to list (colon-separated).") var rolesPath: String?

        func run() throws {
            let paths = rolesPath.map { $0.split(separator: ":").map(String.init) } ?? GalaxyPaths.rolesPaths
            let found = RoleInstaller.installed(in: paths.map(GalaxyPaths.expand))
            for (path, roles) in found {
                print("# \(path)")
                for (name, version) in roles { print("- \(name), \(version.map { $0.isEmpty ? "(unknown version)" : $0 } ?? "(unknown version)")") }
            }
            let missing = paths.map(GalaxyPaths.expand).filter { path in !found.contains { $0.path == path } }
            for path in missing {
                FileHandle.standardError.write(Data("[WARNING]: - the configured path \(path) does not exist.\n".utf8))
            }
        }
    }

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a role skeleton.")
        @Argument(help: "The role's name.") var name: String
        @Option(name: .customLong("init-path"), help: "Where to create it.") var initPath: String = "."
        @Flag(name: [.customShort("f"), .long], help: "Replace an existing directory's files.") var force = false

        func run() throws {
            do {
                _ = try GalaxySkeleton.role(named: name, in: GalaxyPaths.expand(initPath), force: force)
                print("- Role \(name) was created successfully")
            } catch {
                GalaxyPaths.fail(error)
            }
        }
    }
}
