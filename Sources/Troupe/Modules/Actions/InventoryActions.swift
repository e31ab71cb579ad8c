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
            vars["ansible_port"] = .int(Int(hostName[hostName.index(after: colon)...])!)
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
            let path = loader.absolutePath(dir, relativeTo: base)
            let matching = args["files_matching"]?.stringValue
            let extensions = (args["extensions"]?.listValue?.map(\.pythonString)) ?? ["yaml", "yml", "json"]
            let depth = args["depth"]?.intValue ?? 0
            files = listFiles(path, depth: depth, current: 1).filter { f in
                let name = (f as NSString).lastPathComponent
                return extensions.contains((name as NSString).pathExtension)
                    && (matching.map { name.range(of: $0, options: .regularExpression) != nil } ?? true)
            }.sorted()
        } else if let file = (args["file"] ?? args["_raw_params"])?.stringValue {
            var path = loader.absolutePath(file, relativeTo: base)
            if !loader.fileExists(path) { path = loader.absolutePath(file, relativeTo: context.play.playbookDirectory) }
            guard loader.fileExists(path) else {
                return ["failed": true, "changed": false, "msg": .string("Could not find or access '\(file)'")]
            }
            files = [path]
        } else {
            return ["failed": true, "changed": false, "msg": "one of the following is required: dir, file, _raw_params"]
        }
        var vars = OrderedDict()
        for f in files { vars.merge(try loader.loadVariablesFile(f)) }
        if let name = args["name"]?.stringValue { vars = [name: .dict(vars)] }
        return ["ansible_facts": .dict(vars), "ansible_included_var_files": .list(files.map(Value.string)), "changed": false]
    }

    private func listFiles(_ dir: String, depth: Int, current: Int) -> [String] {
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        var out: [String] = []
        for e in entries {
            let p = dir + "/" + e
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: p, isDirectory: &isDir)
            if isDir.boolValue {
                if depth == 0 || current < depth { out += listFiles(p, depth: depth, current: current + 1) }
            } else {
                out.append(p)
            }
        }
        return out
    }
}
