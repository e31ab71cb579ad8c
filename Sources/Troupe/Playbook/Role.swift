import Foundation
import Jinja

/// A role as loaded for one play: its tasks, handlers, defaults, vars, parameters and
/// dependencies. Its blocks carry it, so tasks know their role (`role_name`,
/// `role_path`, relative `files/` and `templates/`).
public final class Role: @unchecked Sendable {
    /// The role's name as used (`role_name`).
    public let name: String
    /// The role's directory (`role_path`), base for its `files/`, `templates/` and `tasks/`.
    public let path: String
    /// `defaults/main.yml`: lowest-precedence role variables.
    public internal(set) var defaults = OrderedDict()
    /// `vars/main.yml`: high-precedence role variables; the play sees them too (exported).
    public internal(set) var vars = OrderedDict()
    /// The entry's own `vars:` keyword (`- role: x` with `vars: {…}`): above vars/main.yml
    /// for the role's own tasks (and its dependencies'), never exported to the play.
    public internal(set) var entryVars = OrderedDict()
    /// Parameters given where the role was used (`- role: x` extra keys).
    public internal(set) var params = OrderedDict()
    /// Keywords given where the role was used (`when`, `tags`, `become` …).
    public internal(set) var keywords = Keywords()
    /// `tasks/main.yml`, compiled into blocks that carry this role.
    public internal(set) var taskBlocks: [Block] = []
    /// `handlers/main.yml`, compiled into blocks.
    public internal(set) var handlerBlocks: [Block] = []
    /// Roles from `meta/main.yml` `dependencies:`, run before this one.
    public internal(set) var dependencies: [Role] = []
    /// `allow_duplicates` from `meta/main.yml`: run again even with the same parameters.
    public internal(set) var allowDuplicates = false
    /// Whether the role's vars and defaults are visible to the whole play: true for
    /// `roles:` and `import_role`, false for `include_role` unless `public: true`.
    public internal(set) var isPublic = true
    /// Roles that `import_role` tasks of this role put in place (their dep chain holds this one).
    var importedRoles: [Role] = []
    /// Loaded by `import_role`/`include_role` rather than `roles:` or `dependencies:`; part of
    /// the identity, so such a role never deduplicates with a `roles:` entry.
    var fromInclude = false
    /// `tasks_from`, `vars_from` … this instance was loaded with (part of the identity).
    var entryPoints = RoleEntryPoints()
    /// The role whose meta `dependencies:` listed this one (nil for a role used directly):
    /// ansible-core's dep chain, through which a dependency sees its parents' vars and params.
    weak var dependent: Role?
    /// What this role's tasks see, resolved once the whole dependency tree is loaded
    /// (`resolveInheritedVariables`).
    public internal(set) var taskVars = OrderedDict()
    public internal(set) var taskParams = OrderedDict()
    public internal(set) var taskDefaults = OrderedDict()

    init(name: String, path: String) {
        self.name = name
        self.path = path
    }

    /// The name without its collection (`blah` for `foo.bar.blah`): ansible-core's
    /// `role_name` and the name in a failed argument spec check's `validate_args_context`.
    var shortName: String {
        guard RoleLoader.collection(ofRole: path) != nil, name.split(separator: ".").count == 3 else { return name }
        return String(name.split(separator: ".").last!)
    }

    /// Identity for deduplication, as ansible-core's role cache compares roles: path, params,
    /// the entry's `when`, `tags` and `vars`, the entry points and how it was loaded. A role
    /// that completed on a host is not run again there with the same identity.
    var identity: String {
        let parts: [String] = [path, Value.dict(params).jsonString, (keywords["when"] ?? .null).jsonString,
                               (keywords["tags"] ?? .null).jsonString, Value.dict(entryVars).jsonString,
                               [entryPoints.tasks, entryPoints.vars, entryPoints.defaults, entryPoints.handlers].joined(separator: ","),
                               fromInclude ? "include" : "static"]
        return parts.joined(separator: "\u{0}")
    }
}

/// Which files of a role to load: `tasks_from`, `vars_from`, `defaults_from`,
/// `handlers_from` (each "main" unless given).
struct RoleEntryPoints {
    var tasks = "main", vars = "main", defaults = "main", handlers = "main"

