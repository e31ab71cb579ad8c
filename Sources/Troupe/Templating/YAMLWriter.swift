/// The text-producing half of ``YAMLEmitter``: a recursive rendition of the libyaml emitter
/// that PyYAML's C dumper (and so Ansible) uses — indentation bookkeeping, scalar analysis
/// and style choice, quoting and line folding — limited to what `yaml.dump` of plain data
/// produces.
struct YAMLWriter {
    let bestIndent: Int
    let bestWidth: Int
    let allowUnicode: Bool
    let explicitStart: Bool
    let explicitEnd: Bool

    private(set) var output = ""
    private var indent: Int?
    private var indents: [Int?] = []
    private var flowLevel = 0
    var column = 0
    var whitespace = true
    var indention = true
    private var openEnded = false
    private var rootContext = false
    private var sequenceContext = false
    private var mappingContext = false
    private var simpleKeyContext = false

    init(options: YAMLEmitter.Options) {
        bestIndent = (2..<10).contains(options.indent) ? options.indent : 2
        bestWidth = options.width > bestIndent * 2 ? options.width : 80
        allowUnicode = options.allowUnicode
        explicitStart = options.explicitStart
        explicitEnd = options.explicitEnd
    }

    static let lineBreaks: Set<Unicode.Scalar> = ["\n", "\u{85}", "\u{2028}", "\u{2029}"]
    static let whitespaceOrEnd: Set<Unicode.Scalar> = ["\0", " ", "\t", "\r", "\n", "\u{85}", "\u{2028}", "\u{2029}"]

    // MARK: Document

    mutating func emitDocument(_ node: YAMLOutputNode) {
        if explicitStart {
            writeIndent()
            writeIndicator("---", needWhitespace: true)
        }
        emitNode(node, root: true)
        writeIndent()
        if explicitEnd {
            writeIndicator("...", needWhitespace: true)
            writeIndent()
        }
        // Stream end: libyaml only marks the end after a keep-chomped (`|+`) block scalar.
        if openEnded {
            writeIndicator("...", needWhitespace: true)
            writeIndent()
        }
    }

    // MARK: Nodes

    private mutating func emitNode(_ node: YAMLOutputNode, root: Bool = false, sequence: Bool = false,
                                   mapping: Bool = false, simpleKey: Bool = false) {
        rootContext = root
        sequenceContext = sequence
        mappingContext = mapping
        simpleKeyContext = simpleKey
        switch node {
        case let .scalar(text, tag, implicit, style):
            increaseIndent(flow: true)
            emitScalar(text, tag: tag, implicit: implicit, requestedStyle: style)
            indent = indents.popLast() ?? nil
        case let .sequence(items, flow):
            if flowLevel > 0 || flow || items.isEmpty { flowSequence(items) } else { blockSequence(items) }
        case let .mapping(pairs, flow):
            if flowLevel > 0 || flow || pairs.isEmpty { flowMapping(pairs) } else { blockMapping(pairs) }
        }
    }

    private mutating func increaseIndent(flow: Bool = false, indentless: Bool = false) {
        indents.append(indent)
        if let current = indent {
            if !indentless { indent = current + bestIndent }
        } else {
            indent = flow ? bestIndent : 0
        }
    }

    private mutating func popIndent() { indent = indents.popLast() ?? nil }

    private mutating func flowSequence(_ items: [YAMLOutputNode]) {
        writeIndicator("[", needWhitespace: true, whitespace: true)
        flowLevel += 1
        increaseIndent(flow: true)
        for (i, item) in items.enumerated() {
            if i > 0 { writeIndicator(",", needWhitespace: false) }
            if column > bestWidth { writeIndent() }
            emitNode(item, sequence: true)
        }
        popIndent()
        flowLevel -= 1
        writeIndicator("]", needWhitespace: false)
    }

    private mutating func flowMapping(_ pairs: [(YAMLOutputNode, YAMLOutputNode)]) {
        writeIndicator("{", needWhitespace: true, whitespace: true)
        flowLevel += 1
        increaseIndent(flow: true)
        for (i, (key, value)) in pairs.enumerated() {
            if i > 0 { writeIndicator(",", needWhitespace: false) }
            if column > bestWidth { writeIndent() }
            if isSimpleKey(key) {
                emitNode(key, mapping: true, simpleKey: true)
                writeIndicator(":", needWhitespace: false)
            } else {
                writeIndicator("?", needWhitespace: true)
                emitNode(key, mapping: true)
                if column > bestWidth { writeIndent() }
                writeIndicator(":", needWhitespace: true)
            }
            emitNode(value, mapping: true)
        }
        popIndent()
        flowLevel -= 1
        writeIndicator("}", needWhitespace: false)
    }

    private mutating func blockSequence(_ items: [YAMLOutputNode]) {
        increaseIndent(flow: false, indentless: mappingContext && !indention)
        for item in items {
            writeIndent()
            writeIndicator("-", needWhitespace: true, indention: true)
            emitNode(item, sequence: true)
        }
        popIndent()
    }

