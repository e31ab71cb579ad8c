import Foundation

/// Supplies template sources for `{% include %}`, `{% import %}` and `{% extends %}`.
public protocol TemplateLoader: Sendable {
    /// The source of the template called `name`; throws `.templateNotFound` when absent.
    func source(named name: String) throws -> String
}

/// A compiled template. Thread-safe: render it from any number of threads at once.
public final class Template: @unchecked Sendable {
    /// The name given when compiling (a file path or "<template>"), used in errors.
    public let name: String
    /// The template text as given.
    public let source: String
    let environment: Environment
    let body: [Node]
    /// Every `{% block %}` of this template by name (what `self.<name>()` and children see).
    let blockDefinitions: [String: BlockNode]
    /// False when the source has no Jinja markup: Ansible's Templar returns such text untouched.
    private let hasMarkup: Bool
    /// How many `\n` end the source; Ansible re-appends those a native render dropped.
    private let sourceTrailingNewlines: Int
    /// True when the template is one `{{ name }}` / `{{ a.b[c] }}` reference, so that its
    /// native result is a variable's value passed through rather than text made while
    /// rendering. ansible-core 2.19 keeps the trust of such a value; any other string a
    /// template produces is untrusted (never a template or expression itself).
    public let passesValueThrough: Bool
    /// Top-level statements that still run after `{% extends %}` (definitions only).
    private static func isDefinition(_ node: Node) -> Bool {
        node is SetNode || node is MacroNode || node is ImportNode || node is FromImportNode || node is SetBlockNode
    }

    init(name: String, source: String, environment: Environment, escapeBackslashes: Bool = false) throws {
        self.name = name
        self.source = source
        self.environment = environment
        hasMarkup = environment.delimiters.opensTag(in: source)
        sourceTrailingNewlines = source.utf8.reversed().prefix { $0 == UInt8(ascii: "\n") }.count
        let bytes = Lexer.normalise(source, keepTrailingNewline: environment.keepTrailingNewline)
        var lexer = Lexer(bytes, trimBlocks: environment.trimBlocks, lstripBlocks: environment.lstripBlocks, templateName: name,
                          delimiters: environment.delimiters)
        lexer.escapeBackslashes = escapeBackslashes
        let tokens = try lexer.tokenize()
        let parser = Parser(environment: environment, lexer: lexer, tokens: tokens)
        body = try parser.parseTemplate()
        blockDefinitions = parser.blocks
        passesValueThrough = body.count == 1 && (body[0] as? OutputNode).map { Template.isReference($0.expr) } == true
    }

    private static func isReference(_ expr: Expr) -> Bool {
        switch expr {
        case is NameExpr: return true
        case let attribute as GetAttrExpr: return isReference(attribute.object)
        case let item as GetItemExpr: return isReference(item.object)
        default: return false
        }
    }

    /// Renders to text (Jinja2's `Template.render`, with Ansible printing None as "").
    public func render(_ variables: VariableLookup) throws -> String {
        let out = Output()
        try run(variables, out)
        return out.text
    }

    /// Renders with ansible-core 2.19's native semantics: a template that is exactly one
    /// `{{ expression }}` yields the expression's value (list, dict, int, None …); any
    /// other template yields the concatenated text as a string.
    ///
    /// Like Ansible's Templar, text without Jinja markup comes back unchanged, and when the
    /// result is a string, trailing newlines of the source that rendering dropped (Jinja
    /// removes one unless `keepTrailingNewline`, `trimBlocks` may eat more) are appended again.
    public func renderNative(_ variables: VariableLookup) throws -> Value {
        if !hasMarkup { return .string(source) }
        let out = Output(native: true)
        try run(variables, out)
        let result = try out.nativeResult
        guard sourceTrailingNewlines > 0, case .string(let text) = result else { return result }
        let kept = text.utf8.reversed().prefix { $0 == UInt8(ascii: "\n") }.count
        guard kept < sourceTrailingNewlines else { return result }
        return .string(text + String(repeating: "\n", count: sourceTrailingNewlines - kept))
    }

    /// Like ``renderNative(_:)`` for a template that is one `{{ expression }}`, but undefined
    /// values inside the resulting list or dict stay `.undefined` instead of failing (ansible-
    /// core's lazy markers, which first_found skips). Nil for any other template.
    public func renderNativeKeepingUndefined(_ variables: VariableLookup) throws -> Value? {
        guard body.count == 1, let output = body[0] as? OutputNode else { return nil }
        let c = RenderContext(environment: environment, variables: variables, scope: Scope(parent: nil), templateName: name)
        let value = try output.expr.eval(c)
        if case .undefined(let u) = value { throw JinjaError(.undefined, u.message) }
        return value
    }

    private func run(_ variables: VariableLookup, _ out: Output) throws {
        let c = RenderContext(environment: environment, variables: variables, scope: Scope(parent: nil), templateName: name)
        do {
            try renderRoot(c, out)
        } catch var error as JinjaError {
            if error.templateName == nil { error.templateName = name }
            throw error
        } catch {
            throw JinjaError(.runtime, String(describing: error), templateName: name)
        }
    }

