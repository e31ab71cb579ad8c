/// The arguments of a filter, test or function call, bound the way Python binds them.
public struct Arguments: Sendable {
    /// Positional arguments in call order (for a filter, not including the filtered value).
    public var positional: [Value]
    /// Keyword arguments in call order; `keyword(_:)` returns the first with a given name.
    public var keywords: [(name: String, value: Value)]

    /// Arguments from positional values and `name=value` keyword pairs.
    public init(_ positional: [Value] = [], keywords: [(name: String, value: Value)] = []) {
        self.positional = positional
        self.keywords = keywords
    }

    /// True when the call passed no positional and no keyword arguments.
    public var isEmpty: Bool { positional.isEmpty && keywords.isEmpty }

    /// The value passed as `name=...`, or nil when no such keyword was given.
    public func keyword(_ name: String) -> Value? {
        keywords.first(where: { $0.name == name })?.value
    }

    /// The parameter at `index` (not counting the filtered value) or named `name`.
    public func value(_ index: Int, _ name: String) -> Value? {
        if index < positional.count { return positional[index] }
        return keyword(name)
    }

    /// Rejects keywords outside `names`, as Python does with an unexpected keyword.
    public func checkKeywords(_ names: Set<String>, function: String) throws {
        for (name, _) in keywords where !names.contains(name) {
            throw JinjaError(.type, "\(function)() got an unexpected keyword argument '\(name)'")
        }
    }
}

/// Variables visible to a template. The engine implements it to resolve variables
/// lazily (templating values on first use) and to raise on cycles.
public protocol VariableLookup {
    /// The value of `name`, or nil when it is not defined.
    func lookup(_ name: String) throws -> Value?
    /// The engine's own lookup behind any template-local wrapper, so plugins (such as
    /// the `varnames` lookup) can reach what the engine knows about its variables.
    var underlyingVariables: VariableLookup { get }
}

extension VariableLookup {
    /// By default a lookup is its own underlying lookup.
    public var underlyingVariables: VariableLookup { self }
}

/// A plain dictionary of variables.
public struct DictionaryLookup: VariableLookup {
    /// The variables by name.
    public var variables: [String: Value]
    /// A lookup over `variables`.
    public init(_ variables: [String: Value]) { self.variables = variables }
    /// The variable's value, or nil when the dictionary has no such key; never throws.
    public func lookup(_ name: String) throws -> Value? { variables[name] }
}

/// What a filter, test or global function sees of the running template.
public struct CallContext {
    /// The environment rendering the template (filters, tests, globals, loader).
    public let environment: Environment
    /// The variables visible at the call: template locals first, then the caller's variables (not globals).
    public let variables: VariableLookup
    /// A context for a callable invoked from a template rendered in `environment`.
    public init(environment: Environment, variables: VariableLookup) {
        self.environment = environment
        self.variables = variables
    }
}

/// A filter's implementation: the filtered value and the call's arguments in, the
/// result out; throw a ``JinjaError`` to fail the render.
public typealias FilterFunction = (_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value
/// A test's implementation: whether `value` passes, given the call's arguments;
/// throw a ``JinjaError`` to fail the render.
public typealias TestFunction = (_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Bool

/// A filter (`x | name(args)`).
public struct Filter: @unchecked Sendable {
    /// The implementation called for `x | name(args)`.
    public let function: FilterFunction
    /// Filters such as `default` and `mandatory` receive undefined values; every other
    /// filter makes an undefined input raise its "is undefined" error first.
    public let acceptsUndefined: Bool
    /// A filter running `function`; pass `acceptsUndefined: true` only if it handles undefined input itself.
    public init(acceptsUndefined: Bool = false, _ function: @escaping FilterFunction) {
        self.function = function
        self.acceptsUndefined = acceptsUndefined
    }
}

/// A test (`x is name(args)`).
public struct Test: @unchecked Sendable {
    /// The implementation called for `x is name(args)`.
    public let function: TestFunction
    /// Tests such as `defined` and `undefined` receive undefined values; every other
    /// test makes an undefined input raise its "is undefined" error first.
    public let acceptsUndefined: Bool
    /// A test running `function`; pass `acceptsUndefined: true` only if it handles undefined input itself.
    public init(acceptsUndefined: Bool = false, _ function: @escaping TestFunction) {
        self.function = function
        self.acceptsUndefined = acceptsUndefined
    }
}
