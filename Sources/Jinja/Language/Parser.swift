/// Recursive-descent parser producing the executable node tree directly. Mirrors
/// Jinja2's parser (same grammar, same error messages) so templates that fail in
/// Python fail here with the same text.
final class Parser {
    struct UnknownName {
        var isFilter: Bool
        var name: String
        var token: Token
        /// Inside an `if` or inline-if: Jinja2 defers the error to when it runs.
        var soft: Bool
    }

    let environment: Environment
    let lexer: Lexer
    var tokens: [Token]
    var index = 0
    var tagStack: [String] = []
    var endTokenStack: [[String]] = []
    var softDepth = 0
    var nesting = 0
    var unknownNames: [UnknownName] = []
    var referencedNames: Set<String> = []
    var blocks: [String: BlockNode] = [:]
    var extendsNodes: [ExtendsNode] = []
    /// Characters the caller prepended to the source (expressions are parsed as `{{…}}`).
    var columnShift = 0
    /// Conditional expressions render string literals that hold templates (ansible-core 2.19).
    var renderConstTemplates = false
    /// Inside the arguments of `lookup()`/`query()`/`q()`, whose literal templates render too.
    var lookupArgumentDepth = 0

    static let maxNesting = 100

    init(environment: Environment, lexer: Lexer, tokens: [Token]) {
        self.environment = environment
        self.lexer = lexer
        self.tokens = tokens
    }

    // MARK: token stream

    var current: Token { tokens[index] }
    var peek: Token { tokens[min(index + 1, tokens.count - 1)] }

    func advance() { if index < tokens.count - 1 { index += 1 } }

    func fail(_ message: String, _ token: Token? = nil) -> JinjaError {
        let t = token ?? current
        let (line, column) = lexer.location(t.offset)
        var text = lexer.sourceLine(line)
        var col = column
        if line == 1 && columnShift > 0 {
            col = max(1, column - columnShift)
            text = String(text.dropFirst(columnShift))
            if text.hasSuffix("}}") { text.removeLast(2) }
        }
        return JinjaError(.syntax, message, templateName: lexer.templateName, line: line, column: col, sourceLine: text)
    }

    func enterNesting() throws {
        nesting += 1
        if nesting > Parser.maxNesting {
            nesting -= 1
            throw fail("expression is nested too deeply")
        }
    }

    func skipName(_ name: String) -> Bool {
        if current.isName(name) { advance(); return true }
        return false
    }

    func expectOp(_ symbol: String) throws {
        if current.isOp(symbol) { advance(); return }
        if current.kind == .eof { throw fail("unexpected end of template, expected '\(symbol)'.") }
        throw fail("expected token '\(symbol)', got '\(current.description)'")
    }

    func expect(_ kind: Token.Kind) throws {
        if current.kind == kind { advance(); return }
        if current.kind == .eof { throw fail("unexpected end of template, expected '\(Token.describe(kind))'.") }
        throw fail("expected token '\(Token.describe(kind))', got '\(current.description)'")
    }

    @discardableResult
    func expectName(_ name: String? = nil) throws -> Token {
        let token = current
        if token.kind == .name && (name == nil || token.text == name) { advance(); return token }
        let wanted = name ?? "name"
        if token.kind == .eof { throw fail("unexpected end of template, expected '\(wanted)'.") }
        throw fail("expected token '\(wanted)', got '\(token.description)'")
    }

    // MARK: template

    func parseTemplate() throws -> [Node] {
        let body = try subparse(nil)
        for node in extendsNodes { node.blocks = blocks }
        try checkUnknownNames()
        return body
    }

    /// Raises the first filter or test that does not exist outside an `if` (Jinja2
    /// reports those when compiling; the ones inside `if` fail only if they run).
    func checkUnknownNames() throws {
        if let first = unknownNames.first(where: { !$0.soft }) {
            let kind: JinjaError.Kind = first.isFilter ? .unknownFilter : .unknownTest
            var error = fail("No \(first.isFilter ? "filter" : "test") named '\(first.name)'.", first.token)
            error.kind = kind
            throw error
        }
    }

    func subparse(_ endTokens: [String]?) throws -> [Node] {
        var body: [Node] = []
        if let endTokens { endTokenStack.append(endTokens) }
        defer { if endTokens != nil { endTokenStack.removeLast() } }
        while true {
            let token = current
            switch token.kind {
            case .data:
                body.append(TextNode(token.text, line: token.line))
                advance()
            case .variableBegin:
                advance()
                let expr = try parseTuple()
                try expect(.variableEnd)
                body.append(OutputNode(expr, line: token.line))
            case .blockBegin:
                advance()
                if let endTokens, current.kind == .name, endTokens.contains(current.text) { return body }
                if let node = try parseStatement() { body.append(node) }
                try expect(.blockEnd)
            case .eof:
                return body
            default:
                throw fail("unexpected '\(token.description)'")
            }
        }
    }

