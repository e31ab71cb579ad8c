/// `include`, `import`, `from … import`, `extends` and `block`.
extension Parser {
    private func parseContext(default value: Bool) -> Bool {
        if (current.isName("with") || current.isName("without")) && peek.isName("context") {
            let with = current.text == "with"
            advance(); advance()
            return with
        }
        return value
    }

    func parseInclude() throws -> Node {
        let line = current.line
        advance()
        let template = try parseExpression()
        var ignoreMissing = false
        if current.isName("ignore") && peek.isName("missing") {
            ignoreMissing = true
            advance(); advance()
        }
        return IncludeNode(template: template, ignoreMissing: ignoreMissing, withContext: parseContext(default: true), line: line)
    }

    func parseImport() throws -> Node {
        let line = current.line
        advance()
        let template = try parseExpression()
        try expectName("as")
        let target = try expectName().text
        return ImportNode(template: template, target: target, withContext: parseContext(default: false), line: line)
    }

    func parseFromImport() throws -> Node {
        let line = current.line
        advance()
        let template = try parseExpression()
        try expectName("import")
        var names: [(name: String, alias: String)] = []
        var withContext = false
        func contextClause() -> Bool {
            if (current.isName("with") || current.isName("without")) && peek.isName("context") {
                withContext = current.text == "with"
                advance(); advance()
                return true
            }
            return false
        }
        while true {
            if !names.isEmpty { try expectOp(",") }
            if current.kind == .name {
                if contextClause() { break }
                let token = try expectName()
                if token.text.hasPrefix("_") { throw fail("names starting with an underline can not be imported", token) }
                if skipName("as") {
                    names.append((token.text, try expectName().text))
                } else {
                    names.append((token.text, token.text))
                }
                if contextClause() || !current.isOp(",") { break }
            } else {
                try expectName()
            }
        }
        return FromImportNode(template: template, names: names, withContext: withContext, line: line)
    }

    func parseExtends() throws -> Node {
        let line = current.line
        advance()
        let template = try parseExpression()
        let node = ExtendsNode(template: template, line: line)
        extendsNodes.append(node)
        return node
    }

    func parseBlock() throws -> Node {
        let line = current.line
        advance()
        let name = try expectName().text
        _ = skipName("scoped")
        _ = skipName("required")
        if current.isOp("-") {
            throw fail("Block names in Jinja have to be valid Python identifiers and may not contain hyphens, use an underscore instead.")
        }
        if blocks[name] != nil { throw fail("block '\(name)' defined twice") }
        let node = BlockNode(name: name, line: line)
        blocks[name] = node
        node.body = try hardFrame { try parseStatements(["endblock"], dropNeedle: true) }
        _ = skipName(name)
        return node
    }
}
