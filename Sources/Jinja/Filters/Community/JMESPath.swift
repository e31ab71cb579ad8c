import Foundation

/// JMESPath (jmespath.org), for `community.general.json_query`: identifiers, sub- and
/// index expressions, slices, list/object projections, flatten, filters, comparisons,
/// `||`/`&&`/`!`, pipes, multi-select lists and hashes, literals, `@`, and the spec's
/// functions. Parsed with binding powers as the specification's reference parser does.
public enum JMESPath {
    /// `expression` applied to `data`; throws a JinjaError for a malformed expression.
    public static func search(_ expression: String, _ data: Value) throws -> Value {
        var parser = Parser(tokens: try Lexer.tokens(expression))
        let node = try parser.expression(0)
        guard parser.peek == .eof else { throw error("Unexpected token \(parser.peek) in \(expression)") }
        return try Evaluator().eval(node, data)
    }

    static func error(_ message: String) -> JinjaError { JinjaError(.runtime, "JMESPathError in json_query filter plugin:\n\(message)") }

    indirect enum Node {
        case field(String), current, literal(Value)
        case subexpression(Node, Node), index(Int), slice(Int?, Int?, Int?)
        case projection(Node, Node), valueProjection(Node, Node), flatten(Node)
        case filterProjection(Node, Node, Node)
        case pipe(Node, Node), or(Node, Node), and(Node, Node), not(Node)
        case compare(String, Node, Node)
        case multiList([Node]), multiHash([(String, Node)])
        case function(String, [Node]), expref(Node)
        case indexExpression(Node, Node)
    }

    enum Token: Equatable {
        case identifier(String), quoted(String), number(Int), literal(String), rawString(String)
        case dot, star, lbracket, rbracket, lbrace, rbrace, lparen, rparen, comma, colon, pipe, or, and, not
        case filter, flatten, at, ampersand, comparator(String), eof
    }

    enum Lexer {
        static func tokens(_ text: String) throws -> [Token] {
            let c = Array(text)
            var i = 0
            var out: [Token] = []
            while i < c.count {
                let ch = c[i]
                if ch.isWhitespace { i += 1; continue }
                if ch.isLetter || ch == "_" {
                    var j = i
                    while j < c.count, c[j].isLetter || c[j].isNumber || c[j] == "_" { j += 1 }
                    out.append(.identifier(String(c[i..<j]))); i = j; continue
                }
                if ch.isNumber || (ch == "-" && i + 1 < c.count && c[i + 1].isNumber) {
                    var j = i + 1
                    while j < c.count, c[j].isNumber { j += 1 }
                    out.append(.number(Int(String(c[i..<j])) ?? 0)); i = j; continue
                }
                func delimited(_ end: Character) throws -> String {
                    var j = i + 1
                    var s = ""
                    while j < c.count, c[j] != end {
                        if c[j] == "\\", j + 1 < c.count { s.append(c[j]); j += 1 }
                        s.append(c[j]); j += 1
                    }
                    guard j < c.count else { throw JMESPath.error("Unterminated \(end) in expression") }
                    i = j + 1
                    return s
                }
                switch ch {
                case "\"":
                    let raw = try delimited("\"")
                    let decoded = (try? JSONSerialization.jsonObject(with: Data(("\"" + raw + "\"").utf8), options: .fragmentsAllowed)) as? String
                    out.append(.quoted(decoded ?? raw))
                case "'": out.append(.rawString(try delimited("'").replacingOccurrences(of: "\\'", with: "'")))
                case "`": out.append(.literal(try delimited("`").replacingOccurrences(of: "\\`", with: "`")))
                case ".": out.append(.dot); i += 1
                case "*": out.append(.star); i += 1
                case "]": out.append(.rbracket); i += 1
                case "{": out.append(.lbrace); i += 1
                case "}": out.append(.rbrace); i += 1
                case "(": out.append(.lparen); i += 1
                case ")": out.append(.rparen); i += 1
                case ",": out.append(.comma); i += 1
                case ":": out.append(.colon); i += 1
                case "@": out.append(.at); i += 1
                case "[":
                    if i + 1 < c.count, c[i + 1] == "?" { out.append(.filter); i += 2 }
                    else if i + 1 < c.count, c[i + 1] == "]" { out.append(.flatten); i += 2 }
                    else { out.append(.lbracket); i += 1 }
                case "|":
                    if i + 1 < c.count, c[i + 1] == "|" { out.append(.or); i += 2 } else { out.append(.pipe); i += 1 }
                case "&":
                    if i + 1 < c.count, c[i + 1] == "&" { out.append(.and); i += 2 } else { out.append(.ampersand); i += 1 }
                case "!":
                    if i + 1 < c.count, c[i + 1] == "=" { out.append(.comparator("!=")); i += 2 } else { out.append(.not); i += 1 }
                case "<", ">", "=":
                    if i + 1 < c.count, c[i + 1] == "=" { out.append(.comparator(String(ch) + "=")); i += 2 }
                    else if ch == "=" { throw JMESPath.error("Unknown token '=', did you mean '=='?") }
                    else { out.append(.comparator(String(ch))); i += 1 }
                default:
                    throw JMESPath.error("Unknown token '\(ch)'")
                }
            }
            out.append(.eof)
            return out
        }
    }

    struct Parser {
        let tokens: [Token]
        var position = 0
        init(tokens: [Token]) { self.tokens = tokens }
        var peek: Token { tokens[position] }
        mutating func next() -> Token { defer { position += 1 }; return tokens[position] }
        mutating func expect(_ t: Token) throws {
            guard next() == t else { throw JMESPath.error("Expected \(t), got \(tokens[position - 1])") }
        }