    init() {}

    /// From `import_role`/`include_role` arguments.
    init(_ args: OrderedDict) {
        tasks = args["tasks_from"]?.stringValue ?? "main"
        vars = args["vars_from"]?.stringValue ?? "main"
        defaults = args["defaults_from"]?.stringValue ?? "main"
        handlers = args["handlers_from"]?.stringValue ?? "main"
    }
}

/// Finds and loads roles: `roles/` next to the playbook, `roles_path`, the playbook
/// directory itself.
struct RoleLoader {
    let loader: DataLoader
    let searchPaths: [String]
    let parser: PlaybookParser
    /// For roles named inside a role: the directory holding that role (its siblings).
    var siblingDirectory: String? = nil

    func locate(_ name: String, relativeTo directory: String) -> String? {
        let expanded = (name as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return loader.isDirectory(expanded) ? expanded : nil }
        let candidates = [directory + "/roles/" + name] + searchPaths.map { $0 + "/" + name } + [directory + "/" + name]
            + (siblingDirectory.map { [$0 + "/" + name] } ?? [])
        if let found = candidates.first(where: { loader.isDirectory($0) }) { return found }
        // `namespace.collection.role`, or a short name in a collection of the `collections:` keyword.
        if name.split(separator: ".").count == 3 { return parser.collections?.rolePath(name) }
        for collection in parser.collectionSearch where !name.contains(".") {
            if let path = parser.collections?.rolePath(collection + "." + name) { return path }
        }
        return nil
    }

    /// Loads a role from a `roles:` entry (a name, or a dict with `role:`/`name:`).
    func load(_ entry: YAMLNode, playDirectory: String, depth: Int = 0) throws -> Role {
        guard depth < 32 else { throw TroupeError(.parse, "role dependencies are nested too deeply", location: entry.location) }
        var name: String?
        var params = OrderedDict()
        var keywords = Keywords()
        switch entry.kind {
        case .scalar(let v):
            name = v.stringValue
            if let name, name.contains(",") {
                throw TroupeError(.execution, "Invalid old style role requirement: \(name)", location: entry.location)
            }
        case .mapping(let entries):
            for e in entries {
                if e.key == "role" || e.key == "name" {
                    name = e.value.scalar?.stringValue
                } else if Keywords.common.contains(e.key) || e.key == "when" || e.key == "delegate_to" {
                    keywords.set(e.key, e.value.value, at: e.keyLocation)
                } else {
                    params[e.key] = e.value.value
                }
            }
        case .sequence:
            break
        }
        guard let roleName = name, !roleName.isEmpty else {
            throw TroupeError(.parse, "role definitions must contain a role name", location: entry.location)
        }
        return try load(named: roleName, params: params, keywords: keywords, playDirectory: playDirectory,
                        location: entry.location, depth: depth)
    }

