/// One lexical token of a template, with its 1-based position for error messages.
struct Token {
    enum Kind: UInt8 {
        case data, variableBegin, variableEnd, blockBegin, blockEnd
        case rawBegin, rawEnd
        case name, string, integer, float, op, eof
    }

    var kind: Kind
    /// Name, operator symbol, string contents (unescaped) or template data.
    var text: String
    var intValue: Int = 0
    var floatValue: Double = 0
    var line: Int
    /// Byte offset in the normalised source; the column is derived from it on error.
    var offset: Int

    init(_ kind: Kind, _ text: String, line: Int, offset: Int) {
        self.kind = kind
        self.text = text
        self.line = line
        self.offset = offset
    }

    func isName(_ name: String) -> Bool { kind == .name && text == name }
    func isOp(_ symbol: String) -> Bool { kind == .op && text == symbol }

    /// How Jinja2 names a token in "unexpected …" / "expected token …" messages.
    var description: String {
        switch kind {
        case .name, .op: return text
        default: return Token.describe(kind)
        }
    }

    static func describe(_ kind: Kind) -> String {
        switch kind {
        case .data: return "template data / text"
        case .variableBegin: return "begin of print statement"
        case .variableEnd: return "end of print statement"
        case .blockBegin: return "begin of statement block"
        case .blockEnd: return "end of statement block"
        case .rawBegin: return "raw_begin"
        case .rawEnd: return "raw_end"
        case .name: return "name"
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .op: return "operator"
        case .eof: return "end of template"
        }
    }
}