    private mutating func blockMapping(_ pairs: [(YAMLOutputNode, YAMLOutputNode)]) {
        increaseIndent(flow: false)
        for (key, value) in pairs {
            writeIndent()
            if isSimpleKey(key) {
                emitNode(key, mapping: true, simpleKey: true)
                writeIndicator(":", needWhitespace: false)
            } else {
                writeIndicator("?", needWhitespace: true, indention: true)
                emitNode(key, mapping: true)
                writeIndent()
                writeIndicator(":", needWhitespace: true, indention: true)
            }
            emitNode(value, mapping: true)
        }
        popIndent()
    }

    /// libyaml's check_simple_key: single-line scalars of at most 128 bytes (plus the tag
    /// when one must be written).
    private func isSimpleKey(_ node: YAMLOutputNode) -> Bool {
        switch node {
        case let .scalar(text, tag, implicit, _):
            let analysis = YAMLScalarAnalysis(text, allowUnicode: allowUnicode)
            if analysis.multiline { return false }
            let tagLength = (implicit.0 || implicit.1) ? 0 : YAMLWriter.shortTag(tag).utf8.count
            return text.utf8.count + tagLength <= 128
        case .sequence(let items, _): return items.isEmpty
        case .mapping(let pairs, _): return pairs.isEmpty
        }
    }

    // MARK: Scalars

    /// libyaml's select_scalar_style. Styles: "p" plain, "'" single, "\"" double, "|" literal.
    private func chooseStyle(_ analysis: YAMLScalarAnalysis, text: String, implicit: (Bool, Bool), requested: Character?) -> Character {
        var style: Character = requested ?? "p"
        if simpleKeyContext && analysis.multiline { style = "\"" }
        if style == "p" {
            if (flowLevel > 0 && !analysis.allowFlowPlain) || (flowLevel == 0 && !analysis.allowBlockPlain) { style = "'" }
            if text.isEmpty && (flowLevel > 0 || simpleKeyContext) { style = "'" }
            if !implicit.0 { style = "'" }
        }
        if style == "'" && !analysis.allowSingleQuoted { style = "\"" }
        if (style == "|" || style == ">") && (!analysis.allowBlock || flowLevel > 0 || simpleKeyContext) { style = "\"" }
        return style
    }

    static func shortTag(_ tag: String) -> String {
        tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : tag
    }

    private mutating func emitScalar(_ text: String, tag: String, implicit: (Bool, Bool), requestedStyle: Character?) {
        let analysis = YAMLScalarAnalysis(text, allowUnicode: allowUnicode)
        let style = chooseStyle(analysis, text: text, implicit: implicit, requested: requestedStyle)
        if !implicit.0 && !implicit.1 {
            writeIndicator(YAMLWriter.shortTag(tag), needWhitespace: true)
        } else if style != "p" && !implicit.1 {
            writeIndicator("!", needWhitespace: true)
        }
        let split = !simpleKeyContext
        let scalars = Array(text.unicodeScalars)
        switch style {
        case "\"": writeDoubleQuotedScalar(scalars, split: split, allowUnicode: allowUnicode)
        case "'": writeSingleQuotedScalar(scalars, split: split)
        case "|": if writeLiteralScalar(scalars) { openEnded = true }
        default: writePlainScalar(scalars, split: split)
        }
    }

    // MARK: Low-level writing

    private mutating func write(_ text: String) { output += text }
    private mutating func write<S: Sequence>(_ scalars: S) where S.Element == Unicode.Scalar {
        output.unicodeScalars.append(contentsOf: scalars)
    }

    private mutating func writeIndicator(_ indicator: String, needWhitespace: Bool, whitespace newWhitespace: Bool = false,
                                         indention newIndention: Bool = false) {
        let data = (whitespace || !needWhitespace) ? indicator : " " + indicator
        whitespace = newWhitespace
        indention = indention && newIndention
        column += data.unicodeScalars.count
        openEnded = false
        write(data)
    }

    private mutating func writeIndent() {
        let target = indent ?? 0
        if !indention || column > target || (column == target && !whitespace) { writeLineBreak() }
        if column < target {
            write(String(repeating: " ", count: target - column))
            column = target
        }
        whitespace = true
        indention = true
    }

    private mutating func writeLineBreak(_ lineBreak: Unicode.Scalar? = nil) {
        whitespace = true
        indention = true
        column = 0
        if let lineBreak { output.unicodeScalars.append(lineBreak) } else { write("\n") }
    }

    static let escapes: [Unicode.Scalar: String] = [
        "\0": "0", "\u{07}": "a", "\u{08}": "b", "\t": "t", "\n": "n", "\u{0B}": "v", "\u{0C}": "f", "\r": "r",
        "\u{1B}": "e", "\"": "\"", "\\": "\\", "\u{85}": "N", "\u{A0}": "_", "\u{2028}": "L", "\u{2029}": "P",
    ]
}

