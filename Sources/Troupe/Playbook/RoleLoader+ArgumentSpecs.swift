import Foundation
import Jinja

extension RoleLoader {
    /// The role's `argument_specs`: from `meta/argument_specs.yml` when that file exists
    /// (even if it has none), else from `meta/main.yml`.
    func argumentSpecs(rolePath: String, meta: YAMLNode?) throws -> OrderedDict {
        for ext in [".yml", ".yaml", ".json"] {
            let file = rolePath + "/meta/argument_specs" + ext
            guard loader.fileExists(file) else { continue }
            return try loader.loadYAML(file)?["argument_specs"]?.value.dictValue ?? OrderedDict()
        }
        return meta?["argument_specs"]?.value.dictValue ?? OrderedDict()
    }

    /// The task ansible-core puts first in a role whose entry point has an argument spec:
    /// `validate_argument_spec` over the role's parameters, tagged `always`.
    func validationTask(role: Role, entryPoint: String, spec: OrderedDict) -> Task {
        var name = "Validating arguments against arg spec '\(entryPoint)'"
        if let short = spec["short_description"] { name += " - " + short.pythonString }
        let context: OrderedDict = ["type": "role", "name": .string(role.shortName),
                                    "argument_spec_name": .string(entryPoint), "path": .string(role.path)]
        let args: OrderedDict = ["argument_spec": spec["options"] ?? .dict(OrderedDict()),
                                 "provided_arguments": .dict(role.params),
                                 "validate_args_context": .dict(context)]
        var keywords = Keywords()
        keywords.set("name", .string(name))
        keywords.set("tags", ["always"])
        let task = Task(action: "ansible.builtin.validate_argument_spec", args: args, keywords: keywords, location: nil)
        // Without a file origin, ansible-core shows the task's data in errors.
        let data: OrderedDict = ["action": "ansible.builtin.validate_argument_spec", "args": .dict(args),
                                 "name": .string(name), "tags": ["always"]]
        task.originText = Value.dict(data).pythonString
        return task
    }
}
