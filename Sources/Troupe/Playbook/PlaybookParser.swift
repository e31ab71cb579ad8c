import Foundation
import Jinja

/// Turns playbook YAML into plays, blocks and tasks, rejecting what ansible-playbook
/// rejects with the same messages and the file:line:column of the offending entry.
public struct PlaybookParser {
    /// Reads playbook, task, vars and role files (and caches them).
    public let loader: DataLoader
    /// Whether an action name resolves to a module or action plugin.
    public let actionExists: (String) -> Bool
    /// `roles_path` entries searched after `roles/` next to the playbook.
    public var rolesPath: [String] = []
    /// ExecutionOptions.privateRoleVars: whether roles' vars stay private by default.
    var privateRoleVars: Bool?
    /// The playbook's directory while a role is parsed: ansible-core's loader basedir, the
    /// last place a role's `import_tasks` file is searched.
    var playbookDirectory: String?
    /// Parsing the sections of a handler's block: a block there would be a block as a
    /// handler, which ansible-core refuses.
    var inHandlerBlock = false
    /// Receives the `library/` directories of playbooks and roles as they are parsed.
    public var moduleLibrary: ModuleLibrary?
    /// Where Python plugin directories and the tasks running Python action plugins are recorded.
    public var pythonPlugins: PythonPluginCatalog?
    /// `--extra-vars`: with them (and, while parsing a play or role, its vars and `role_path`)
    /// the paths of static imports are templated, as ansible-core does.
    public var extraVars = OrderedDict()
    /// The play's and role's variables available while parsing (below ``extraVars``).
    var staticVariables = OrderedDict()
    /// The `vars:` of the `import_playbook` entries being expanded: static imports in the
    /// plays they bring are templated with them too.
    var importPlaybookVars = OrderedDict()
    /// Installed collections: roles by FQCN, `collections/` next to each playbook.
    public var collections: CollectionIndex?
    /// The `collections:` keyword in force (play, or the role being loaded): collections
    /// searched, in order, for short module names before the builtins.
    public var collectionSearch: [String] = []

    /// A parser; tasks whose action fails `actionExists` are rejected with Ansible's "couldn't resolve module/action" error.
    public init(loader: DataLoader, actionExists: @escaping (String) -> Bool, rolesPath: [String] = []) {
        self.loader = loader
        self.actionExists = actionExists
        self.rolesPath = rolesPath
    }

    var roleLoader: RoleLoader {
        // Inside a role, sibling roles (the role's parent directory) are found too, as ansible-core's role_basedir.
        let siblings = staticVariables["role_path"]?.stringValue.map { ($0 as NSString).deletingLastPathComponent }
        return RoleLoader(loader: loader, searchPaths: rolesPath, parser: self, siblingDirectory: siblings)
    }

    /// Parses a playbook file, expanding `import_playbook`.
    public func parsePlaybook(at path: String) throws -> Playbook {
        let absolute = loader.absolutePath(path)
        return Playbook(path: absolute, plays: try parsePlays(file: absolute, depth: 0))
    }

