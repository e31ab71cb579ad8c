import Foundation
@testable import Jinja

/// One line of a conformance-corpus file (see scripts/jinja-corpus/README.md): a template,
/// its variables and options, and the result ansible-core's Python Templar produced.
struct CorpusCase {
    /// How the case is run, mirroring the three ways Troupe templates.
    enum Mode: String {
        /// `Templar.template(src)`: a lone `{{ expr }}` keeps its type (renderNative).
        case native
        /// What the template module writes: always a string (render).
        case text
        /// A bare expression such as a `when:` condition (evaluate).
        case expr
    }

    /// What Python observed.
    enum Expectation {
        /// A value and its Python type name (`str`, `int`, `float`, `bool`, `NoneType`, `list`, `dict`).
        case value(Value, type: String)
        /// An exception, mapped to a `JinjaError.Kind` raw value. `causeKind` is the kind of the
        /// exception a filter/test raised before Ansible wrapped it (`type` or `value`), if any;
        /// `line` is the 1-based template line of a syntax error, when Jinja2 reported one.
        case error(kind: String, message: String, causeKind: String?, line: Int?)
    }

    let id: String
    let mode: Mode
    let template: String
    let variables: OrderedDict
    let trimBlocks: Bool
    let lstripBlocks: Bool
    let keepTrailingNewline: Bool
    /// Templates the loader must serve for include/import/extends, by name.
    let templates: [String: String]
    let expectation: Expectation

    /// The family is the id's first component (`filters_jinja/map/003` → `filters_jinja`).
    var family: String { String(id.split(separator: "/").first ?? "") }

    /// Parses one JSON line; throws `CorpusFormatError` naming what is wrong.
    init(jsonLine line: String) throws {
        let record = try Value.parseJSON(line)
        guard case .dict(let fields) = record else { throw CorpusFormatError("case is not an object: \(line.prefix(80))") }
        func string(_ key: String) throws -> String {
            guard case .string(let s)? = fields[key] else { throw CorpusFormatError("missing string '\(key)' in \(line.prefix(80))") }
            return s
        }
        id = try string("id")
        guard let mode = Mode(rawValue: try string("mode")) else { throw CorpusFormatError("\(id): unknown mode") }
        self.mode = mode
        template = try string("template")
        if case .dict(let vars)? = fields["vars"] { variables = vars } else { variables = OrderedDict() }
        let options = fields["options"]?.dictValue ?? OrderedDict()
        trimBlocks = options["trim_blocks"]?.boolValue ?? false
        lstripBlocks = options["lstrip_blocks"]?.boolValue ?? false
        keepTrailingNewline = options["keep_trailing_newline"]?.boolValue ?? false
        var templates: [String: String] = [:]
        if case .dict(let sources)? = fields["templates"] {
            for (name, source) in sources {
                guard case .string(let text) = source else { throw CorpusFormatError("\(id): template '\(name)' is not a string") }
                templates[name] = text
            }
        }
        self.templates = templates
        guard case .dict(let expect)? = fields["expect"] else { throw CorpusFormatError("\(id): missing expect") }
        if case .string(let kind)? = expect["error"] {
            let message = expect["message"]?.stringValue ?? ""
            expectation = .error(kind: kind, message: message, causeKind: expect["cause_kind"]?.stringValue,
                                 line: expect["line"]?.intValue)
        } else if let value = expect["value"], case .string(let type)? = expect["type"] {
            expectation = .value(value, type: type)
        } else {
            throw CorpusFormatError("\(id): expect has neither error nor value+type")
        }
    }

    /// The variables as the engine's lookup wants them.
    var variableLookup: DictionaryLookup {
        var plain: [String: Value] = [:]
        for (key, value) in variables { plain[key] = value }
        return DictionaryLookup(plain)
    }
}

/// A corpus file that does not follow the documented format.
struct CorpusFormatError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Serves the `templates` of a case to `{% include %}`, `{% import %}` and `{% extends %}`.
struct DictionaryTemplateLoader: TemplateLoader {
    let templates: [String: String]

    func source(named name: String) throws -> String {
        guard let source = templates[name] else {
            throw JinjaError(.templateNotFound, "'\(name)' not found")
        }
        return source
    }
}

/// The ids listed in known_failures.txt: `<id>  # reason`, blank lines and `#` lines ignored.
enum KnownFailures {
    static func parse(_ text: String) -> [String: String] {
        var reasons: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "#", maxSplits: 1)
            let id = parts[0].trimmingCharacters(in: .whitespaces)
            let reason = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            if !id.isEmpty { reasons[id] = reason }
        }
        return reasons
    }
}
