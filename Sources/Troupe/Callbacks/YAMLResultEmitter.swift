import Foundation
import Jinja

/// Writes values as YAML exactly as `yaml.dump(default_flow_style=False, allow_unicode=True,
/// indent=N)` does with ansible's callback dumper (PyYAML's representer, libyaml's emitter) — what the default
/// callback prints with `callback_result_format = yaml`: block collections, sorted keys,
/// sequences not indented under mapping keys, `{}`/`[]` for empty collections, plain scalars
/// unless they would read back as another type, literal `|` blocks for multi-line strings,
/// and line folding at 80 columns.
struct YAMLResultEmitter {
    let bestIndent: Int
    let bestWidth = 80
    /// Ansible's "lossy" mode: multi-line strings are tidied so they can use block style.
    private let lossy: Bool

    private var out = ""
    var column = 0
    var whitespace = true
    var indention = true
    private var indent: Int?
    private var indents: [Int?] = []
    private var flowLevel = 0
    private var rootContext = false
    private var mappingContext = false
    private var simpleKeyContext = false

    init(indent: Int = 4, lossy: Bool = true) {
        self.bestIndent = (2...9).contains(indent) ? indent : 2
        self.lossy = lossy
    }

    /// The YAML document for `value` (ending with a newline).
    static func dump(_ value: Value, indent: Int = 4, lossy: Bool = true) -> String {
        var emitter = YAMLResultEmitter(indent: indent, lossy: lossy)
        emitter.node(value, root: true, mapping: false, simpleKey: false)
        emitter.writeIndent()
        return emitter.out
    }

    // MARK: - Nodes

    private mutating func node(_ value: Value, root: Bool, mapping: Bool, simpleKey: Bool) {
        rootContext = root
        mappingContext = mapping
        simpleKeyContext = simpleKey
        switch value {
        case .dict(let dict):
            if dict.isEmpty { emptyFlow("{", "}") } else { blockMapping(dict) }
        case .list(let items):
            if items.isEmpty { emptyFlow("[", "]") } else { blockSequence(items) }
        default:
            scalar(Self.scalarNode(value, lossy: lossy))
        }
    }

    private mutating func emptyFlow(_ open: String, _ close: String) {
        writeIndicator(open, needWhitespace: true, whitespace: true)
        increaseIndent(flow: true)
        indent = indents.popLast() ?? nil
        writeIndicator(close, needWhitespace: false)
    }

    private mutating func blockMapping(_ dict: OrderedDict) {
        increaseIndent(flow: false)
        for key in dict.keys.sorted(by: Value.pythonStringLess) {
            writeIndent()
            let keyNode = Self.scalarNode(.string(key), lossy: lossy)
            if Self.isSimpleKey(keyNode) {
                node(.string(key), root: false, mapping: true, simpleKey: true)
                writeIndicator(":", needWhitespace: false)
            } else {
                writeIndicator("?", needWhitespace: true, indention: true)
                node(.string(key), root: false, mapping: true, simpleKey: false)
                writeIndent()
                writeIndicator(":", needWhitespace: true, indention: true)
            }
            node(dict[key]!, root: false, mapping: true, simpleKey: false)
        }
        indent = indents.popLast() ?? nil
    }

    private mutating func blockSequence(_ items: [Value]) {
        let indentless = mappingContext && !indention
        increaseIndent(flow: false, indentless: indentless)
        for item in items {
            writeIndent()
            writeIndicator("-", needWhitespace: true, indention: true)
            node(item, root: false, mapping: false, simpleKey: false)
        }
        indent = indents.popLast() ?? nil
    }

    private mutating func increaseIndent(flow: Bool, indentless: Bool = false) {
        indents.append(indent)
        if let current = indent {
            if !indentless { indent = current + bestIndent }
        } else {
            indent = flow ? bestIndent : 0
        }
    }

    // MARK: - Scalars

    struct ScalarNode {
        var text: String
        /// True when a plain rendering reads back as this node's type.
        var plainResolves: Bool
        /// "|" to ask for a literal block.
        var preferredStyle: String?
    }

    static func scalarNode(_ value: Value, lossy: Bool) -> ScalarNode {
        switch value {
        case .null, .undefined: return ScalarNode(text: "null", plainResolves: true)
        case .bool(let b): return ScalarNode(text: b ? "true" : "false", plainResolves: true)
        case .int(let i): return ScalarNode(text: String(i), plainResolves: true)
        case .float(let d): return ScalarNode(text: floatText(d), plainResolves: true)
        default:
            var text = value.stringValue ?? value.pythonString
            if case .object(let object) = value { text = object.renderedString }
            if text.unicodeScalars.contains(where: { YAMLWriter.lineBreaks.contains($0) }) {
                if lossy { text = mungeForBlock(text) }
                return ScalarNode(text: text, plainResolves: !YAMLImplicitResolver.resolvesToNonString(text), preferredStyle: "|")
            }
            return ScalarNode(text: text, plainResolves: !YAMLImplicitResolver.resolvesToNonString(text))
        }
    }