    /// Parses `{% … %}` contents up to (not including) the block end.
    func parseStatements(_ endTokens: [String], dropNeedle: Bool = false) throws -> [Node] {
        if current.isOp(":") { advance() }
        try expect(.blockEnd)
        let body = try subparse(endTokens)
        if current.kind == .eof { throw failEOF(endTokens) }
        if dropNeedle { advance() }
        return body
    }

    func failUnknownTag(_ name: String?, stack: [[String]], token: Token) -> JinjaError {
        var expected = Set<String>()
        for tokens in stack { expected.formUnion(tokens) }
        let currentlyLooking = stack.last.map { $0.map { "'\($0)'" }.joined(separator: " or ") }
        var message = [name == nil ? "Unexpected end of template." : "Encountered unknown tag '\(name!)'."]
        if let currentlyLooking {
            if let name, expected.contains(name) {
                message.append("You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for \(currentlyLooking).")
            } else {
                message.append("Jinja was looking for the following tags: \(currentlyLooking).")
            }
        }
        if let innermost = tagStack.last { message.append("The innermost block that needs to be closed is '\(innermost)'.") }
        return fail(message.joined(separator: " "), token)
    }

    func failEOF(_ endTokens: [String]) -> JinjaError {
        failUnknownTag(nil, stack: endTokenStack + [endTokens], token: current)
    }

    /// Runs `body` with soft-frame tracking reset (loop, macro … bodies are new frames).
    func hardFrame<T>(_ body: () throws -> T) rethrows -> T {
        let saved = softDepth
        softDepth = 0
        defer { softDepth = saved }
        return try body()
    }

    /// Parses a body while recording which names it mentions.
    func tracking<T>(_ body: () throws -> T) rethrows -> (T, Set<String>) {
        let saved = referencedNames
        referencedNames = []
        defer { referencedNames.formUnion(saved) }
        let result = try body()
        return (result, referencedNames)
    }

    func parseStatement() throws -> Node? {
        let token = current
        guard token.kind == .name else { throw fail("tag name expected") }
        try enterNesting()
        defer { nesting -= 1 }
        tagStack.append(token.text)
        var popTag = true
        defer { if popTag { tagStack.removeLast() } }
        switch token.text {
        case "if": return try parseIf()
        case "for": return try parseFor()
        case "set": return try parseSet()
        case "macro": return try parseMacro()
        case "call": return try parseCallBlock()
        case "filter": return try parseFilterBlock()
        case "with": return try parseWith()
        case "autoescape":
            advance()
            _ = try parseExpression()
            let body = try parseStatements(["endautoescape"], dropNeedle: true)
            return WithNode(assignments: [], body: body, line: token.line)
        case "print":
            advance()
            var exprs: [Expr] = []
            while current.kind != .blockEnd {
                if !exprs.isEmpty { try expectOp(",") }
                exprs.append(try parseExpression())
            }
            return PrintNode(exprs.map { OutputNode($0, line: token.line) }, line: token.line)
        case "include": return try parseInclude()
        case "import": return try parseImport()
        case "from": return try parseFromImport()
        case "extends": return try parseExtends()
        case "block": return try parseBlock()
        default:
            tagStack.removeLast()
            popTag = false
            throw failUnknownTag(token.text, stack: endTokenStack, token: token)
        }
    }

    private func parseIf() throws -> Node {
        let line = current.line
        advance()
        softDepth += 1
        defer { softDepth -= 1 }
        var branches: [(test: Expr, body: [Node])] = []
        var elseBody: [Node] = []
        while true {
            let test = try parseTuple(withCondexpr: false)
            let body = try parseStatements(["elif", "else", "endif"])
            branches.append((test, body))
            let token = current
            advance()
            if token.isName("elif") { continue }
            if token.isName("else") { elseBody = try parseStatements(["endif"], dropNeedle: true) }
            break
        }
        return IfNode(branches: branches, elseBody: elseBody, line: line)
    }

    private func parseFor() throws -> Node {
        let line = current.line
        advance()
        let target = try parseAssignTarget(extraEndRules: ["in"])
        try expectName("in")
        let iterable = try parseTuple(withCondexpr: false, extraEndRules: ["recursive"])
        let condition: Expr? = skipName("if") ? try parseExpression() : nil
        let recursive = skipName("recursive")
        let (body, names) = try hardFrame { try tracking { try parseStatements(["endfor", "else"]) } }
        var elseBody: [Node] = []
        let token = current
        advance()
        if !token.isName("endfor") {
            elseBody = try hardFrame { try parseStatements(["endfor"], dropNeedle: true) }
        }
        return ForNode(target: target, iterable: iterable, condition: condition, body: body, elseBody: elseBody,
                       recursive: recursive, usesLoop: names.contains("loop"), line: line)
    }

