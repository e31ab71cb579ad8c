import Foundation
import Jinja

/// `add_host`: adds a host (with groups and variables) to the in-memory inventory.
struct AddHostAction: ActionPlugin {
    let name = "add_host"
    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        guard let hostName = (args["name"] ?? args["host"] ?? args["hostname"])?.stringValue else {
            return ["failed": true, "changed": false, "msg": "name or hostname arg needs to be provided"]
        }
        let groupsValue = args["groups"] ?? args["group"] ?? args["groupname"] ?? .list([])
        let groups = groupsValue.listValue?.map(\.pythonString)
            ?? groupsValue.pythonString.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var vars = OrderedDict()
        for (k, v) in args where !["name", "host", "hostname", "groups", "group", "groupname"].contains(k) { vars[k] = v }
        var name = hostName
        if let colon = hostName.lastIndex(of: ":"), !hostName.contains("]"), Int(hostName[hostName.index(after: colon)...]) != nil {
            vars["ansible_ssh_port"] = .int(Int(hostName[hostName.index(after: colon)...])!)  // the name ansible-core sets
            name = String(hostName[..<colon])
        }
        var added = OrderedDict()
        added["host_name"] = .string(name)
        added["groups"] = .list(groups.map(Value.string))
        added["host_vars"] = .dict(vars)
        return ["add_host": .dict(added), "changed": true]
    }
}

