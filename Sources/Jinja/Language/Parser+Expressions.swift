/// Expression grammar, precedence from loosest to tightest exactly as Jinja2's parser:
/// conditional → or → and → not → comparison → + - → ~ → * / // % → ** → unary
/// → primary with postfix (`.x`, `[i]`, `(args)`) and filters/tests.
extension Parser {
    func parseTuple(simplified: Bool = false, withCondexpr: Bool = true, extraEndRules: [String] = [],
                    explicitParentheses: Bool = false, withNamespace: Bool = false) throws -> Expr {
        let line = current.line
        var items: [Expr] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOp(",") }
            if isTupleEnd(extraEndRules) { break }
            if simplified {
                items.append(try parsePrimary(withNamespace: withNamespace))
            } else {
                items.append(try parseExpression(withCondexpr: withCondexpr))
            }
            if current.isOp(",") { isTuple = true } else { break }
        }
        if !isTuple {
            if let first = items.first { return first }
            if !explicitParentheses { throw fail("Expected an expression, got '\(current.description)'") }
        }
        return fold(ListExpr(items, isTuple: true, line: line))
    }

    private func isTupleEnd(_ extraEndRules: [String]) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd, .eof: return true
        case .op: return current.text == ")"
        // Jinja2 3.1's `extra_end_rules` never match (it passes the rule tuple to
        // `test_any` unpacked wrongly), so names never end a tuple; mirror that.
        case .name: return false
        default: return false
        }
    }

    func parseExpression(withCondexpr: Bool = true) throws -> Expr {
        try enterNesting()
        defer { nesting -= 1 }
        return withCondexpr ? try parseCondexpr() : try parseOr()
    }

    private func parseCondexpr() throws -> Expr {
        let line = current.line
        let mark = unknownNames.count
        var expr1 = try parseOr()
        while skipName("if") {
            let expr2 = try parseOr()
            let expr3: Expr? = skipName("else") ? try parseCondexpr() : nil
            for i in mark..<unknownNames.count { unknownNames[i].soft = true }
            expr1 = CondExpr(test: expr2, then: expr1, otherwise: expr3, line: line)
        }
        return expr1
    }

    private func parseOr() throws -> Expr {
        var left = try parseAnd()
        while skipName("or") { left = fold(OrExpr(left, try parseAnd(), line: left.line)) }
        return left
    }

    private func parseAnd() throws -> Expr {
        var left = try parseNot()
        while skipName("and") { left = fold(AndExpr(left, try parseNot(), line: left.line)) }
        return left
    }

    private func parseNot() throws -> Expr {
        if current.isName("not") {
            let line = current.line
            advance()
            try enterNesting()
            defer { nesting -= 1 }
            return fold(NotExpr(try parseNot(), line: line))
        }
        return try parseCompare()
    }

    private func parseCompare() throws -> Expr {
        let expr = try parseMath1()
        var ops: [(PythonOperators.Comparison, Expr)] = []
        while true {
            if current.kind == .op, let op = PythonOperators.Comparison(rawValue: current.text), op != .in, op != .notIn {
                advance()
                ops.append((op, try parseMath1()))
            } else if current.isName("in") {
                advance()
                ops.append((.in, try parseMath1()))
            } else if current.isName("not") && peek.isName("in") {
                advance(); advance()
                ops.append((.notIn, try parseMath1()))
            } else {
                break
            }
        }
        if ops.isEmpty { return expr }
        return fold(CompareExpr(expr, ops, line: expr.line))
    }

    private func parseMath1() throws -> Expr {
        var left = try parseConcat()
        while current.isOp("+") || current.isOp("-") {
            let op: PythonOperators.Binary = current.text == "+" ? .add : .sub
            advance()
            left = fold(BinaryExpr(op, left, try parseConcat(), line: left.line))
        }
        return left
    }

    private func parseConcat() throws -> Expr {
        var parts = [try parseMath2()]
        while current.isOp("~") {
            advance()
            parts.append(try parseMath2())
        }
        return parts.count == 1 ? parts[0] : fold(ConcatExpr(parts, line: parts[0].line))
    }

    private func parseMath2() throws -> Expr {
        var left = try parsePow()
        while current.kind == .op, let op = ["*": PythonOperators.Binary.mul, "/": .div, "//": .floorDiv, "%": .mod][current.text] {
            advance()
            let rightStart = current
            let right = try parsePow()
            let isTuple = rightStart.isOp("(") && (right as? ListExpr)?.isTuple == true
            left = fold(BinaryExpr(op, left, right, rhsIsTuple: isTuple, line: left.line))
        }
        return left
    }

    private func parsePow() throws -> Expr {
        var left = try parseUnary()
        while current.isOp("**") {
            advance()
            left = fold(BinaryExpr(.pow, left, try parseUnary(), line: left.line))
        }
        return left
    }

    private func parseUnary(withFilter: Bool = true) throws -> Expr {
        try enterNesting()
        defer { nesting -= 1 }
        var node: Expr
        let line = current.line
        if current.isOp("-") || current.isOp("+") {
            let negate = current.text == "-"
            advance()
            node = fold(NegExpr(try parseUnary(withFilter: false), negate: negate, line: line))
        } else {
            node = try parsePrimary()
        }
        node = try parsePostfix(node)
        if withFilter { node = try parseFilterExpr(node) }
        return node
    }

    /// With `withNamespace`, `name.attr` is a namespace reference (an assignment target).
    func parsePrimary(withNamespace: Bool = false) throws -> Expr {
        let token = current
        let line = token.line
        switch token.kind {
        case .name:
            advance()
            switch token.text {
            case "true", "True": return ConstExpr(.bool(true), line: line)
            case "false", "False": return ConstExpr(.bool(false), line: line)
            case "none", "None": return ConstExpr(.null, line: line)
            case _ where withNamespace && current.isOp("."):
                advance()
                let attr = try expectName()
                referencedNames.insert(token.text)
                return NamespaceRefExpr(NameExpr(token.text, line: line), attr.text, line: line)
            default:
                referencedNames.insert(token.text)
                return NameExpr(token.text, line: line)
            }
        case .string:
            advance()
            var text = token.text
            while current.kind == .string { text += current.text; advance() }
            if renderConstTemplates || lookupArgumentDepth > 0, Environment.isTemplate(text) {
                return ConstTemplateExpr(text, line: line)
            }
            return ConstExpr(.string(text), line: line)
        case .integer:
            advance()
            return ConstExpr(.int(token.intValue), line: line)
        case .float:
            advance()
            return ConstExpr(.float(token.floatValue), line: line)
        case .op where token.text == "(":
            advance()
            let node = try parseTuple(explicitParentheses: true)
            try expectOp(")")
            return node
        case .op where token.text == "[":
            return try parseList()
        case .op where token.text == "{":
            return try parseDict()
        default:
            throw fail("unexpected '\(token.description)'", token)
        }
    }

    private func parseList() throws -> Expr {
        let line = current.line
        try expectOp("[")
        var items: [Expr] = []
        while !current.isOp("]") {
            if !items.isEmpty { try expectOp(",") }
            if current.isOp("]") { break }
            items.append(try parseExpression())
        }
        try expectOp("]")
        return fold(ListExpr(items, isTuple: false, line: line))
    }

    private func parseDict() throws -> Expr {
        let line = current.line
        try expectOp("{")
        var pairs: [(Expr, Expr)] = []
        while !current.isOp("}") {
            if !pairs.isEmpty { try expectOp(",") }
            if current.isOp("}") { break }
            let key = try parseExpression()
            try expectOp(":")
            pairs.append((key, try parseExpression()))
        }
        try expectOp("}")
        return fold(DictExpr(pairs, line: line))
    }

    func parsePostfix(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            if current.isOp(".") || current.isOp("[") {
                node = try parseSubscript(node)
            } else if current.isOp("(") {
                node = try parseCall(node)
            } else {
                return node
            }
        }
    }

    /// A call of `node`. The arguments of `lookup`/`query`/`q` are parsed as lookup
    /// arguments (`lookupArgumentDepth`), and the lookup's name is never rendered.
    private func parseCall(_ node: Expr) throws -> Expr {
        guard let name = (node as? NameExpr)?.name, ["lookup", "query", "q"].contains(name) else {
            return CallExpr(node, try parseCallArguments(), line: node.line)
        }
        lookupArgumentDepth += 1
        defer { lookupArgumentDepth -= 1 }
        var arguments = try parseCallArguments()
        if let first = arguments.positional.first as? ConstTemplateExpr {
            arguments.positional[0] = ConstExpr(.string(first.text), line: first.line)
        }
        return CallExpr(node, arguments, line: node.line)
    }

    private func parseSubscript(_ node: Expr) throws -> Expr {
        let token = current
        advance()
        if token.text == "." {
            let attr = current
            advance()
            if attr.kind == .name { return GetAttrExpr(node, attr.text, line: node.line) }
            guard attr.kind == .integer else { throw fail("expected name or number", attr) }
            return fold(GetItemExpr(node, ConstExpr(.int(attr.intValue), line: attr.line), line: node.line))
        }
        var args: [Expr] = []
        while !current.isOp("]") {
            if !args.isEmpty { try expectOp(",") }
            args.append(try parseSubscribed(node))
        }
        try expectOp("]")
        if args.count == 1 {
            if let slice = args[0] as? SliceExpr { return slice }
            return fold(GetItemExpr(node, args[0], line: node.line))
        }
        return fold(GetItemExpr(node, ListExpr(args, isTuple: true, line: node.line), line: node.line))
    }

    /// One subscript: an expression or a `start:stop:step` slice.
    private func parseSubscribed(_ target: Expr) throws -> Expr {
        var parts: [Expr?] = []
        if current.isOp(":") {
            advance()
            parts.append(nil)
        } else {
            let node = try parseExpression()
            if !current.isOp(":") { return node }
            advance()
            parts.append(node)
        }
        if current.isOp(":") {
            parts.append(nil)
        } else if !current.isOp("]") && !current.isOp(",") {
            parts.append(try parseExpression())
        } else {
            parts.append(nil)
        }
        if current.isOp(":") {
            advance()
            if !current.isOp("]") && !current.isOp(",") { parts.append(try parseExpression()) } else { parts.append(nil) }
        } else {
            parts.append(nil)
        }
        return SliceExpr(target, start: parts[0], stop: parts[1], step: parts[2], line: target.line)
    }

    func parseCallArguments() throws -> ArgumentList {
        let open = current
        try expectOp("(")
        var list = ArgumentList()
        var requireComma = false
        while !current.isOp(")") {
            if requireComma {
                try expectOp(",")
                if current.isOp(")") { break }
            }
            if current.isOp("*") || current.isOp("**") {
                let isKeywords = current.isOp("**")
                advance()
                let spread = try parseExpression()
                if isKeywords { list.spreadKeywords = spread } else { list.spreadPositional = spread }
                requireComma = true
                continue
            }
            if current.kind == .name && peek.isOp("=") {
                let key = current.text
                advance(); advance()
                list.keywords.append((key, try parseExpression()))
            } else {
                if !list.keywords.isEmpty { throw fail("invalid syntax for function call expression", open) }
                list.positional.append(try parseExpression())
            }
            requireComma = true
        }
        try expectOp(")")
        return list
    }

    private func parseFilterExpr(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            if current.isOp("|") {
                node = try parseFilter(node)
            } else if current.isName("is") {
                node = try parseTest(node)
            } else if current.isOp("(") {
                node = try parseCall(node)
            } else {
                return node
            }
        }
    }

    /// `| name(args) | name2 …`; with `startInline` the first `|` is implied.
    func parseFilter(_ start: Expr, startInline: Bool = false) throws -> Expr {
        var node = start
        var inline = startInline
        while current.isOp("|") || inline {
            if !inline { advance() }
            inline = false
            let token = try expectName()
            var name = token.text
            while current.isOp(".") {
                advance()
                name += "." + (try expectName()).text
            }
            let args = current.isOp("(") ? try parseCallArguments() : ArgumentList()
            let filter = environment.filter(named: name)
            if filter == nil { unknownNames.append(UnknownName(isFilter: true, name: name, token: token, soft: softDepth > 0)) }
            node = FilterExpr(node, name: name, filter: filter, arguments: args, line: token.line)
        }
        return node
    }

    private func parseTest(_ node: Expr) throws -> Expr {
        advance()  // `is`
        let negated = skipName("not")
        let token = try expectName()
        var name = token.text
        while current.isOp(".") {
            advance()
            name += "." + (try expectName()).text
        }
        var args = ArgumentList()
        if current.isOp("(") {
            args = try parseCallArguments()
        } else if [.name, .string, .integer, .float].contains(current.kind) || current.isOp("(") || current.isOp("[") || current.isOp("{"),
                  !(current.isName("else") || current.isName("or") || current.isName("and")) {
            if current.isName("is") { throw fail("You cannot chain multiple tests with is") }
            args.positional = [try parsePostfix(try parsePrimary())]
        }
        let test = environment.test(named: name)
        if test == nil { unknownNames.append(UnknownName(isFilter: false, name: name, token: token, soft: softDepth > 0)) }
        let result: Expr = TestExpr(node, name: name, test: test, arguments: args, line: token.line)
        return negated ? NotExpr(result, line: token.line) : result
    }

    /// Evaluates pure operator nodes over constants once, at compile time.
    func fold(_ expr: Expr) -> Expr {
        let children: [Expr]
        switch expr {
        case let e as BinaryExpr: children = [e.lhs, e.rhs]
        case let e as ConcatExpr: children = e.parts
        case let e as CompareExpr: children = [e.first] + e.rest.map(\.1)
        case let e as AndExpr: children = [e.lhs, e.rhs]
        case let e as OrExpr: children = [e.lhs, e.rhs]
        case let e as NotExpr: children = [e.operand]
        case let e as NegExpr: children = [e.operand]
        case let e as ListExpr:
            // Tuple literals stay nodes so `"%s %s" % (a, b)` can tell them from lists.
            if e.isTuple { return expr }
            children = e.items
        case let e as DictExpr: children = e.pairs.flatMap { [$0.0, $0.1] }
        case let e as GetItemExpr: children = [e.object, e.key]
        default: return expr
        }
        guard children.allSatisfy({ $0.constant != nil }) else { return expr }
        if let binary = expr as? BinaryExpr, binary.op == .mul || binary.op == .pow { return expr }
        let scratch = RenderContext(environment: environment, variables: DictionaryLookup([:]), scope: Scope(parent: nil), templateName: "")
        guard let value = try? expr.eval(scratch), !value.isUndefined else { return expr }
        if case .object = value { return expr }
        return ConstExpr(value, line: expr.line)
    }
}
