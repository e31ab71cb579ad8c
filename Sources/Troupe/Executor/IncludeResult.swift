import Jinja

/// The result an `include_tasks`/`include_role` task reports, shaped as ansible-core's:
/// `{include: FILE, include_args: {…}}` for task files, `{include_args: {…}}` for roles
/// (callbacks, `register` and runner events see this), and the arguments the strategy
/// loads the include with, read back from it.
enum IncludeResult {
    static func make(action: String, arguments: OrderedDict) -> OrderedDict {
        var args = arguments
        if action == "include_role" { return ["include_args": .dict(args)] }
        let file = args.removeValue(forKey: "_raw_params") ?? args.removeValue(forKey: "file") ?? .null
        _ = args.removeValue(forKey: "file")
        return ["include": file, "include_args": .dict(args)]
    }

    /// The include's arguments (`_raw_params` holding the file), or nil when `result` is
    /// not an include result.
    static func arguments(_ result: OrderedDict) -> OrderedDict? {
        guard var args = result["include_args"]?.dictValue else { return nil }
        if let file = result["include"] { args["_raw_params"] = file }
        return args
    }
}
