/// Supplies template sources for `{% include %}`, `{% import %}` and `{% extends %}`.
public protocol TemplateLoader: Sendable {
    /// The source of the template called `name`; throws `.templateNotFound` when absent.
    func source(named name: String) throws -> String
}

/// A compiled template. Thread-safe: render it from any number of threads at once.
public final class Template: @unchecked Sendable {
    public let name: String
    public let source: String

    init(name: String, source: String) {
        self.name = name
        self.source = source
    }

    /// Renders to text (Jinja2's `Template.render`).
    public func render(_ variables: VariableLookup) throws -> String {
        throw JinjaError(.runtime, "template rendering is not implemented yet")
    }

    /// Renders with ansible-core 2.19's native semantics: a template that is exactly one
    /// `{{ expression }}` yields the expression's value (list, dict, int, None …); any
    /// other template yields the concatenated text as a string.
    public func renderNative(_ variables: VariableLookup) throws -> Value {
        throw JinjaError(.runtime, "template rendering is not implemented yet")
    }
}

/// A compiled bare expression (`when:`, `that:`, `until:` …).
public final class Expression: @unchecked Sendable {
    public let source: String
    init(source: String) { self.source = source }

    /// Evaluates the expression to a value (undefined results raise their error).
    public func evaluate(_ variables: VariableLookup) throws -> Value {
        throw JinjaError(.runtime, "expression evaluation is not implemented yet")
    }
}

extension Environment {
    /// Compiles `source` (cached by source text and options).
    public func template(_ source: String, name: String = "<template>") throws -> Template {
        Template(name: name, source: source)
    }

    /// Compiles a bare expression (cached).
    public func expression(_ source: String) throws -> Expression {
        Expression(source: source)
    }

    /// True when `text` contains Jinja markup (`{{`, `{%` or `{#`) and so needs rendering.
    public static func isTemplate(_ text: String) -> Bool {
        text.contains("{{") || text.contains("{%") || text.contains("{#")
    }
}