/// libyaml's analyze_scalar: which styles can represent a string faithfully.
struct YAMLScalarAnalysis {
    /// libyaml's IS_PRINTABLE: LF, ASCII printables and the BMP outside surrogates,
    /// minus BOM and U+FFFE/U+FFFF (so astral characters such as emoji are not).
    static func isPrintable(_ ch: Unicode.Scalar) -> Bool {
        let v = ch.value
        if v == 0x0A || (0x20...0x7E).contains(v) { return true }
        if (0xA0...0xD7FF).contains(v) { return true }
        return (0xE000...0xFFFD).contains(v) && v != 0xFEFF
    }

    /// libyaml's IS_BREAK (CR counts, unlike PyYAML's pure-Python emitter).
    static func isBreak(_ ch: Unicode.Scalar) -> Bool {
        ch == "\r" || YAMLWriter.lineBreaks.contains(ch)
    }

    /// Whether libyaml's double-quoted writer must escape `ch`.
    static func needsEscape(_ ch: Unicode.Scalar, allowUnicode: Bool) -> Bool {
        !isPrintable(ch) || (!allowUnicode && !ch.isASCII) || ch == "\u{FEFF}" || isBreak(ch) || ch == "\"" || ch == "\\"
    }

    /// libyaml's escape for `ch` in a double-quoted scalar: a short form, else \x, \u or \U hex.
    static func escapeSequence(_ ch: Unicode.Scalar) -> String {
        if let e = YAMLWriter.escapes[ch] { return "\\" + e }
        let (prefix, width) = ch.value <= 0xFF ? ("x", 2) : ch.value <= 0xFFFF ? ("u", 4) : ("U", 8)
        let digits = String(ch.value, radix: 16, uppercase: true)
        return "\\" + prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    var empty = false
    var multiline = false
    var allowFlowPlain = true
    var allowBlockPlain = true
    var allowSingleQuoted = true
    var allowDoubleQuoted = true
    var allowBlock = true

    init(_ scalar: String, allowUnicode: Bool) {
        let text = Array(scalar.unicodeScalars)
        if text.isEmpty {
            empty = true
            allowFlowPlain = false
            allowBlock = false
            return
        }
        var blockIndicators = false, flowIndicators = false, lineBreaks = false, specialCharacters = false
        var leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
        var breakSpace = false, spaceBreak = false
        if scalar.hasPrefix("---") || scalar.hasPrefix("...") { blockIndicators = true; flowIndicators = true }
        var precededByWhitespace = true
        var followedByWhitespace = text.count == 1 || YAMLWriter.whitespaceOrEnd.contains(text[1])
        var previousSpace = false, previousBreak = false
        for (index, ch) in text.enumerated() {
            if index == 0 {
                if "#,[]{}&*!|>'\"%@`".unicodeScalars.contains(ch) { flowIndicators = true; blockIndicators = true }
                if ch == "?" || ch == ":" {
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                }
                if ch == "-" && followedByWhitespace { flowIndicators = true; blockIndicators = true }
            } else {
                if ",?[]{}".unicodeScalars.contains(ch) { flowIndicators = true }
                if ch == ":" {
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                }
                if ch == "#" && precededByWhitespace { flowIndicators = true; blockIndicators = true }
            }
            let isBreak = YAMLScalarAnalysis.isBreak(ch)
            if isBreak { lineBreaks = true }
            if !YAMLScalarAnalysis.isPrintable(ch) || (!ch.isASCII && !allowUnicode) { specialCharacters = true }
            if ch == " " {
                if index == 0 { leadingSpace = true }
                if index == text.count - 1 { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if isBreak {
                if index == 0 { leadingBreak = true }
                if index == text.count - 1 { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = YAMLWriter.whitespaceOrEnd.contains(ch)
            followedByWhitespace = index + 2 >= text.count || YAMLWriter.whitespaceOrEnd.contains(text[index + 2])
        }
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak { allowFlowPlain = false; allowBlockPlain = false }
        if trailingSpace { allowBlock = false }
        if breakSpace { allowFlowPlain = false; allowBlockPlain = false; allowSingleQuoted = false }
        if spaceBreak || specialCharacters {
            allowFlowPlain = false; allowBlockPlain = false; allowSingleQuoted = false; allowBlock = false
        }
        if lineBreaks { allowFlowPlain = false; allowBlockPlain = false }
        if flowIndicators { allowFlowPlain = false }
        if blockIndicators { allowBlockPlain = false }
        multiline = lineBreaks
    }
}

extension YAMLWriter: YAMLScalarWriting {
    mutating func scalarText(_ text: String) {
        write(text)
        column += text.unicodeScalars.count
    }
    mutating func scalarIndicator(_ indicator: String, needWhitespace: Bool) {
        writeIndicator(indicator, needWhitespace: needWhitespace)
    }
    mutating func scalarIndent() { writeIndent() }
    mutating func scalarLineBreak(_ lineBreak: Unicode.Scalar) {
        lineBreak == "\n" ? writeLineBreak() : writeLineBreak(lineBreak)
    }
}
