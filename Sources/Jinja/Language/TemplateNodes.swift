/// Variables for templates included or imported "without context": none.
struct EmptyLookup: VariableLookup {
    func lookup(_ name: String) throws -> Value? { nil }
}

/// Loads and compiles the first of `names` that exists (a string or a list of them).
func loadTemplate(_ nameValue: Value, _ c: RenderContext, ignoreMissing: Bool) throws -> Template? {
    let names: [Value]
    switch nameValue {
    case .list(let items): names = items
    case .undefined(let u): throw JinjaError(.undefined, u.message)
    default: names = [nameValue]
    }
    for name in names {
        if case .object(let o) = name, let module = o as? TemplateModule { return module.template }
        let text = name.pythonString
        guard let loader = c.environment.loader else {
            if ignoreMissing { continue }
            throw JinjaError(.templateNotFound, "no loader for this environment specified")
        }
        let source: String
        do {
            source = try loader.source(named: text)
        } catch let error as JinjaError where error.kind == .templateNotFound {
            continue
        }
        return try c.environment.template(source, name: text, escapeBackslashes: false)
    }
    if ignoreMissing { return nil }
    if names.count == 1 { throw JinjaError(.templateNotFound, names[0].pythonString) }
    throw JinjaError(.templateNotFound, "none of the templates given were found: " + names.map(\.pythonString).joined(separator: ", "))
}

/// `{% include name [ignore missing] [with|without context] %}`
final class IncludeNode: Node {
    let template: Expr
    let ignoreMissing: Bool
    let withContext: Bool
    init(template: Expr, ignoreMissing: Bool, withContext: Bool, line: Int) {
        self.template = template
        self.ignoreMissing = ignoreMissing
        self.withContext = withContext
        super.init(line: line)
    }
    override func render(_ c: RenderContext, _ out: Output) throws {
        guard let included = try loadTemplate(template.eval(c), c, ignoreMissing: ignoreMissing) else { return }
        try c.enter()
        defer { c.leave() }
        if withContext {
            // Jinja2 passes the template's variables but not the enclosing `loop`.
            let inner = RenderContext(environment: c.environment, variables: c.variables,
                                      scope: Scope(parent: c.scope, names: ["loop": .undefined(Undefined.variable("loop"))]),
                                      templateName: included.name)
            inner.depth = c.depth
            try included.renderRoot(inner, out)
        } else {
            let inner = RenderContext(environment: c.environment, variables: EmptyLookup(),
                                      scope: Scope(parent: nil), templateName: included.name)
            inner.depth = c.depth
            try included.renderRoot(inner, out)
        }
    }
}

/// The namespace `{% import 'x' as m %}` binds: the imported template's top-level names.
final class TemplateModule: JinjaObject, @unchecked Sendable {
    let template: Template
    let exports: [String: Value]
    init(template: Template, exports: [String: Value]) {
        self.template = template
        self.exports = exports
    }
    override var typeName: String { "TemplateModule" }
    override func attribute(_ name: String) -> Value? { name.hasPrefix("_") ? nil : exports[name] }
    override var renderedString: String { "<TemplateModule '\(template.name)'>" }

    static func load(_ nameExpr: Expr, withContext: Bool, _ c: RenderContext) throws -> TemplateModule {
        guard let imported = try loadTemplate(nameExpr.eval(c), c, ignoreMissing: false) else {
            throw JinjaError(.templateNotFound, "template not found")
        }
        try c.enter()
        defer { c.leave() }
        let scope = Scope(parent: withContext ? c.scope : nil)
        let inner = RenderContext(environment: c.environment, variables: withContext ? c.variables : EmptyLookup(),
                                  scope: scope, templateName: imported.name)
        inner.depth = c.depth
        try imported.renderRoot(inner, Output())
        return TemplateModule(template: imported, exports: scope.names.dictionary)
    }
}