    /// Runs the top level; after `{% extends %}` only definitions run, then the parent renders.
    func renderRoot(_ c: RenderContext, _ out: Output) throws {
        // Jinja2 appends each template's blocks as the inheritance chain unwinds, so the
        // most derived override comes first.
        for (name, block) in blockDefinitions { c.registerBlock(name, block) }
        var index = 0
        while index < body.count, c.parentTemplate == nil {
            try body[index].render(c, out)
            index += 1
        }
        guard let parent = c.parentTemplate else { return }
        let discard = Output()
        while index < body.count {
            if Template.isDefinition(body[index]) { try body[index].render(c, discard) }
            index += 1
        }
        c.parentTemplate = nil
        try c.enter()
        defer { c.leave() }
        try parent.renderRoot(c, out)
    }
}

/// A compiled bare expression (`when:`, `that:`, `until:` …).
public final class Expression: @unchecked Sendable {
    /// The expression text as given.
    public let source: String
    let environment: Environment
    let root: Expr

    init(source: String, environment: Environment, renderConstTemplates: Bool = false) throws {
        self.source = source
        self.environment = environment
        let bytes = Array(("{{" + source + "}}").utf8)
        var lexer = Lexer(bytes, trimBlocks: false, lstripBlocks: false, templateName: nil)
        let tokens = try lexer.tokenize()
        let parser = Parser(environment: environment, lexer: lexer, tokens: tokens)
        parser.columnShift = 2  // the "{{" added above
        parser.renderConstTemplates = renderConstTemplates
        try parser.expect(.variableBegin)
        let expr = try parser.parseTuple()
        if parser.current.kind != .variableEnd || parser.peek.kind != .eof {
            throw parser.fail("expected token 'end of template', got '\(parser.current.description)'")
        }
        try parser.checkUnknownNames()
        root = expr
    }

    /// Evaluates the expression to a value (undefined results raise their error).
    public func evaluate(_ variables: VariableLookup) throws -> Value {
        let c = RenderContext(environment: environment, variables: variables, scope: Scope(parent: nil), templateName: "<expression>")
        let value: Value
        do {
            value = try root.eval(c)
        } catch let error as JinjaError {
            throw error
        } catch {
            throw JinjaError(.runtime, String(describing: error))
        }
        if case .undefined(let u) = value { throw JinjaError(.undefined, u.message) }
        return value
    }
}

extension Environment {
    /// Compiles `source` (cached by name, source text and options; thread-safe).
    ///
    /// `escapeBackslashes` is Ansible's option of the same name: on (Ansible's default
    /// for templating playbook values) string literals inside `{{ }}` keep backslashes
    /// verbatim; turn it off for template files (the `template` module and lookup do),
    /// which is also how included and imported templates compile.
    public func template(_ source: String, name: String = "<template>", escapeBackslashes: Bool = true) throws -> Template {
        let key = "T\(trimBlocks ? 1 : 0)\(lstripBlocks ? 1 : 0)\(keepTrailingNewline ? 1 : 0)\(escapeBackslashes ? 1 : 0)\(name)\u{0}\(source)"
        if case .template(let cached)? = cache.get(key) { return cached }
        let template = try Template(name: name, source: source, environment: self, escapeBackslashes: escapeBackslashes)
        cache.set(key, .template(template))
        return template
    }

    /// Compiles a bare expression (cached).
    public func expression(_ source: String) throws -> Expression {
        let key = "E" + source
        if case .expression(let cached)? = cache.get(key) { return cached }
        let expression = try Expression(source: source, environment: self)
        cache.set(key, .expression(expression))
        return expression
    }

    /// Compiles a conditional expression (cached): as ansible-core 2.19 evaluates `when:` and
    /// `that:`, its string literals that hold templates (`"du{{ 'de' }}"`) are rendered.
    public func conditionalExpression(_ source: String) throws -> Expression {
        let key = "C" + source
        if case .expression(let cached)? = cache.get(key) { return cached }
        let expression = try Expression(source: source, environment: self, renderConstTemplates: true)
        cache.set(key, .expression(expression))
        return expression
    }

    /// True when `text` contains Jinja markup (`{{`, `{%` or `{#`) and so needs rendering.
    public static func isTemplate(_ text: String) -> Bool {
        text.contains("{{") || text.contains("{%") || text.contains("{#")
    }
}

/// A lock-protected cache of compiled templates and expressions. Cleared whenever the
/// environment's filters, tests or options change, since compiled code binds them.
final class CompileCache: @unchecked Sendable {
    enum Entry {
        case template(Template)
        case expression(Expression)
    }

    private var entries: [String: Entry] = [:]
    private let lock = NSLock()
    /// Keeps memory bounded when callers compile endless distinct strings.
    private let limit = 20_000

    func get(_ key: String) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    func set(_ key: String, _ entry: Entry) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
        entries[key] = entry
    }

    func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        entries.removeAll()
    }
}