    private func parsePlays(file: String, depth: Int) throws -> [Play] {
        guard depth < 32 else { throw TroupeError(.parse, "import_playbook recursion is too deep: \(file)") }
        guard let root = try loader.loadYAML(file), root.scalar?.isNull != true else {
            throw TroupeError(.parse, "Empty playbook, nothing to do: \(file)")
        }
        if root.items?.isEmpty == true {
            throw TroupeError(.parse, "A playbook must contain at least one play: \(file)")
        }
        guard let entries = root.items else {
            throw TroupeError(.parse, "A playbook must be a list of plays, got \(root.typeDescription) instead", location: root.location)
        }
        let directory = (file as NSString).deletingLastPathComponent
        moduleLibrary?.add(directory: directory + "/library")
        pythonPlugins?.add(root: directory)
        collections?.add(root: directory + "/collections", first: true)
        var plays: [Play] = []
        for entry in entries {
            guard entry.entries != nil else {
                throw TroupeError(.parse, "playbook entries must be either valid plays or 'import_playbook' statements", location: entry.location)
            }
            if let importEntry = entry.entries?.first(where: { ModuleNames.shortName($0.key) == "import_playbook" }) {
                guard let rawTarget = importEntry.value.scalar?.stringValue else {
                    throw TroupeError(.parse, "import_playbook parameters must be a string", location: importEntry.keyLocation)
                }
                let target = try templatedStaticPath(rawTarget, directory: directory, location: importEntry.value.location)
                let path = loader.absolutePath(target, relativeTo: directory)
                guard loader.fileExists(path) else {
                    throw TroupeError(.parse, "Unable to retrieve file contents\nCould not find or access '\(path)'", location: importEntry.value.location)
                }
                var importParser = self
                importParser.importPlaybookVars.merge(entry["vars"]?.value.dictValue ?? OrderedDict())
                let imported = try importParser.parsePlays(file: path, depth: depth + 1)
                let when = entry["when"]?.value, tags = entry["tags"]?.value
                if (when.map { !$0.isNull } ?? false) || (tags.map { !$0.isNull } ?? false) {
                    for play in imported { play.applyImportKeywords(when: when?.isNull == false ? when : nil, tags: tags?.isNull == false ? tags : nil) }
                }
                // The import's own `vars:` reach every play it brings, above their play vars
                // (ansible-core's PlaybookInclude combines them that way).
                if let importVars = entry["vars"]?.value.dictValue {
                    for play in imported { play.vars.merge(importVars) }
                }
                plays.append(contentsOf: imported)
                continue
            }
            plays.append(try parsePlay(entry, directory: directory))
        }
        return plays
    }

    func parsePlay(_ node: YAMLNode, directory: String) throws -> Play {
        var parser = self
        parser.collectionSearch = PlaybookParser.collectionList(node["collections"])
        return try parser.parsePlayContent(node, directory: directory)
    }

    /// The names of a `collections:` keyword (a list, or one name).
    static func collectionList(_ node: YAMLNode?) -> [String] {
        guard let value = node?.value else { return [] }
        if let name = value.stringValue { return [name] }
        return (value.listValue ?? []).compactMap(\.stringValue)
    }

    private func parsePlayContent(_ node: YAMLNode, directory: String) throws -> Play {
        var keywords = Keywords()
        if node.entry("user") != nil && node.entry("remote_user") != nil {
            throw TroupeError(.parse, "both 'user' and 'remote_user' are set for this play. The use of 'user' is deprecated, and should be removed", location: node.location)
        }
        for entry in node.entries ?? [] {
            // `user:` is the old name of `remote_user:` (ansible-core still renames it).
            if entry.key == "user" {
                keywords.set("remote_user", entry.value.value, at: entry.keyLocation)
                continue
            }
            guard Keywords.play.contains(entry.key) else {
                throw TroupeError(.parse, "'\(entry.key)' is not a valid attribute for a Play", location: entry.keyLocation)
            }
            keywords.set(entry.key, entry.value.value, at: entry.keyLocation)
        }
        guard let hosts = keywords["hosts"] else {
            throw TroupeError(.parse, "The field 'hosts' is required but was not set.", location: node.location)
        }
        let hostsLocation = node.entry("hosts")?.value.location ?? node.location
        switch hosts {
        case .null, .string(""), .list([]):
            throw TroupeError(.parse, "Hosts list cannot be empty. Please check your playbook", location: hostsLocation)
        case .string, .unsafe, .list:
            break
        default:
            throw TroupeError(.parse, "Hosts list must be a sequence or string. Please check your playbook.", location: hostsLocation)
        }
        if let gather = node.entry("gather_facts"), let value = gather.value.scalar, !value.isNull,
           !(value.stringValue.map(Environment.isTemplate) ?? false), ArgumentSpec.boolean(value) == nil {
            throw TroupeError(.parse, "Error processing keyword 'gather_facts': The value \(value.pythonRepr) could not be converted to 'bool'.",
                              location: gather.value.location)
        }
        if let vars = node["vars"], vars.entries == nil, !(vars.scalar?.isNull ?? false) {
            throw TroupeError(.parse, "Vars in a Play must be specified as a dictionary.", location: vars.location)
        }
        let play = Play(keywords: keywords, location: node.location, baseDirectory: directory)
        var parser = self
        parser.staticVariables = keywords["vars"]?.dictValue ?? OrderedDict()
        parser.staticVariables.merge(importPlaybookVars)
        return try parser.parsePlayContents(node, play: play, directory: directory)
    }