/// `{% import name as target %}`
final class ImportNode: Node {
    let template: Expr
    let target: String
    let withContext: Bool
    init(template: Expr, target: String, withContext: Bool, line: Int) {
        self.template = template
        self.target = target
        self.withContext = withContext
        super.init(line: line)
    }
    override func render(_ c: RenderContext, _ out: Output) throws {
        let module = try TemplateModule.load(template, withContext: withContext, c)
        c.scope.names[target] = .object(module)
    }
}

/// `{% from name import a, b as c %}`
final class FromImportNode: Node {
    let template: Expr
    let names: [(name: String, alias: String)]
    let withContext: Bool
    init(template: Expr, names: [(name: String, alias: String)], withContext: Bool, line: Int) {
        self.template = template
        self.names = names
        self.withContext = withContext
        super.init(line: line)
    }
    override func render(_ c: RenderContext, _ out: Output) throws {
        let module = try TemplateModule.load(template, withContext: withContext, c)
        for (name, alias) in names {
            if let value = module.attribute(name) {
                c.scope.names[alias] = value
            } else {
                c.scope.names[alias] = .undefined(Undefined(
                    "the template '\(module.template.name)' (imported on line \(line)) does not export the requested name '\(name)'"))
            }
        }
    }
}

/// `{% extends name %}`: registers this template's blocks, then hands rendering to
/// the parent once the child's top level has run.
final class ExtendsNode: Node {
    let template: Expr
    /// Filled in by the parser once the whole template (all its blocks) is parsed.
    var blocks: [String: BlockNode] = [:]
    init(template: Expr, line: Int) {
        self.template = template
        super.init(line: line)
    }
    override func render(_ c: RenderContext, _ out: Output) throws {
        if c.parentTemplate != nil { throw JinjaError(.runtime, "extended multiple times") }
        guard let parent = try loadTemplate(template.eval(c), c, ignoreMissing: false) else { return }
        for (name, block) in blocks { c.registerBlock(name, block) }
        c.parentTemplate = parent
    }
}

/// `{% block name %}…{% endblock %}`: renders the most derived override.
final class BlockNode: Node {
    let name: String
    var body: [Node] = []
    init(name: String, line: Int) {
        self.name = name
        super.init(line: line)
    }
    override func render(_ c: RenderContext, _ out: Output) throws {
        var chain = c.blocks[name] ?? []
        if !chain.contains(where: { $0 === self }) { chain.append(self) }
        try BlockNode.render(chain, 0, c, out)
    }

    static func render(_ chain: [BlockNode], _ position: Int, _ c: RenderContext, _ out: Output) throws {
        try c.enter()
        defer { c.leave() }
        let superValue: Value = position + 1 < chain.count
            ? .object(SuperBlock(chain: chain, position: position + 1, context: c))
            : .undefined(Undefined("there is no parent block called '\(chain[position].name)'."))
        try c.withScope(["super": superValue]) { try renderAll(chain[position].body, c, out) }
    }
}

/// `super()` inside a block.
final class SuperBlock: JinjaObject, @unchecked Sendable {
    let chain: [BlockNode]
    let position: Int
    unowned let context: RenderContext
    init(chain: [BlockNode], position: Int, context: RenderContext) {
        self.chain = chain
        self.position = position
        self.context = context
    }
    override var isCallable: Bool { true }
    override func call(_ arguments: Arguments, _ callContext: CallContext) throws -> Value {
        let out = Output()
        try BlockNode.render(chain, position, context, out)
        return .string(out.text)
    }
}

/// Jinja2's `self`: `self.name()` renders the most derived version of block `name`.
final class TemplateReference: JinjaObject, @unchecked Sendable {
    unowned let context: RenderContext
    init(context: RenderContext) { self.context = context }
    override var typeName: String { "TemplateReference" }
    override func attribute(_ name: String) -> Value? {
        guard let chain = context.blocks[name], !chain.isEmpty else { return nil }
        return .object(SuperBlock(chain: chain, position: 0, context: context))
    }
    override var renderedString: String { "<TemplateReference \(Value.string(context.templateName).pythonRepr)>" }
}
