/// The emitter state and primitives libyaml's scalar writers (plain, single- and
/// double-quoted, literal) need. Both YAML emitters conform (`YAMLWriter` behind to_yaml,
/// `YAMLResultEmitter` behind the yaml result format), so those writers are shared; each
/// emitter keeps its own write_indent (libyaml's vs PyYAML's), which differ on purpose.
protocol YAMLScalarWriting {
    var column: Int { get }
    var bestWidth: Int { get }
    var bestIndent: Int { get }
    var whitespace: Bool { get set }
    var indention: Bool { get set }
    /// Writes `text` as is, advancing the column.
    mutating func scalarText(_ text: String)
    mutating func scalarIndicator(_ indicator: String, needWhitespace: Bool)
    /// The emitter's write_indent.
    mutating func scalarIndent()
    mutating func scalarLineBreak(_ lineBreak: Unicode.Scalar)
}

extension YAMLScalarWriting {
    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var s = ""
        s.unicodeScalars.append(contentsOf: scalars)
        return s
    }

    /// A run of line breaks inside a flow scalar (a leading LF is doubled), then the indent.
    private mutating func writeScalarBreaks(_ breaks: ArraySlice<Unicode.Scalar>) {
        if breaks.first == "\n" { scalarLineBreak("\n") }
        for br in breaks { scalarLineBreak(br) }
        scalarIndent()
    }

    /// libyaml's write_plain: long lines fold at a single space. (Plain scalars never hold a
    /// line break — the analysis forbids it — the break branch is libyaml's, kept for fidelity.)
    mutating func writePlainScalar(_ text: [Unicode.Scalar], split: Bool) {
        if text.isEmpty { return }
        if !whitespace { scalarText(" ") }
        whitespace = false
        indention = false
        var spaces = false, breaks = false
        var start = 0, end = 0
        while end <= text.count {
            let ch: Unicode.Scalar? = end < text.count ? text[end] : nil
            if spaces {
                if ch != " " {
                    if start + 1 == end && column > bestWidth && split {
                        scalarIndent()
                        whitespace = false
                        indention = false
                    } else {
                        scalarText(Self.string(text[start..<end]))
                    }
                    start = end
                }
            } else if breaks {
                if ch == nil || !YAMLWriter.lineBreaks.contains(ch!) {
                    writeScalarBreaks(text[start..<end])
                    whitespace = false
                    indention = false
                    start = end
                }
            } else if ch == nil || ch == " " || YAMLWriter.lineBreaks.contains(ch!) {
                scalarText(Self.string(text[start..<end]))
                start = end
            }
            if let ch {
                spaces = ch == " "
                breaks = YAMLWriter.lineBreaks.contains(ch)
            }
            end += 1
        }
    }

    /// libyaml's write_single_quoted: long lines fold at a single space, `'` doubles.
    mutating func writeSingleQuotedScalar(_ text: [Unicode.Scalar], split: Bool) {
        scalarIndicator("'", needWhitespace: true)
        var spaces = false, breaks = false
        var start = 0, end = 0
        while end <= text.count {
            let ch: Unicode.Scalar? = end < text.count ? text[end] : nil
            if spaces {
                if ch == nil || ch != " " {
                    if start + 1 == end && column > bestWidth && split && start != 0 && end != text.count {
                        scalarIndent()
                    } else {
                        scalarText(Self.string(text[start..<end]))
                    }
                    start = end
                }
            } else if breaks {
                if ch == nil || !YAMLWriter.lineBreaks.contains(ch!) {
                    writeScalarBreaks(text[start..<end])
                    start = end
                }
            } else if ch == nil || ch == " " || ch == "'" || YAMLWriter.lineBreaks.contains(ch!) {
                if start < end {
                    scalarText(Self.string(text[start..<end]))
                    start = end
                }
            }
            if ch == "'" {
                scalarText("''")
                start = end + 1
            }
            if let ch {
                spaces = ch == " "
                breaks = YAMLWriter.lineBreaks.contains(ch)
            }
            end += 1
        }
        scalarIndicator("'", needWhitespace: false)
    }

    /// libyaml's write_double_quoted: long lines fold at a space, which becomes the line
    /// break; a following space is protected with `\`.
    mutating func writeDoubleQuotedScalar(_ text: [Unicode.Scalar], split: Bool, allowUnicode: Bool) {
        scalarIndicator("\"", needWhitespace: true)
        var spaces = false
        for (index, ch) in text.enumerated() {
            if YAMLScalarAnalysis.needsEscape(ch, allowUnicode: allowUnicode) {
                scalarText(YAMLScalarAnalysis.escapeSequence(ch))
                spaces = false
            } else if ch == " " {
                if split && !spaces && column > bestWidth && index != 0 && index != text.count - 1 {
                    scalarIndent()
                    whitespace = true
                    indention = true
                    if index + 1 < text.count && text[index + 1] == " " { scalarText("\\") }
                } else {
                    scalarText(" ")
                }
                spaces = true
            } else {
                scalarText(String(ch))
                spaces = false
            }
        }
        scalarIndicator("\"", needWhitespace: false)
    }

    /// libyaml's write_literal, with its indentation and chomping hints. Returns whether the
    /// chomping is `+` (keep), after which libyaml marks the document open-ended.
    @discardableResult
    mutating func writeLiteralScalar(_ text: [Unicode.Scalar]) -> Bool {
        var hints = ""
        if let first = text.first, let last = text.last {
            if first == " " || YAMLWriter.lineBreaks.contains(first) { hints += String(bestIndent) }
            if !YAMLWriter.lineBreaks.contains(last) {
                hints += "-"
            } else if text.count == 1 || YAMLWriter.lineBreaks.contains(text[text.count - 2]) {
                hints += "+"
            }
        }
        scalarIndicator("|" + hints, needWhitespace: true)
        scalarLineBreak("\n")
        var breaks = true
        var start = 0, end = 0
        while end <= text.count {
            let ch: Unicode.Scalar? = end < text.count ? text[end] : nil
            if breaks {
                if ch == nil || !YAMLWriter.lineBreaks.contains(ch!) {
                    for br in text[start..<end] { scalarLineBreak(br) }
                    if ch != nil { scalarIndent() }
                    start = end
                }
            } else if ch == nil || YAMLWriter.lineBreaks.contains(ch!) {
                scalarText(Self.string(text[start..<end]))
                if ch == nil { scalarLineBreak("\n") }
                start = end
            }
            if let ch { breaks = YAMLWriter.lineBreaks.contains(ch) }
            end += 1
        }
        return hints.hasSuffix("+")
    }
}
