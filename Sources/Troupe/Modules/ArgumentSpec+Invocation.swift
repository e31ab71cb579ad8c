import Jinja

extension ArgumentSpec {
    /// What Ansible's modules report as `invocation.module_args`: every parameter of the
    /// spec (null when neither given nor defaulted), each alias the task used under its own
    /// name too, and secrets (`noLog`) replaced by Ansible's placeholder, so that `-vvv`
    /// output and registered loop results show what the module ran with.
    public func invocationArguments(validated: OrderedDict, given: OrderedDict) -> OrderedDict {
        var out = OrderedDict()
        for parameter in parameters where !parameter.name.hasPrefix("_troupe_") {
            let value = Self.reported(validated[parameter.name] ?? .null, secret: parameter.noLog)
            out[parameter.name] = value
            for alias in parameter.aliases where given[alias] != nil {
                out[alias] = value
            }
        }
        return out
    }

    /// The placeholder Ansible puts in place of a `no_log` parameter's value.
    static let noLogPlaceholder: Value = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"

    private static func reported(_ value: Value, secret: Bool) -> Value {
        secret && !value.isNull ? noLogPlaceholder : value
    }
}