    private func parsePlayContents(_ node: YAMLNode, play: Play, directory: String) throws -> Play {
        // Roles load first, as in ansible-core: their library/ modules resolve in the play's tasks.
        if let roles = node["roles"], !(roles.scalar?.isNull ?? false) {
            guard let items = roles.items else {
                throw TroupeError(.parse, "A malformed role declaration was encountered.", location: roles.location)
            }
            play.roles = try items.map { try roleLoader.load($0, playDirectory: directory) }
            for role in play.roles { role.isPublic = !(privateRoleVars ?? false) }
        }
        play.preTasks = try parseTaskList(node["pre_tasks"], directory: directory, isHandler: false, section: "pre_tasks")
        play.tasks = try parseTaskList(node["tasks"], directory: directory, isHandler: false)
        play.postTasks = try parseTaskList(node["post_tasks"], directory: directory, isHandler: false, section: "post_tasks")
        play.handlers = try parseTaskList(node["handlers"], directory: directory, isHandler: true, section: "handlers")
        play.attachChildren()
        return play
    }

    /// A list of tasks/blocks, wrapped into blocks: consecutive tasks share one implicit block.
    func parseTaskList(_ node: YAMLNode?, directory: String, isHandler: Bool, section: String = "tasks") throws -> [Block] {
        guard let node else { return [] }
        if node.scalar?.isNull ?? false { return [] }
        guard let items = node.items else {
            // ansible-core names the section and shows the value and its (tagged) Python type.
            let value = node.value
            let type = value.pythonTypeName
            let tagged = ["int", "str", "float", "dict"].contains(type)
                ? "ansible.module_utils._internal._datatag._AnsibleTagged\(type.prefix(1).uppercased() + type.dropFirst())" : type
            throw TroupeError(.parse, "A malformed block was encountered while loading \(section): \(value.pythonString) should be a list or None but is <class '\(tagged)'>", location: node.location)
        }
        var blocks: [Block] = []
        var pending: [BlockItem] = []
        for item in try parseItems(items, directory: directory, isHandler: isHandler) {
            switch item {
            case .block(let b):
                if !pending.isEmpty { blocks.append(Block(block: pending)); pending = [] }
                blocks.append(b)
            case .task:
                pending.append(item)
            }
        }
        if !pending.isEmpty { blocks.append(Block(block: pending)) }
        return blocks
    }

    func parseItems(_ items: [YAMLNode], directory: String, isHandler: Bool, depth: Int = 0) throws -> [BlockItem] {
        guard depth < 64 else { throw TroupeError(.parse, "blocks are nested too deeply", location: items.first?.location) }
        var result: [BlockItem] = []
        for item in items {
            guard let entries = item.entries else {
                if item.scalar?.isNull ?? false { continue }
                throw TroupeError(.parse, "A malformed block was encountered while loading a block", location: item.location)
            }
            if entries.contains(where: { Keywords.blockOnly.contains($0.key) }) {
                if isHandler && inHandlerBlock {
                    throw TroupeError(.parse, "Using a block as a handler is not supported.", location: item.location)
                }
                result.append(.block(try parseBlock(item, directory: directory, isHandler: isHandler, depth: depth)))
                continue
            }
            let task: Task
            do {
                let taskParser = TaskParser(actionExists: actionOrPythonPluginExists(directory: directory), warn: loader.warn,
                                            collectionSearch: collectionSearch)
                task = try taskParser.parse(item, isHandler: isHandler)
                recordPythonActionPlugin(task, directory: directory)
                if isHandler, ["include_role", "import_role"].contains(task.shortAction) {
                    throw TroupeError(.parse, "Using '\(task.shortAction)' as a handler is not supported.", location: item.location)
                }
            } catch var error as TroupeError where error.message.hasPrefix("couldn't resolve module/action '") {
                if let plugin = pythonActionPlugin(named: error.message, directory: directory) { error.message = plugin }
                throw error
            }
            if task.shortAction == "import_tasks" {
                result.append(.block(try importTasks(task, directory: directory, isHandler: isHandler, depth: depth)))
            } else if task.shortAction == "import_role" {
                result.append(.block(try importRole(task, directory: directory)))
            } else {
                result.append(.task(task))
            }
        }
        return result
    }