    func load(named roleName: String, params: OrderedDict, keywords: Keywords, playDirectory: String,
              location: SourceLocation?, depth: Int = 0, entryPoints: RoleEntryPoints = RoleEntryPoints(),
              validate: Bool = true) throws -> Role {
        let (tasksFrom, varsFrom, defaultsFrom, handlersFrom) =
            (entryPoints.tasks, entryPoints.vars, entryPoints.defaults, entryPoints.handlers)
        guard let path = locate(roleName, relativeTo: playDirectory) else {
            let searched = ([playDirectory + "/roles"] + searchPaths + [playDirectory]).joined(separator: ":")
            throw TroupeError(.parse, "the role '\(roleName)' was not found in \(searched)", location: location)
        }
        let inCollection = RoleLoader.collection(ofRole: path)
        let role = Role(name: inCollection != nil && roleName.split(separator: ".").count == 3 ? roleName : (roleName as NSString).lastPathComponent,
                        path: path)
        parser.moduleLibrary?.add(directory: path + "/library")
        parser.pythonPlugins?.add(root: path)
        role.params = params
        role.keywords = keywords
        role.entryPoints = entryPoints
        role.defaults = try loadVars(path + "/defaults", main: defaultsFrom)
        role.vars = try loadVars(path + "/vars", main: varsFrom)
        if let entryVars = keywords["vars"]?.dictValue { role.entryVars = entryVars }
        let meta = try mainFile(path + "/meta", "main").flatMap { try loader.loadYAML($0) }
        // A role's tasks search its own collection first, then its meta `collections:`; not the play's.
        var taskParser = parser
        taskParser.collectionSearch = (inCollection.map { [$0] } ?? []) + PlaybookParser.collectionList(meta?["collections"])
        if let meta {
            if let allow = meta["allow_duplicates"]?.scalar { role.allowDuplicates = ArgumentSpec.boolean(allow) ?? false }
            for dep in meta["dependencies"]?.items ?? [] {
                let dependency = try load(dep, playDirectory: playDirectory, depth: depth + 1)
                dependency.dependent = role
                role.dependencies.append(dependency)
            }
        }
        // Static imports inside the role template their paths with its variables and role_path.
        var roleParser = taskParser
        roleParser.staticVariables.merge(role.defaults)
        roleParser.staticVariables.merge(role.vars)
        roleParser.staticVariables.merge(role.entryVars)
        roleParser.staticVariables.merge(params)
        roleParser.staticVariables["role_path"] = .string(path)
        roleParser.playbookDirectory = roleParser.playbookDirectory ?? playDirectory
        roleParser.staticVariables["role_name"] = .string(role.shortName)
        if let tasksFile = try mainFile(path + "/tasks", tasksFrom, role: roleName) {
            role.taskBlocks = try loadTaskFile(tasksFile, isHandler: false, parser: roleParser)
        } else if tasksFrom != "main" {
            throw TroupeError(.parse, "Could not find specified file in role: tasks/\(tasksFrom)", location: location)
        }
        if validate, let spec = try argumentSpecs(rolePath: path, meta: meta)[tasksFrom]?.dictValue {
            let task = validationTask(role: role, entryPoint: tasksFrom, spec: spec)
            role.taskBlocks.insert(Block(block: [.task(task)]), at: 0)
        }
        if let handlersFile = try mainFile(path + "/handlers", handlersFrom, role: roleName) {
            role.handlerBlocks = try loadTaskFile(handlersFile, isHandler: true, parser: roleParser)
        }
        for b in role.taskBlocks + role.handlerBlocks { b.setRole(role) }
        // A role imported by this one's tasks has this one in its dep chain (ansible-core's
        // parent_role): it sees this role's vars and defaults.
        role.importedRoles = role.taskBlocks.flatMap(\.importedRoles)
        for imported in role.importedRoles where imported.dependent == nil { imported.dependent = role }
        if depth == 0 { role.resolveInheritedVariables() }
        return role
    }

    /// `ns.coll` for a role inside an installed collection (`…/ansible_collections/ns/coll/roles/x`).
    static func collection(ofRole path: String) -> String? {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 5, parts[parts.count - 2] == "roles", parts[parts.count - 5] == "ansible_collections" else { return nil }
        return parts[parts.count - 4] + "." + parts[parts.count - 3]
    }

    private func loadTaskFile(_ file: String, isHandler: Bool, parser: PlaybookParser) throws -> [Block] {
        guard let root = try loader.loadYAML(file) else { return [] }
        return try parser.parseTaskList(root, directory: (file as NSString).deletingLastPathComponent, isHandler: isHandler)
    }

    /// `dir/name.yml`, `.yaml`, `.json`, no extension, or `dir/name/` (all files, sorted).
    func mainFile(_ directory: String, _ name: String, role: String? = nil) throws -> String? {
        for ext in ["", ".yml", ".yaml", ".json"] {
            // An absolute name stays absolute, as Python's os.path.join keeps it.
            let candidate = (name.hasPrefix("/") ? name : directory + "/" + name) + ext
            guard loader.fileExists(candidate) && !loader.isDirectory(candidate) else { continue }
            // `tasks_from: ../../x.yml` or an absolute path: ansible-core refuses a file
            // outside the role's directory for that kind of file.
            let resolved = (candidate as NSString).standardizingPath
            if let role, !resolved.hasPrefix((directory as NSString).standardizingPath + "/") {
                throw TroupeError(.parse, "Failed loading '\(candidate)' for role (\(role)) as it is not inside the expected role path: '\(directory)'")
            }
            return candidate
        }
        return nil
    }

