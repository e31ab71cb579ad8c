import XCTest
@testable import Jinja

/// One template with its expected outcome (see `LanguageOracleCases`).
struct OracleCase {
    enum Expected {
        /// JSON of the native value `renderNative` must return.
        case native(String)
        /// Exact text `render` must return.
        case text(String)
        /// The error message must start with this.
        case error(String)
    }

    let source: String
    let variables: String
    let files: String?
    let options: String?
    let expected: Expected

    init(_ source: String, vars: String = "{}", files: String? = nil, options: String? = nil,
         native: String? = nil, text: String? = nil, error: String? = nil) {
        self.source = source
        self.variables = vars
        self.files = files
        self.options = options
        if let native { expected = .native(native) } else if let text { expected = .text(text) } else { expected = .error(error ?? "") }
    }
}

/// Loads templates from a dictionary.
struct DictionaryLoader: TemplateLoader {
    let files: [String: String]
    func source(named name: String) throws -> String {
        guard let source = files[name] else { throw JinjaError(.templateNotFound, name) }
        return source
    }
}

enum LanguageTestSupport {
    /// An environment with a few tiny stand-in filters and tests; the real ones live in
    /// Sources/Jinja/Filters and are tested there.
    static func makeEnvironment() -> Environment {
        let env = Environment()
        env.filters["upper"] = Filter { v, _, _ in .string((v.stringValue ?? v.pythonString).uppercased()) }
        env.filters["lower"] = Filter { v, _, _ in .string((v.stringValue ?? v.pythonString).lowercased()) }
        env.filters["length"] = Filter { v, _, _ in .int(try v.pythonLength()) }
        env.filters["list"] = Filter { v, _, _ in .list(try v.pythonIterate()) }
        env.filters["string"] = Filter { v, _, _ in .string(v.pythonString) }
        env.filters["join"] = Filter { v, a, _ in
            .string(try v.pythonIterate().map(\.pythonString).joined(separator: a.value(0, "d")?.stringValue ?? ""))
        }
        env.filters["default"] = Filter(acceptsUndefined: true) { v, a, _ in
            if v.isUndefined || ((a.value(1, "boolean")?.isTruthy ?? false) && !v.isTruthy) { return a.value(0, "default_value") ?? "" }
            return v
        }
        env.filters["d"] = env.filters["default"]
        env.tests["defined"] = Test(acceptsUndefined: true) { v, _, _ in !v.isUndefined }
        env.tests["undefined"] = Test(acceptsUndefined: true) { v, _, _ in v.isUndefined }
        env.tests["odd"] = Test { v, _, _ in (v.intValue ?? 0) % 2 != 0 }
        env.tests["even"] = Test { v, _, _ in (v.intValue ?? 0) % 2 == 0 }
        env.tests["divisibleby"] = Test { v, a, _ in (v.intValue ?? 0) % (a.positional.first?.intValue ?? 1) == 0 }
        env.tests["string"] = Test { v, _, _ in v.stringValue != nil }
        env.tests["none"] = Test { v, _, _ in v.isNull }
        env.tests["sameas"] = Test { v, a, _ in
            switch (v, a.positional.first ?? .null) {
            case (.null, .null): return true
            case (.bool(let x), .bool(let y)): return x == y
            default: return false
            }
        }
        return env
    }

    static func variables(_ json: String) throws -> DictionaryLookup {
        var vars: [String: Value] = [:]
        for (k, v) in try Value.parseJSON(json).dictValue ?? OrderedDict() { vars[k] = v }
        return DictionaryLookup(vars)
    }

    /// Renders `source` with JSON `vars` (text mode).
    static func render(_ source: String, _ vars: String = "{}", env: Environment? = nil) throws -> String {
        try (env ?? makeEnvironment()).template(source).render(variables(vars))
    }
}
