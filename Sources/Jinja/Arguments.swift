/// The arguments of a filter, test or function call, bound the way Python binds them.
public struct Arguments: Sendable {
    public var positional: [Value]
    public var keywords: [(name: String, value: Value)]

    public init(_ positional: [Value] = [], keywords: [(name: String, value: Value)] = []) {
        self.positional = positional
        self.keywords = keywords
    }

    public var isEmpty: Bool { positional.isEmpty && keywords.isEmpty }

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
}

/// A plain dictionary of variables.
public struct DictionaryLookup: VariableLookup {
    public var variables: [String: Value]
    public init(_ variables: [String: Value]) { self.variables = variables }
    public func lookup(_ name: String) throws -> Value? { variables[name] }
}

/// What a filter, test or global function sees of the running template.
public struct CallContext {
    public let environment: Environment
    public let variables: VariableLookup
    public init(environment: Environment, variables: VariableLookup) {
        self.environment = environment
        self.variables = variables
    }
}

public typealias FilterFunction = (_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value
public typealias TestFunction = (_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Bool

/// A filter (`x | name(args)`).
public struct Filter: @unchecked Sendable {
    public let function: FilterFunction
    /// Filters such as `default` and `mandatory` receive undefined values; every other
    /// filter makes an undefined input raise its "is undefined" error first.
    public let acceptsUndefined: Bool
    public init(acceptsUndefined: Bool = false, _ function: @escaping FilterFunction) {
        self.function = function
        self.acceptsUndefined = acceptsUndefined
    }
}

/// A test (`x is name(args)`).
public struct Test: @unchecked Sendable {
    public let function: TestFunction
    public let acceptsUndefined: Bool
    public init(acceptsUndefined: Bool = false, _ function: @escaping TestFunction) {
        self.function = function
        self.acceptsUndefined = acceptsUndefined
    }
}