    private func parseBlock(_ node: YAMLNode, directory: String, isHandler: Bool, depth: Int) throws -> Block {
        var keywords = Keywords()
        for entry in node.entries ?? [] {
            guard Keywords.block.contains(entry.key) else {
                throw TroupeError(.parse, "'\(entry.key)' is not a valid attribute for a Block", location: entry.keyLocation)
            }
            if !Keywords.blockOnly.contains(entry.key) {
                keywords.set(entry.key, entry.value.value, at: entry.keyLocation)
            }
        }
        func section(_ key: String) throws -> [BlockItem] {
            guard let n = node[key], !(n.scalar?.isNull ?? false) else { return [] }
            guard let items = n.items else {
                throw TroupeError(.parse, "A malformed block was encountered while loading a block", location: n.location)
            }
            var sectionParser = self
            sectionParser.inHandlerBlock = isHandler
            return try sectionParser.parseItems(items, directory: directory, isHandler: isHandler, depth: depth + 1)
        }
        return Block(block: try section("block"), rescue: try section("rescue"), always: try section("always"),
                     keywords: keywords, location: node.location)
    }

    /// `import_role` is static: the role's tasks (after its dependencies') become a block in place.
    private func importRole(_ task: Task, directory: String) throws -> Block {
        guard let rawName = (task.args["name"] ?? task.args["role"])?.stringValue else {
            throw TroupeError(.parse, "'name' is a required field for import_role.", location: task.location)
        }
        let name = try templatedStaticPath(rawName, directory: directory, location: task.location)
        if task.args["apply"] != nil {
            throw TroupeError(.parse, "Invalid options for import_role: apply", location: task.location)
        }
        // The task's `vars:` become the role entry's vars keyword (ansible-core's `ri.vars |=
        // self.vars`), not role parameters: the argument spec check does not see them as given.
        var entryKeywords = Keywords()
        if let vars = task.keywords["vars"] { entryKeywords.set("vars", vars) }
        let role = try roleLoader.load(named: name, params: OrderedDict(), keywords: entryKeywords, playDirectory: directory,
                                       location: task.location, entryPoints: RoleEntryPoints(task.args),
                                       validate: ArgumentSpec.boolean(task.args["rolespec_validate"] ?? true) ?? true)
        role.isPublic = ArgumentSpec.boolean(task.args["public"] ?? .bool(!(privateRoleVars ?? false))) ?? true
        // As ansible-core's include/import: the role itself runs again unless told not to.
        role.fromInclude = true
        role.allowDuplicates = ArgumentSpec.boolean(task.args["allow_duplicates"] ?? true) ?? true
        let block = Block(block: role.blocksWithDependencies(), keywords: task.keywords, location: task.location)
        block.importedRole = role
        return block
    }

