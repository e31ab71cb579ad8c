import Foundation
import Jinja

/// A Python lookup plugin (`LookupModule().run(terms, variables, **kwargs)`), run in the
/// helper; its variables and its templar call back into Troupe.
struct PythonLookup: LookupPlugin {
    let name: String
    let path: String
    let host: PythonPluginHost
    let collectionRoots: [String]

    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        let fields: OrderedDict = ["path": .string(path), "name": .string(name), "terms": .list(terms), "kwargs": .dict(options),
                                   "basedir": .string(context.baseDirectory)]
        do {
            let answer = try host.call("lookup", fields, plugin: path, collectionPaths: collectionRoots) { operation, message in
                try PythonPluginCallbacks.answer(operation, message, variables: context.variables, environment: context.environment)
            }
            return answer.listValue ?? [answer]
        } catch let error as PythonPluginError {
            if error.type == "PluginLoadError" {
                throw JinjaError(.runtime, "The lookup plugin '\(name)' failed to load: \(error.message)")
            }
            throw JinjaError(.runtime, "The lookup plugin '\(name)' failed: \(error.message)")
        }
    }
}

/// The callbacks every Python plugin may make: variables and templating.
enum PythonPluginCallbacks {
    static func answer(_ operation: String, _ message: OrderedDict, variables: VariableLookup, environment: Environment?) throws -> Value {
        switch operation {
        case "var":
            guard let name = message["name"]?.stringValue, let value = try variables.lookup(name) else { return ["found": false] }
            if case .undefined = value { return ["found": false] }
            return ["found": true, "value": value]
        case "varnames":
            guard let scope = variables.underlyingVariables as? VariableScope else { return .list([]) }
            return .list(scope.allNames.map(Value.string))
        case "template":
            let value = message["value"] ?? .null
            guard let environment else { return value }
            return try Templar(environment: environment).template(value, variables)
        default:
            throw PythonPluginError(message: "unknown callback '\(operation)'", type: "")
        }
    }
}

/// A Python action plugin: an `ActionBase` subclass the helper builds with the task, play
/// context and templar Troupe describes. `_execute_module` and `_low_level_execute_command`
/// run modules on the host through Troupe; `action_loader.get(name).run()` runs Troupe's
/// native action (or module) of that name.
struct PythonAction: ActionPlugin {
    let name: String
    let path: String
    let host: PythonPluginHost
    let collectionRoots: [String]

    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        let task = context.task
        if let raw = task.args["_raw_params"]?.stringValue, !ModuleNames.isPossiblyAllTemplate(raw), !PythonAction.supportsRawParams(path) {
            let qualified = task.action.contains(".") ? task.action : "ansible.legacy." + task.action
            throw TroupeError(.execution, "Action '\(qualified)' does not support raw params.")
        }
        func flag(_ keyword: String, _ fallback: Bool) throws -> Bool {
            guard let raw = task.inherited(keyword) else { return fallback }
            return ArgumentSpec.boolean(try context.templar.template(raw, context.scope)) ?? fallback
        }
        let checkMode = try flag("check_mode", context.options.check)
        let diff = try flag("diff", context.options.diff)
        let noLog = try flag("no_log", false)
        var taskFields: OrderedDict = ["args": .dict(args), "action": .string(task.action), "resolved_action": .string(task.fullActionName),
                                       "name": task.keywords["name"] ?? .null, "async_val": 0, "poll": 15,
                                       "check_mode": .bool(checkMode), "diff": .bool(diff), "no_log": .bool(noLog)]
        if let delegate = task.inherited("delegate_to") { taskFields["delegate_to"] = try context.templar.template(delegate, context.scope) }
        let playContext: OrderedDict = ["check_mode": .bool(checkMode), "diff": .bool(diff), "no_log": .bool(noLog),
                                        "remote_addr": .string(context.host)]
        let baseDirectory = task.location.map { ($0.file as NSString).deletingLastPathComponent } ?? context.play.playbookDirectory
        let fields: OrderedDict = ["path": .string(path), "task": .dict(taskFields), "play_context": .dict(playContext),
                                   "basedir": .string(baseDirectory)]
        do {
            let result = try host.call("action", fields, plugin: path, collectionPaths: collectionRoots) { operation, message in
                try callback(operation, message, context: context)
            }
            guard case .dict = result else {
                throw TroupeError(.execution, "The action plugin '\(name)' returned \(result.pythonTypeName), not a dict")
            }
            return result
        } catch let error as PythonPluginError {
            throw TroupeError(.execution, error.message)
        }
    }

    /// Whether the plugin's class says `supports_raw_params = True` (read from its source,
    /// as the check happens before the plugin runs).
    static func supportsRawParams(_ path: String) -> Bool {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
        return text.split(separator: "\n").contains { $0.filter { !$0.isWhitespace } == "supports_raw_params=True" }
    }

    private func callback(_ operation: String, _ message: OrderedDict, context: ActionContext) throws -> Value {
        switch operation {
        case "execute_module", "run_action":
            let requested = message[operation == "run_action" ? "name" : "module"]?.stringValue ?? name
            let short = ModuleNames.shortName(requested)
            let args = message["args"]?.dictValue ?? OrderedDict()
            if operation == "run_action", let action = context.run.modules.actions[short] {
                return try action.run(args, context: context)
            }
            return try context.runModule(short, args)
        default:
            return try PythonPluginCallbacks.answer(operation, message, variables: context.scope, environment: context.templar.environment)
        }
    }
}