    func parseAssignTarget(withTuple: Bool = true, nameOnly: Bool = false, extraEndRules: [String] = [],
                           withNamespace: Bool = false) throws -> AssignTarget {
        if nameOnly {
            let token = try expectName()
            return .name(token.text)
        }
        let start = current
        let expr = withTuple
            ? try parseTuple(simplified: true, extraEndRules: extraEndRules, withNamespace: withNamespace)
            : try parsePrimary(withNamespace: withNamespace)
        return try assignTarget(expr, start)
    }

    private func assignTarget(_ expr: Expr, _ token: Token) throws -> AssignTarget {
        if let name = expr as? NameExpr { return .name(name.name) }
        if let ref = expr as? NamespaceRefExpr { return .attribute(ref.namespace, ref.name) }
        if let list = expr as? ListExpr, list.isTuple { return .tuple(try list.items.map { try assignTarget($0, token) }) }
        if let c = expr as? ConstExpr, case .list(let items) = c.value, items.isEmpty { return .tuple([]) }
        let kind = expr is ConstExpr ? "const" : (expr is ListExpr ? "list" : "expression")
        throw fail("can't assign to '\(kind)'", token)
    }

    private func parseSet() throws -> Node {
        let line = current.line
        advance()
        let target = try parseAssignTarget(withNamespace: true)
        if current.isOp("=") {
            advance()
            return SetNode(target, try parseTuple(), line: line)
        }
        var filter: Expr?
        if current.isOp("|") { filter = try parseFilter(CapturedValueExpr(line: line)) }
        let body = try parseStatements(["endset"], dropNeedle: true)
        return SetBlockNode(target, body: body, filter: filter, line: line)
    }

    func parseSignature() throws -> [(name: String, defaultValue: Expr?)] {
        var params: [(name: String, defaultValue: Expr?)] = []
        try expectOp("(")
        while !current.isOp(")") {
            if !params.isEmpty { try expectOp(",") }
            let name = try expectName().text
            if current.isOp("=") {
                advance()
                params.append((name, try parseExpression()))
            } else {
                if params.contains(where: { $0.defaultValue != nil }) { throw fail("non-default argument follows default argument") }
                params.append((name, nil))
            }
        }
        try expectOp(")")
        return params
    }

    private func parseMacro() throws -> Node {
        let line = current.line
        advance()
        let name = try expectName().text
        let params = try parseSignature()
        let (body, names) = try hardFrame { try tracking { try parseStatements(["endmacro"], dropNeedle: true) } }
        let definition = MacroDefinition(name: name, parameters: params, body: body,
                                         catchVarargs: names.contains("varargs"), catchKwargs: names.contains("kwargs"),
                                         usesCaller: names.contains("caller"))
        return MacroNode(definition, line: line)
    }

    private func parseCallBlock() throws -> Node {
        let line = current.line
        advance()
        let params = current.isOp("(") ? try parseSignature() : []
        let callExpr = try parseExpression()
        guard let call = callExpr as? CallExpr else { throw fail("expected call") }
        let (body, names) = try hardFrame { try tracking { try parseStatements(["endcall"], dropNeedle: true) } }
        let caller = MacroDefinition(name: "caller", parameters: params, body: body,
                                     catchVarargs: names.contains("varargs"), catchKwargs: names.contains("kwargs"),
                                     usesCaller: names.contains("caller"))
        return CallBlockNode(call: call, caller: caller, line: line)
    }

    private func parseFilterBlock() throws -> Node {
        let line = current.line
        advance()
        let filter = try parseFilter(CapturedValueExpr(line: line), startInline: true)
        let body = try hardFrame { try parseStatements(["endfilter"], dropNeedle: true) }
        return FilterBlockNode(body: body, filter: filter, line: line)
    }

    private func parseWith() throws -> Node {
        let line = current.line
        advance()
        var assignments: [(AssignTarget, Expr)] = []
        while current.kind != .blockEnd {
            if !assignments.isEmpty { try expectOp(",") }
            let target = try parseAssignTarget()
            try expectOp("=")
            assignments.append((target, try parseExpression()))
        }
        let body = try hardFrame { try parseStatements(["endwith"], dropNeedle: true) }
        return WithNode(assignments: assignments, body: body, line: line)
    }
}

/// `{% print a, b %}`
final class PrintNode: Node {
    let outputs: [OutputNode]
    init(_ outputs: [OutputNode], line: Int) {
        self.outputs = outputs
        super.init(line: line)
    }
    override func render(_ c: RenderContext, _ out: Output) throws {
        for output in outputs { try output.render(c, out) }
    }
}