    /// `import_tasks: file.yml` is static: its tasks become a block in place.
    private func importTasks(_ task: Task, directory: String, isHandler: Bool, depth: Int) throws -> Block {
        guard let rawFile = (task.args["_raw_params"] ?? task.args["file"])?.stringValue else {
            throw TroupeError(.parse, "No file specified for import_tasks", location: task.location)
        }
        let file = try templatedStaticPath(rawFile, directory: directory, location: task.location)
        // Inside a role, ansible-core's path_dwim_relative goes on to the role's tasks/ and
        // then the playbook's directory (a role's handlers importing the play's handlers.yml).
        var candidates = [loader.absolutePath(file, relativeTo: directory)]
        if let rolePath = staticVariables["role_path"]?.stringValue {
            candidates.append(loader.absolutePath(file, relativeTo: rolePath + "/tasks"))
            if let playbookDirectory { candidates.append(loader.absolutePath(file, relativeTo: playbookDirectory)) }
        }
        guard let path = candidates.first(where: { loader.fileExists($0) }) else {
            throw TroupeError(.parse, "Could not find or access '\(file)'", location: task.location)
        }
        var items: [BlockItem] = []
        if let root = try loader.loadYAML(path), !(root.scalar?.isNull ?? false) {
            guard let list = root.items else {
                throw TroupeError(.parse, "included task files must contain a list of tasks", location: root.location)
            }
            items = try parseItems(list, directory: (path as NSString).deletingLastPathComponent, isHandler: isHandler, depth: depth + 1)
        }
        // The import's own keywords (when, tags, vars …) apply to every imported task.
        return Block(block: items, keywords: task.keywords, location: task.location)
    }

    /// A static import's path or name rendered with the variables known while parsing
    /// (the play's and role's vars, `role_path`, extra vars); ansible-core templates these
    /// too, and fails the same way when a variable is not defined yet.
    func templatedStaticPath(_ text: String, directory: String, location: SourceLocation?) throws -> String {
        guard Environment.isTemplate(text) else { return text }
        var variables = staticVariables
        variables.merge(extraVars)
        var lookup: [String: Value] = [:]
        for (k, v) in variables { lookup[k] = v }
        lookup["playbook_dir"] = lookup["playbook_dir"] ?? .string(directory)
        do {
            let templar = Templar(baseDirectory: directory)
            var value = try templar.template(.string(text), StaticVariables(variables: lookup, templar: templar))
            if case .unsafe(let s) = value { value = .string(s) }
            return value.pythonString
        } catch {
            throw TroupeError(.parse, TaskErrorText.message(error), location: location)
        }
    }
}

/// Variables for templating at parse time, each rendered on use (a play var may refer to another).
private struct StaticVariables: VariableLookup {
    let variables: [String: Value]
    let templar: Templar
    func lookup(_ name: String) throws -> Value? {
        guard let value = variables[name] else { return nil }
        return try templar.template(value, self)
    }
}

extension PlaybookParser {
    /// `actionExists`, extended to the Python action plugins this parser records.
    func actionOrPythonPluginExists(directory: String) -> (String) -> Bool {
        guard pythonPlugins != nil else { return actionExists }
        let exists = actionExists, role = staticVariables["role_path"]?.stringValue, collections = self.collections
        return { name in
            exists(name) || PythonPluginCatalog.actionFile(name, directory: directory, role: role, collections: collections) != nil
        }
    }

    /// Records the Python action plugin file a task runs, when its action is not Troupe's own.
    func recordPythonActionPlugin(_ task: Task, directory: String) {
        guard let pythonPlugins, !actionExists(task.action),
              let file = PythonPluginCatalog.actionFile(task.action, directory: directory, role: staticVariables["role_path"]?.stringValue,
                                                        collections: collections) else { return }
        pythonPlugins.registerAction(file, for: task)
    }

    /// For an action that did not resolve, in a parser that records no Python plugins: the
    /// error naming the Python action plugin ansible-core would run for it.
    func pythonActionPlugin(named unresolved: String, directory: String) -> String? {
        let quoted = unresolved.dropFirst("couldn't resolve module/action '".count)
        guard let name = quoted.split(separator: "'").first.map(String.init),
              let file = PythonPluginCatalog.actionFile(name, directory: directory, role: staticVariables["role_path"]?.stringValue,
                                                        collections: collections) else { return nil }
        return "the action '\(name)' is the Python action plugin \(file), which this parser cannot run (it records no Python plugins)"
    }
}