    private func loadVars(_ directory: String, main: String) throws -> OrderedDict {
        if let file = try mainFile(directory, main) { return try loader.loadVariablesFile(file) }
        let dir = directory + "/" + main
        guard loader.isDirectory(dir) else { return OrderedDict() }
        var merged = OrderedDict()
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        for f in files where [".yml", ".yaml", ".json"].contains(where: f.hasSuffix) {
            merged.merge(try loader.loadVariablesFile(dir + "/" + f))
        }
        return merged
    }
}

extension Role {
    /// The roles that pulled this one in as a dependency, outermost first.
    var dependencyChain: [Role] {
        var chain: [Role] = []
        var current = dependent
        while let role = current { chain.insert(role, at: 0); current = role.dependent }
        return chain
    }

    /// Every dependency, recursively, each after its own dependencies (ansible-core's
    /// get_all_dependencies order).
    var allDependencies: [Role] {
        dependencies.flatMap { $0.allDependencies + [$0] }
    }

    /// Computes `taskVars`, `taskParams` and `taskDefaults` for this role and its
    /// dependencies, as ansible-core's Role.get_vars / get_role_params / get_default_vars
    /// do with the task's dep chain: a dependency sees its parents' vars and params, and a
    /// role sees its dependencies' vars and defaults below its own.
    func resolveInheritedVariables() {
        let chain = dependencyChain
        var vars = OrderedDict(), params = OrderedDict(), defaults = OrderedDict()
        for parent in chain {
            vars.merge(parent.entryVars)
            vars.merge(parent.vars)
            params.merge(parent.params)
            defaults.merge(parent.defaults)
        }
        var seen = Set<ObjectIdentifier>()
        var dependencyVars = OrderedDict(), dependencyDefaults = OrderedDict()
        for dependency in allDependencies where seen.insert(ObjectIdentifier(dependency)).inserted {
            dependencyVars.merge(dependency.vars)
            dependencyDefaults.merge(dependency.defaults)
        }
        vars.merge(dependencyVars)
        vars.merge(self.vars)
        vars.merge(entryVars)
        params.merge(self.params)
        dependencyDefaults.merge(defaults)
        dependencyDefaults.merge(self.defaults)
        taskVars = vars
        taskParams = params
        taskDefaults = dependencyDefaults
        for dependency in dependencies + importedRoles { dependency.resolveInheritedVariables() }
    }

    /// The role's tasks with its dependencies' first (recursively), each role's in a block
    /// that carries it and ends with the implicit `meta: role_complete` ansible-core appends.
    /// Nothing is left out here: a role that already completed on a host (same identity) is
    /// skipped at run time, per host, by the play iterator.
    func blocksWithDependencies() -> [BlockItem] {
        var items: [BlockItem] = []
        for dep in dependencies { items += dep.blocksWithDependencies() }
        let wrapper = Block(block: taskBlocks.map { .block($0) })
        wrapper.setRole(self)
        return items + [.block(wrapper), .block(completionBlock())]
    }

    /// ansible-core's end-of-role block: a `meta: role_complete` that marks the role
    /// completed on the hosts where one of its tasks ran (ok, changed or failed).
    func completionBlock() -> Block {
        var keywords = Keywords()
        keywords.set("tags", ["always"])
        let task = Task(action: "meta", args: ["_raw_params": "role_complete"], keywords: keywords, location: nil, isImplicit: true)
        let block = Block(block: [.task(task)])
        block.setRole(self)
        return block
    }
}

extension Block {
    /// Marks this block and everything below as belonging to `role`.
    func setRole(_ role: Role) {
        // The blocks an `import_role` put here carry the imported role already.
        guard importedRole == nil else { return }
        self.role = role
        self.roleName = role.name
        for item in block + rescue + always {
            switch item {
            case .task(let t): t.roleName = role.name
            case .block(let b): b.setRole(role)
            }
        }
    }

    /// The roles `import_role` put in this block or below, outermost first.
    var importedRoles: [Role] {
        if let importedRole { return [importedRole] }
        return (block + rescue + always).flatMap { item -> [Role] in
            if case .block(let b) = item { return b.importedRoles }
            return []
        }
    }

    /// The role of the nearest enclosing block that has one.
    var enclosingRole: Role? { role ?? parent?.enclosingRole }
}
