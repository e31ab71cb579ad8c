import Foundation

/// Filters that apply other filters or tests to each item: `map`, `select`, `reject`,
/// `selectattr`, `rejectattr`, plus `default` and `random`.
enum HigherOrderFilters {
    static var all: [String: Filter] {
        [
            // Lazy in Jinja2: over an undefined value they stay undefined (`x | map(…) is undefined`).
            "map": Filter(acceptsUndefined: true) { v, a, c in v.isUndefined ? v : try map(v, a, c) },
            "select": Filter(acceptsUndefined: true) { v, a, c in v.isUndefined ? v : try select(v, a, c, attribute: false, keep: true) },
            "reject": Filter(acceptsUndefined: true) { v, a, c in v.isUndefined ? v : try select(v, a, c, attribute: false, keep: false) },
            "selectattr": Filter(acceptsUndefined: true) { v, a, c in v.isUndefined ? v : try select(v, a, c, attribute: true, keep: true) },
            "rejectattr": Filter(acceptsUndefined: true) { v, a, c in v.isUndefined ? v : try select(v, a, c, attribute: true, keep: false) },
            "default": Filter(acceptsUndefined: true, defaultFilter),
            "d": Filter(acceptsUndefined: true, defaultFilter),
            "random": Filter(random),
        ]
    }

    /// Runs the filter called `name` on `value`.
    static func applyFilter(_ name: String, _ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        guard let filter = context.environment.filter(named: name) else {
            throw JinjaError(.unknownFilter, "No filter named '\(name)'.")
        }
        if !filter.acceptsUndefined { try FilterSupport.requireDefined(value) }
        return try filter.function(value, arguments, context)
    }

    /// Runs the test called `name` on `value`.
    static func applyTest(_ name: String, _ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Bool {
        guard let test = context.environment.test(named: name) else {
            throw JinjaError(.unknownTest, "No test named '\(name)'.")
        }
        if !test.acceptsUndefined { try FilterSupport.requireDefined(value) }
        return try test.function(value, arguments, context)
    }

    /// Items of a sequence argument; undefined iterates as empty, like Jinja's Undefined.
    static func sequence(_ v: Value) throws -> [Value] {
        if case .undefined = v { return [] }
        return try FilterSupport.iterate(v)
    }

    static func map(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let items = try sequence(v)
        if a.positional.isEmpty, let attribute = a.keyword("attribute") {
            let fallback = a.keyword("default")
            return .list(try items.map { item in
                let found = FilterSupport.attribute(item, path: attribute)
                if found.isUndefined, let fallback { return fallback }
                try FilterSupport.requireDefined(found)
                return found
            })
        }
        guard let name = a.positional.first?.stringValue else {
            throw JinjaError(.runtime, "map requires a filter argument")
        }
        let rest = Arguments(Array(a.positional.dropFirst()), keywords: a.keywords)
        return .list(try items.map { try applyFilter(name, $0, rest, c) })
    }

    static func select(_ v: Value, _ a: Arguments, _ c: CallContext, attribute: Bool, keep: Bool) throws -> Value {
        let items = try sequence(v)
        var positional = a.positional
        var path: Value?
        if attribute {
            guard !positional.isEmpty else { throw JinjaError(.runtime, "Missing parameter for attribute name") }
            path = positional.removeFirst()
        }
        let testName = positional.first?.stringValue
        let rest = Arguments(Array(positional.dropFirst()), keywords: a.keywords)
        var result: [Value] = []
        for item in items {
            let subject = path.map { FilterSupport.attribute(item, path: $0) } ?? item
            let passed: Bool
            if let testName {
                passed = try applyTest(testName, subject, rest, c)
            } else {
                try FilterSupport.requireDefined(subject)
                passed = subject.isTruthy
            }
            if passed == keep { result.append(item) }
        }
        return .list(result)
    }

    static func defaultFilter(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let fallback = a.value(0, "default_value") ?? .string("")
        let boolean = FilterSupport.bool(a.value(1, "boolean"), false)
        if v.isUndefined || (boolean && !v.isTruthy) { return fallback }
        return v
    }

    static func random(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let items = try FilterSupport.iterate(v)
        guard let pick = items.randomElement() else {
            throw JinjaError(.runtime, "IndexError: Cannot choose from an empty sequence")
        }
        return pick
    }
}
