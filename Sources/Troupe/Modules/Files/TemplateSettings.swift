import Foundation
import Jinja

/// The Jinja settings a `template` task renders with: its options (`*_start_string`,
/// `*_end_string`, `trim_blocks`, `lstrip_blocks`, `newline_sequence`), then those a
/// `#jinja2:` first line of the template overrides, as ansible-core's TemplateOverrides do.
struct TemplateSettings {
    var delimiters = Delimiters.standard
    var trimBlocks = true
    var lstripBlocks = false
    /// The line end written for each "\n" of the rendered text.
    var newline = "\n"
    /// Jinja2's `line_statement_prefix`: a line starting with it is one block statement.
    var lineStatementPrefix: String?
    /// Jinja2's `line_comment_prefix`: from it to the line's end is a comment.
    var lineCommentPrefix: String?

    static let overridePrefix = "#jinja2:"

    init(_ args: OrderedDict) {
        delimiters.blockStart = args["block_start_string"]?.stringValue ?? delimiters.blockStart
        delimiters.blockEnd = args["block_end_string"]?.stringValue ?? delimiters.blockEnd
        delimiters.variableStart = args["variable_start_string"]?.stringValue ?? delimiters.variableStart
        delimiters.variableEnd = args["variable_end_string"]?.stringValue ?? delimiters.variableEnd
        delimiters.commentStart = args["comment_start_string"]?.stringValue ?? delimiters.commentStart
        delimiters.commentEnd = args["comment_end_string"]?.stringValue ?? delimiters.commentEnd
        trimBlocks = args["trim_blocks"]?.isTruthy ?? true
        lstripBlocks = args["lstrip_blocks"]?.isTruthy ?? false
        newline = TemplateSettings.lineEnd(args["newline_sequence"]?.stringValue) ?? "\n"
    }

    /// The option's escaped spelling (`\n`, `\r\n`, `\r`) or the line end itself.
    static func lineEnd(_ value: String?) -> String? {
        switch value {
        case "\\n", "\n": return "\n"
        case "\\r", "\r": return "\r"
        case "\\r\\n", "\r\n": return "\r\n"
        default: return nil
        }
    }

    /// Applies a `#jinja2:key:value, …` first line (Python literals as values) and returns
    /// the template without it; other templates come back unchanged.
    func overridden(by template: String) throws -> (String, TemplateSettings) {
        guard template.hasPrefix(TemplateSettings.overridePrefix) else { return (template, self) }
        guard let eol = template.firstIndex(of: "\n") else {
            throw ModuleFailure("Missing newline after '#jinja2:' override.")
        }
        let line = template[template.index(template.startIndex, offsetBy: TemplateSettings.overridePrefix.count)..<eol]
        var settings = self
        for pair in line.split(separator: ",", omittingEmptySubsequences: false) {
            guard !pair.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ModuleFailure("Empty '#jinja2:' override pair not allowed.")
            }
            guard let colon = pair.firstIndex(of: ":") else {
                throw ModuleFailure("Missing key-value separator `:` in '#jinja2:' override pair '\(pair)'.")
            }
            let key = pair[..<colon].trimmingCharacters(in: .whitespaces)
            let value = PythonLiteral.typedValue(pair[pair.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            switch key {
            case "block_start_string": settings.delimiters.blockStart = value.stringValue ?? settings.delimiters.blockStart
            case "block_end_string": settings.delimiters.blockEnd = value.stringValue ?? settings.delimiters.blockEnd
            case "variable_start_string": settings.delimiters.variableStart = value.stringValue ?? settings.delimiters.variableStart
            case "variable_end_string": settings.delimiters.variableEnd = value.stringValue ?? settings.delimiters.variableEnd
            case "comment_start_string": settings.delimiters.commentStart = value.stringValue ?? settings.delimiters.commentStart
            case "comment_end_string": settings.delimiters.commentEnd = value.stringValue ?? settings.delimiters.commentEnd
            case "trim_blocks": settings.trimBlocks = value.isTruthy
            case "lstrip_blocks": settings.lstripBlocks = value.isTruthy
            case "newline_sequence": settings.newline = TemplateSettings.lineEnd(value.stringValue) ?? settings.newline
            case "line_statement_prefix": settings.lineStatementPrefix = value.stringValue
            case "line_comment_prefix": settings.lineCommentPrefix = value.stringValue
            case "keep_trailing_newline": break
            default: throw ModuleFailure("Invalid '#jinja2:' override key '\(key)'.")
            }
        }
        return (String(template[template.index(after: eol)...]), settings)
    }

    /// The source with line statements written as block tags (the statement's line end
    /// consumed, as Jinja2's lexer does) and line comments removed.
    func expandingLinePrefixes(_ source: String) -> String {
        guard lineStatementPrefix?.isEmpty == false || lineCommentPrefix?.isEmpty == false else { return source }
        var out = ""
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            var text = String(line)
            let isLast = index == lines.count - 1
            if let comment = lineCommentPrefix, !comment.isEmpty, let range = text.range(of: comment) {
                text = String(text[..<range.lowerBound])
            }
            let indent = text.prefix { $0 == " " || $0 == "\t" || $0 == "\u{0B}" }
            if let prefix = lineStatementPrefix, !prefix.isEmpty, text.dropFirst(indent.count).hasPrefix(prefix) {
                let statement = text.dropFirst(indent.count + prefix.count)
                out += delimiters.blockStart + statement + " " + delimiters.blockEnd
            } else {
                out += text + (isLast ? "" : "\n")
            }
        }
        return out
    }
}