/// `group_by`: puts the host into a group named by `key` (with optional parents).
struct GroupByAction: ActionPlugin {
    let name = "group_by"
    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        guard let key = args["key"]?.pythonString ?? args["_raw_params"]?.pythonString else {
            return ["failed": true, "changed": false, "msg": "the 'key' param is required when using group_by"]
        }
        let group = key.replacingOccurrences(of: " ", with: "-")
        let parents = ((args["parents"]?.listValue?.map(\.pythonString)) ?? (args["parents"].map { [$0.pythonString] } ?? ["all"]))
            .map { $0.replacingOccurrences(of: " ", with: "-") }
        var result: OrderedDict = ["add_group": .string(group), "parent_groups": .list(parents.map(Value.string)), "changed": false]
        // ansible-core keeps such names (TRANSFORM_INVALID_GROUP_CHARS=never) but warns, once per run.
        if ([group] + parents).contains(where: { $0.range(of: #"^[0-9\W]|\W"#, options: .regularExpression) != nil }) {
            result["warnings"] = ["Invalid characters were found in group names but not replaced, use -vvvv to see details"]
        }
        return .dict(result)
    }
}

/// `include_vars`: loads variables from a file or directory into the host's
/// include_vars layer (or under `name`).
struct IncludeVarsAction: ActionPlugin {
    let name = "include_vars"
    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        let base = context.task.parent?.enclosingRole.map { $0.path + "/vars" } ?? context.play.playbookDirectory
        let loader = context.run.loader
        var files: [String] = []
        if let dir = args["dir"]?.stringValue {
            let role = context.task.parent?.enclosingRole
            let path = directoryPath(dir, role: role, taskFile: context.task.location?.file, fallback: base)
            guard loader.fileExists(path) else {
                return ["failed": true, "changed": false, "message": .string("\(path) directory does not exist"), "ansible_facts": [:]]
            }
            guard loader.isDirectory(path) else {
                return ["failed": true, "changed": false, "message": .string("\(path) is not a directory"), "ansible_facts": [:]]
            }
            let matching = try args["files_matching"]?.stringValue.map { try NSRegularExpression(pattern: $0) }
            let ignored = try ignorePatterns(args["ignore_files"])
            let extensions = args["extensions"]?.listValue?.map(\.pythonString)
                ?? args["extensions"]?.stringValue.map { $0.map(String.init) } ?? ["yaml", "yml", "json"]
            let ignoreUnknown = args["ignore_unknown_extensions"]?.isTruthy ?? false
            let depth = args["depth"]?.intValue ?? 0
            for (root, names) in walk(path, depth: depth) {
                for name in names {
                    let file = root + "/" + name
                    // A role's own vars/main.yml is never included again.
                    if let role, file == role.path + "/vars/main.yml" { continue }
                    if let matching, matching.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) == nil { continue }
                    if ignored.contains(where: { $0.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil }) { continue }
                    let ext = Self.pythonExtension(name)
                    if ignoreUnknown && !extensions.contains(ext) { continue }
                    guard extensions.contains(ext) else {
                        return ["failed": true, "changed": false, "ansible_facts": [:], "ansible_included_var_files": .list(files.map(Value.string)),
                                "message": .string("\(file) does not have a valid extension: \(extensions.joined(separator: ", "))")]
                    }
                    files.append(file)
                }
            }
        } else if args["file"] != nil || args["_raw_params"] != nil {
            // As ansible-core: `file` (or the raw params, final newlines dropped) is found on the
            // task's search path under `vars/`; a failure is reported in `message`.
            let file = args["file"].flatMap { $0.isNull ? nil : $0.pythonString }.flatMap { $0.isEmpty ? nil : $0 }
                ?? args["_raw_params"]?.stringValue.map { $0.trimmingTrailing("\n") }
            let notFound = "Could not find file on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option"
            guard let file, !file.isEmpty else {
                return ["failed": true, "changed": false, "ansible_facts": [:], "ansible_included_var_files": [], "message": .string(notFound)]
            }
            var found = ControllerFileSearch(context: context).find(file, kind: "vars")
            if found == nil || loader.isDirectory(found!) {
                let path = loader.absolutePath(file, relativeTo: base)
                found = loader.fileExists(path) ? path : nil
            }
            guard let path = found else {
                return ["failed": true, "changed": false, "ansible_facts": [:], "ansible_included_var_files": [],
                        "message": .string("Could not find or access '\(file)' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option"),
                        "msg": .string("Could not find or access '\(file)'")]
            }
            files = [path]
        } else {
            return ["failed": true, "changed": false, "msg": "one of the following is required: dir, file, _raw_params"]
        }
        var vars = OrderedDict()
        for f in files { vars.merge(try loader.loadVariablesFile(f)) }
        if let name = args["name"]?.stringValue { vars = [name: .dict(vars)] }
        // `hash_behaviour: merge`: dictionaries merge recursively into the host's current values.
        if args["hash_behaviour"]?.stringValue == "merge" {
            for (key, value) in vars {
                if let new = value.dictValue, let old = ((try? context.scope.lookup(key)) ?? nil)?.dictValue {
                    vars[key] = .dict(Self.mergeRecursively(old, new))
                }
            }
        }
        return ["ansible_facts": .dict(vars), "ansible_included_var_files": .list(files.map(Value.string)), "changed": false]
    }

    /// ansible-core's `combine_vars(..., merge=True)`: nested dictionaries merge, the rest replaces.
    static func mergeRecursively(_ old: OrderedDict, _ new: OrderedDict) -> OrderedDict {
        var out = old
        for (key, value) in new {
            if let a = out[key]?.dictValue, let b = value.dictValue { out[key] = .dict(mergeRecursively(a, b)) } else { out[key] = value }
        }
        return out
    }

    /// Where `dir` is, as ansible-core's include_vars finds it: in a role, `vars/…` from the
    /// role's path (when it exists) and anything else under the role's `vars/`; outside a
    /// role, next to the file the task is in.
    private func directoryPath(_ dir: String, role: Role?, taskFile: String?, fallback: String) -> String {
        if dir.hasPrefix("/") { return dir }
        if let role {
            if dir.split(separator: "/").first == "vars" {
                let candidate = role.path + "/" + dir
                return FileManager.default.fileExists(atPath: candidate) ? candidate : dir
            }
            return role.path + "/vars/" + dir
        }
        if let taskFile { return (taskFile as NSString).deletingLastPathComponent + "/" + dir }
        return fallback + "/" + dir
    }

    /// `ignore_files`: regular expressions matched at the end of each file name.
    private func ignorePatterns(_ value: Value?) throws -> [NSRegularExpression] {
        guard let value, !value.isNull else { return [] }
        let patterns = value.listValue?.map(\.pythonString) ?? value.stringValue?.split(separator: " ").map(String.init) ?? []
        return try patterns.map { pattern in
            do { return try NSRegularExpression(pattern: "(?:" + pattern + ")$") } catch {
                throw TroupeError(.module, "Invalid regular expression: \(pattern)")
            }
        }
    }

    /// Python's `os.path.splitext(name)[1][1:]`: the extension after the last dot, not
    /// counting leading dots.
    static func pythonExtension(_ name: String) -> String {
        let trimmed = name.drop { $0 == "." }
        guard let dot = trimmed.lastIndex(of: ".") else { return "" }
        return String(trimmed[trimmed.index(after: dot)...])
    }

    /// ansible-core's walk: every directory under `dir` (followed symlinks included) sorted by
    /// path, each with its file names sorted, directories deeper than `depth` left out.
    private func walk(_ dir: String, depth: Int) -> [(String, [String])] {
        var out: [(String, [String])] = []
        func visit(_ current: String, level: Int) {
            let entries = ((try? FileManager.default.contentsOfDirectory(atPath: current)) ?? []).sorted()
            var names: [String] = []
            for e in entries {
                var isDir: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: current + "/" + e, isDirectory: &isDir)
                if isDir.boolValue { visit(current + "/" + e, level: level + 1) } else { names.append(e) }
            }
            if depth == 0 || level <= depth { out.append((current, names)) }
        }
        visit(dir, level: 1)
        return out.sorted { $0.0 < $1.0 }
    }
}

private extension String {
    /// The string without trailing `character`s (Python's `rstrip(c)`).
    func trimmingTrailing(_ character: Character) -> String {
        var out = self
        while out.last == character { out.removeLast() }
        return out
    }
}