        static func power(_ t: Token) -> Int {
            switch t {
            case .pipe: return 1
            case .or: return 2
            case .and: return 3
            case .comparator: return 5
            case .flatten: return 9
            case .star: return 20
            case .filter: return 21
            case .dot: return 40
            case .not: return 45
            case .lbrace: return 50
            case .lbracket: return 55
            case .lparen: return 60
            default: return 0
            }
        }

        mutating func expression(_ rbp: Int) throws -> Node {
            var left = try nud()
            while rbp < Parser.power(peek) { left = try led(left) }
            return left
        }

        mutating func nud() throws -> Node {
            let t = next()
            switch t {
            case .identifier(let name), .quoted(let name):
                if peek == .lparen, case .identifier = t {
                    position += 1
                    var args: [Node] = []
                    while peek != .rparen {
                        args.append(peek == .ampersand ? try { position += 1; return .expref(try expression(0)) }() : try expression(0))
                        if peek == .comma { position += 1 }
                    }
                    try expect(.rparen)
                    return .function(name, args)
                }
                return .field(name)
            case .literal(let json):
                let trimmed = json.trimmingCharacters(in: .whitespaces)
                if let parsed = try? Value.parseJSON(trimmed) { return .literal(parsed) }
                return .literal(.string(trimmed))
            case .rawString(let s): return .literal(.string(s))
            case .at: return .current
            case .star: return .valueProjection(.current, try projectionRHS(Parser.power(.star)))
            case .flatten: return .projection(.flatten(.current), try projectionRHS(Parser.power(.flatten)))
            case .filter: return try filter(.current)
            case .not: return .not(try expression(Parser.power(.not)))
            case .lparen:
                let e = try expression(0)
                try expect(.rparen)
                return e
            case .lbrace: return try multiHash()
            case .lbracket:
                if case .number = peek { return try indexOrSlice(.current) }
                if peek == .colon { return try indexOrSlice(.current) }
                if peek == .star, tokens[position + 1] == .rbracket {
                    position += 2
                    return .projection(.current, try projectionRHS(Parser.power(.star)))
                }
                return try multiList()
            default:
                throw JMESPath.error("Unexpected token: \(t)")
            }
        }

        mutating func led(_ left: Node) throws -> Node {
            let t = next()
            switch t {
            case .dot:
                if peek == .star {
                    position += 1
                    return .valueProjection(left, try projectionRHS(Parser.power(.star)))
                }
                return .subexpression(left, try dotRHS())
            case .pipe: return .pipe(left, try expression(Parser.power(.pipe)))
            case .or: return .or(left, try expression(Parser.power(.or)))
            case .and: return .and(left, try expression(Parser.power(.and)))
            case .comparator(let op): return .compare(op, left, try expression(Parser.power(t)))
            case .flatten: return .projection(.flatten(left), try projectionRHS(Parser.power(.flatten)))
            case .filter: return try filter(left)
            case .lbracket:
                if peek == .star, tokens[position + 1] == .rbracket {
                    position += 2
                    return .projection(left, try projectionRHS(Parser.power(.star)))
                }
                return try indexOrSlice(left)
            default:
                throw JMESPath.error("Unexpected token: \(t)")
            }
        }

        mutating func dotRHS() throws -> Node {
            switch peek {
            case .lbracket: position += 1; return try multiList()
            case .lbrace: position += 1; return try multiHash()
            default: return try expression(Parser.power(.dot))
            }
        }

        mutating func projectionRHS(_ rbp: Int) throws -> Node {
            if Parser.power(peek) < 10 { return .current }
            switch peek {
            case .lbracket, .filter: return try expression(rbp)
            case .dot: position += 1; return try dotRHS()
            default: throw JMESPath.error("Syntax error after projection: \(peek)")
            }
        }

        mutating func filter(_ left: Node) throws -> Node {
            let condition = try expression(0)
            try expect(.rbracket)
            return .filterProjection(left, try projectionRHS(Parser.power(.filter)), condition)
        }

        mutating func indexOrSlice(_ left: Node) throws -> Node {
            var parts: [Int?] = [nil]
            var colons = 0
            while peek != .rbracket {
                switch next() {
                case .number(let n): parts[colons] = n
                case .colon:
                    colons += 1
                    guard colons < 3 else { throw JMESPath.error("Too many colons in slice") }
                    parts.append(nil)
                default: throw JMESPath.error("Expected a number or ':' in brackets")
                }
            }
            position += 1
            if colons == 0 {
                guard let n = parts[0] else { throw JMESPath.error("Empty index") }
                return .indexExpression(left, .index(n))
            }
            while parts.count < 3 { parts.append(nil) }
            return .projection(.indexExpression(left, .slice(parts[0], parts[1], parts[2])), try projectionRHS(Parser.power(.star)))
        }

        mutating func multiList() throws -> Node {
            var items: [Node] = []
            while true {
                items.append(try expression(0))
                if peek == .comma { position += 1; continue }
                try expect(.rbracket)
                return .multiList(items)
            }
        }

        mutating func multiHash() throws -> Node {
            var pairs: [(String, Node)] = []
            while true {
                let key: String
                switch next() {
                case .identifier(let k), .quoted(let k): key = k
                default: throw JMESPath.error("Expected a key in a multi-select hash")
                }
                try expect(.colon)
                pairs.append((key, try expression(0)))
                if peek == .comma { position += 1; continue }
                try expect(.rbrace)
                return .multiHash(pairs)
            }
        }
    }
}
