/// An error raised while compiling or rendering a template. `kind` mirrors the Python
/// exception class Jinja2/Ansible would raise, so callers (and the conformance corpus)
/// can tell a syntax error from an undefined variable from a failing filter.
public struct JinjaError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case syntax          // TemplateSyntaxError
        case undefined       // UndefinedError / AnsibleUndefinedVariable
        case type            // TypeError
        case value           // ValueError
        case unknownFilter   // "No filter named 'x'."
        case unknownTest     // "No test named 'x'."
        case filter          // AnsibleFilterError: a filter rejected its input
        case templateNotFound
        case runtime         // anything else raised while rendering
    }
    public var kind: Kind
    public var message: String
    /// Template name (file path or "<template>"), 1-based line and column, and the
    /// offending source line for the caret display.
    public var templateName: String?
    public var line: Int?
    public var column: Int?
    public var sourceLine: String?

    public init(_ kind: Kind, _ message: String, templateName: String? = nil,
                line: Int? = nil, column: Int? = nil, sourceLine: String? = nil) {
        self.kind = kind
        self.message = message
        self.templateName = templateName
        self.line = line
        self.column = column
        self.sourceLine = sourceLine
    }

    public var description: String {
        var text = message
        if let line {
            let where_ = templateName.map { "\($0):" } ?? "line "
            text += " (\(where_)\(line)\(column.map { ":\($0)" } ?? ""))"
        }
        if let sourceLine, let column {
            text += "\n" + sourceLine + "\n" + String(repeating: " ", count: max(0, column - 1)) + "^"
        }
        return text
    }
}
