/// The compiled form of a `{% macro %}` (or of a `{% call %}` block's caller body).
final class MacroDefinition {
    let name: String
    let parameters: [(name: String, defaultValue: Expr?)]
    let body: [Node]
    /// Whether the body mentions `varargs`, `kwargs` or `caller`; Jinja2 only accepts
    /// extra arguments when it does.
    let catchVarargs: Bool
    let catchKwargs: Bool
    let usesCaller: Bool

    init(name: String, parameters: [(name: String, defaultValue: Expr?)], body: [Node],
         catchVarargs: Bool, catchKwargs: Bool, usesCaller: Bool) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.catchVarargs = catchVarargs
        self.catchKwargs = catchKwargs
        self.usesCaller = usesCaller
    }
}

/// A macro value: its definition plus the scope it was defined in.
final class Macro: JinjaObject, @unchecked Sendable {
    let definition: MacroDefinition
    let closure: Scope
    let environment: Environment
    let variables: VariableLookup
    let templateName: String

    init(_ definition: MacroDefinition, closure: Scope, _ c: RenderContext) {
        self.definition = definition
        self.closure = closure
        self.environment = c.environment
        self.variables = c.variables
        self.templateName = c.templateName
    }

    override var typeName: String { "Macro" }
    override var isCallable: Bool { true }
    override var renderedString: String { "<Macro '\(definition.name)'>" }

    override func attribute(_ name: String) -> Value? {
        switch name {
        case "name": return .string(definition.name)
        case "arguments": return .list(definition.parameters.map { .string($0.name) })
        case "catch_kwargs": return .bool(definition.catchKwargs)
        case "catch_varargs": return .bool(definition.catchVarargs)
        case "caller": return .bool(definition.usesCaller)
        default: return nil
        }
    }

    /// Called from outside a render (e.g. by a filter such as `map`).
    override func call(_ arguments: Arguments, _ context: CallContext) throws -> Value {
        let c = RenderContext(environment: environment, variables: variables, scope: closure, templateName: templateName)
        return try invoke(arguments, caller: nil, c)
    }

    func invoke(_ arguments: Arguments, caller: Value?, _ c: RenderContext) throws -> Value {
        let def = definition
        let name = def.name
        var positional = arguments.positional
        if positional.count > def.parameters.count && !def.catchVarargs {
            throw JinjaError(.type, "macro '\(name)' takes not more than \(def.parameters.count) argument(s)")
        }
        var extraKeywords = OrderedDict()
        var keywordValues: [String: Value] = [:]
        var callerValue = caller
        for (key, value) in arguments.keywords {
            if key == "caller" && def.usesCaller {
                callerValue = value
            } else if def.parameters.contains(where: { $0.name == key }) {
                keywordValues[key] = value
            } else if def.catchKwargs {
                extraKeywords[key] = value
            } else {
                throw JinjaError(.type, "macro '\(name)' takes no keyword argument '\(key)'")
            }
        }
        let saved = c.scope
        let scope = Scope(parent: closure)
        try c.enter()
        c.scope = scope
        defer {
            c.scope = saved
            c.leave()
        }
        for (index, parameter) in def.parameters.enumerated() {
            if index < positional.count {
                if keywordValues[parameter.name] != nil {
                    throw JinjaError(.type, "macro '\(name)' takes no keyword argument '\(parameter.name)'")
                }
                scope.names[parameter.name] = positional[index]
            } else if let value = keywordValues[parameter.name] {
                scope.names[parameter.name] = value
            } else if let defaultValue = parameter.defaultValue {
                scope.names[parameter.name] = try defaultValue.eval(c)
            } else {
                scope.names[parameter.name] = .undefined(Undefined("parameter '\(parameter.name)' was not provided"))
            }
        }
        positional.removeFirst(min(positional.count, def.parameters.count))
        if def.catchVarargs { scope.names["varargs"] = .list(positional) }
        if def.catchKwargs { scope.names["kwargs"] = .dict(extraKeywords) }
        if def.usesCaller {
            scope.names["caller"] = callerValue ?? .undefined(Undefined("No caller defined"))
        }
        return try captureNative(def.body, c)
    }
}
