import Jinja

/// `validate_argument_spec`: checks variables and given arguments against an argument
/// spec. Roles with `argument_specs` get one of these as their first task.
struct ValidateArgumentSpecAction: ActionPlugin {
    let name = "validate_argument_spec"

    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        var result = OrderedDict()
        result["validate_args_context"] = args["validate_args_context"] ?? .dict(OrderedDict())
        guard let specValue = args["argument_spec"] else {
            throw TroupeError(.execution, "\"argument_spec\" arg is required in args: \(Value.dict(args).pythonRepr)")
        }
        guard let spec = specValue.dictValue else {
            throw TroupeError(.execution, "Incorrect type for argument_spec, expected dict and got <class '\(ArgumentSpecValidator.typeName(specValue))'>")
        }
        let providedValue = args["provided_arguments"] ?? .dict(OrderedDict())
        guard let provided = providedValue.dictValue else {
            throw TroupeError(.execution, "Incorrect type for provided_arguments, expected dict and got <class '\(ArgumentSpecValidator.typeName(providedValue))'>")
        }
        // Options the host already has as variables (role defaults, vars, params …) count
        // as given; explicitly provided arguments win over them.
        var values = OrderedDict()
        for name in spec.keys {
            if let v = try context.scope.lookup(name) { values[name] = v }
        }
        values.merge(provided)
        let errors = ArgumentSpecValidator(spec: spec).errors(for: values)
        result["changed"] = false
        if !errors.isEmpty {
            result["failed"] = true
            result["msg"] = .string("Validation of arguments failed:\n" + errors.joined(separator: "\n"))
            result["argument_spec_data"] = specValue
            result["argument_errors"] = .list(errors.map(Value.string))
            return .dict(result)
        }
        result["msg"] = "The arg spec validation passed"
        return .dict(result)
    }
}
