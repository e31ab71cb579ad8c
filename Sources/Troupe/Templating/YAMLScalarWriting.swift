/// The emitter primitives libyaml's quoted-scalar writers need. Both YAML emitters conform
/// (`YAMLWriter` behind to_yaml, `YAMLResultEmitter` behind the yaml result format), so the
/// quoted writers are shared; each keeps its own indent rule (libyaml's vs PyYAML's).
protocol YAMLScalarWriting {
    var scalarColumn: Int { get }
    var scalarBestWidth: Int { get }
    var scalarWhitespace: Bool { get }
    /// Writes `text` as is, advancing the column.
    mutating func scalarText(_ text: String)
    mutating func scalarIndicator(_ indicator: String, needWhitespace: Bool)
    /// The emitter's write_indent.
    mutating func scalarIndent()
    mutating func scalarSetState(whitespace: Bool, indention: Bool)
    mutating func scalarLineBreak(_ lineBreak: Unicode.Scalar)
}

extension YAMLScalarWriting {
    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var s = ""
        s.unicodeScalars.append(contentsOf: scalars)
        return s
    }

    /// libyaml's write_plain: long lines fold at a single space. (Plain scalars never hold a
    /// line break — the analysis forbids it — the break branch is libyaml's, kept for fidelity.)
    mutating func writePlainScalar(_ text: [Unicode.Scalar], split: Bool) {
        if text.isEmpty { return }
        if !scalarWhitespace { scalarText(" ") }
        scalarSetState(whitespace: false, indention: false)
        var spaces = false, breaks = false
        var start = 0, end = 0
        while end <= text.count {
            let ch: Unicode.Scalar? = end < text.count ? text[end] : nil
            if spaces {
                if ch != " " {
                    if start + 1 == end && scalarColumn > scalarBestWidth && split {
                        scalarIndent()
                        scalarSetState(whitespace: false, indention: false)
                    } else {
                        scalarText(Self.string(text[start..<end]))
                    }
                    start = end
                }
            } else if breaks {
                if ch == nil || !YAMLWriter.lineBreaks.contains(ch!) {
                    if text[start] == "\n" { scalarLineBreak("\n") }
                    for br in text[start..<end] { scalarLineBreak(br) }
                    scalarIndent()
                    scalarSetState(whitespace: false, indention: false)
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
                    if start + 1 == end && scalarColumn > scalarBestWidth && split && start != 0 && end != text.count {
                        scalarIndent()
                    } else {
                        scalarText(Self.string(text[start..<end]))
                    }
                    start = end
                }
            } else if breaks {
                if ch == nil || !YAMLWriter.lineBreaks.contains(ch!) {
                    if text[start] == "\n" { scalarLineBreak("\n") }
                    for br in text[start..<end] { scalarLineBreak(br) }
                    scalarIndent()
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
                if split && !spaces && scalarColumn > scalarBestWidth && index != 0 && index != text.count - 1 {
                    scalarIndent()
                    scalarSetState(whitespace: true, indention: true)
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
}
