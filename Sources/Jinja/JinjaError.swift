/// An error raised while compiling or rendering a template. `kind` mirrors the Python
/// exception class Jinja2/Ansible would raise, so callers (and the conformance corpus)
/// can tell a syntax error from an undefined variable from a failing filter.
public struct JinjaError: Error, Sendable, CustomStringConvertible {
    /// Which Python exception class the error corresponds to.
    public enum Kind: String, Sendable {
        /// Jinja2's `TemplateSyntaxError`: the template could not be parsed.
        case syntax          // TemplateSyntaxError
        /// Jinja2's `UndefinedError` / Ansible's `AnsibleUndefinedVariable`: an undefined value was used.
        case undefined       // UndefinedError / AnsibleUndefinedVariable
        /// Python's `TypeError`, such as a wrong argument type or an unexpected keyword argument.
        case type            // TypeError
        /// Python's `ValueError`: a right-typed but invalid argument, such as bad JSON text or an empty separator.
        case value           // ValueError
        /// The template names a filter that is not registered ("No filter named 'x'.").
        case unknownFilter   // "No filter named 'x'."
        /// The template names a test that is not registered ("No test named 'x'.").
        case unknownTest     // "No test named 'x'."
        /// Ansible's `AnsibleFilterError`: a filter rejected its input.
        case filter          // AnsibleFilterError: a filter rejected its input
        /// Jinja2's `TemplateNotFound`: `include`, `import` or `extends` named a template the
        /// loader cannot find, or there is no loader; the message is usually the template's name.
        case templateNotFound
        /// Any other error raised while rendering; the message often carries the Python class name.
        case runtime         // anything else raised while rendering
    }
    /// The Python exception class this error mirrors.
    public var kind: Kind
    /// The message as Jinja2/Ansible words it, without the location.
    public var message: String
    /// Template name (file path or "<template>"), 1-based line and column, and the
    /// offending source line for the caret display.
    public var templateName: String?
    /// 1-based line of the error in the template, when known.
    public var line: Int?
    /// 1-based column of the error on `line`, when known.
    public var column: Int?
    /// The template source line `line` points at, shown with a caret under `column`.
    public var sourceLine: String?
    /// The filter whose function raised this error, as written in the template ("join",
    /// "community.general.x"); Ansible reports such errors as "The filter plugin … failed".
    public var failedFilter: String?

    /// An error of `kind`; the location fields are optional and filled in when known.
    public init(_ kind: Kind, _ message: String, templateName: String? = nil,
                line: Int? = nil, column: Int? = nil, sourceLine: String? = nil) {
        self.kind = kind
        self.message = message
        self.templateName = templateName
        self.line = line
        self.column = column
        self.sourceLine = sourceLine
    }

    /// The message, then the location in parentheses when `line` is known, then the source line
    /// with a caret under the column when both are known.
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