    static func floatText(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d > 0 ? ".inf" : "-.inf" }
        var text = Value.pythonFloatRepr(d).lowercased()
        if !text.contains("."), let e = text.range(of: "e") { text.replaceSubrange(e, with: ".0e") }
        return text
    }

    private static func isSimpleKey(_ node: ScalarNode) -> Bool {
        // libyaml (unlike PyYAML) accepts an empty simple key.
        return node.text.unicodeScalars.count <= 128 && !YAMLScalarAnalysis(node.text, allowUnicode: true).multiline
    }

    private mutating func scalar(_ node: ScalarNode) {
        increaseIndent(flow: true)
        let analysis = YAMLScalarAnalysis(node.text, allowUnicode: true)
        let style = chooseStyle(node, analysis)
        let split = !simpleKeyContext
        switch style {
        case "\"": writeDoubleQuotedScalar(Array(node.text.unicodeScalars), split: split, allowUnicode: true)
        case "'": writeSingleQuotedScalar(Array(node.text.unicodeScalars), split: split)
        case "|": writeLiteralScalar(Array(node.text.unicodeScalars))
        default: writePlainScalar(Array(node.text.unicodeScalars), split: split)
        }
        indent = indents.popLast() ?? nil
    }

    private func chooseStyle(_ node: ScalarNode, _ a: YAMLScalarAnalysis) -> String {
        if node.plainResolves && !(simpleKeyContext && (a.empty || a.multiline))
            && ((flowLevel > 0 && a.allowFlowPlain) || (flowLevel == 0 && a.allowBlockPlain)) && node.preferredStyle == nil {
            return ""
        }
        if node.preferredStyle == "|", flowLevel == 0, !simpleKeyContext, a.allowBlock { return "|" }
        // A string that asked for a block but cannot have one goes straight to double quotes.
        if node.preferredStyle == nil && a.allowSingleQuoted && !(simpleKeyContext && a.multiline) { return "'" }
        return "\""
    }

    // MARK: - Writers (PyYAML's emitter rules)


    private mutating func write(_ text: String) {
        out += text
        column += text.unicodeScalars.count
    }

    private mutating func writeIndicator(_ indicator: String, needWhitespace: Bool, whitespace newWhitespace: Bool = false,
                                         indention newIndention: Bool = false) {
        write(whitespace || !needWhitespace ? indicator : " " + indicator)
        whitespace = newWhitespace
        indention = indention && newIndention
    }

    mutating func writeIndent() {
        let target = indent ?? 0
        if !indention || column > target || (column == target && !whitespace) { writeLineBreak() }
        if column < target {
            whitespace = true
            write(String(repeating: " ", count: target - column))
        }
    }

    private mutating func writeLineBreak(_ text: String = "\n") {
        whitespace = true
        indention = true
        out += text
        column = 0
    }

    // MARK: - Lossy tidying

    /// Ansible's `_munge_data_for_lossy_yaml`: trailing whitespace dropped, tabs expanded,
    /// characters YAML cannot show in a block removed, spaces before line breaks removed.
    static func mungeForBlock(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        while let last = scalars.last, Self.isPythonWhitespace(last) { scalars.removeLast() }
        // expandtabs(8)
        var expanded: [Unicode.Scalar] = []
        var col = 0
        for ch in scalars {
            if ch == "\t" {
                let pad = 8 - (col % 8)
                expanded += Array(repeating: " ", count: pad)
                col += pad
            } else {
                expanded.append(ch)
                col = (ch == "\n" || ch == "\r") ? 0 : col + 1
            }
        }
        let filtered = expanded.filter { ch in
            let v = ch.value
            return (v == 10 || (32...126).contains(v) || v == 133 || (160...55295).contains(v) || (57344...65533).contains(v)
                    || (65536..<1_114_111).contains(v)) && v != 65279
        }
        var result: [Unicode.Scalar] = []
        for ch in filtered {
            if YAMLWriter.lineBreaks.contains(ch) {
                while result.last == " " { result.removeLast() }
            }
            result.append(ch)
        }
        var s = ""
        s.unicodeScalars.append(contentsOf: result)
        return s
    }

    private static func isPythonWhitespace(_ ch: Unicode.Scalar) -> Bool {
        ch == " " || ("\t"..."\r").contains(ch) || ("\u{1C}"..."\u{1F}").contains(ch) || ch == "\u{85}" || ch.properties.isWhitespace
    }
}

extension YAMLResultEmitter: YAMLScalarWriting {
    mutating func scalarText(_ text: String) { write(text) }
    mutating func scalarIndicator(_ indicator: String, needWhitespace: Bool) {
        writeIndicator(indicator, needWhitespace: needWhitespace)
    }
    /// PyYAML's write_indent, which leaves whitespace/indention alone when no line break is needed.
    mutating func scalarIndent() { writeIndent() }
    mutating func scalarLineBreak(_ lineBreak: Unicode.Scalar) { writeLineBreak(String(lineBreak)) }
}
