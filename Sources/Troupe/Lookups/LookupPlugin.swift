import Foundation
import Jinja

/// A lookup plugin: `lookup('name', terms…)`, `query(...)` and `with_name:` loops.
public protocol LookupPlugin: Sendable {
    /// The lookup's short name, e.g. "file"; FQCNs resolve to it.
    var name: String { get }
    /// Returns the list of values for `terms`.
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value]
}

/// What a lookup sees: the variables of the task and where relative paths start.
public struct LookupContext {
    /// The task's variables, for lookups such as `vars`.
    public let variables: VariableLookup
    /// Directory relative paths are resolved against (role or playbook directory).
    public let baseDirectory: String
    /// The templating environment, for lookups that render (`template`).
    public var environment: Environment?
    /// The role or playbook subdirectory file-finding lookups search first: `files`, or
    /// `vars`/`templates` for a `with_` loop on include_vars/template (ansible-core's `_subdir`).
    public var subdirectory: String

    /// A context; `environment` is needed only by rendering lookups.
    public init(variables: VariableLookup, baseDirectory: String, environment: Environment? = nil, subdirectory: String = "files") {
        self.variables = variables
        self.baseDirectory = baseDirectory
        self.environment = environment
        self.subdirectory = subdirectory
    }
}

/// Registered lookups by short name.
public enum LookupRegistry {
    /// Lookups by short name; add custom ones before the run starts (not synchronised).
    nonisolated(unsafe) public static var plugins: [String: LookupPlugin] = {
        var d: [String: LookupPlugin] = [:]
        for p: LookupPlugin in [ItemsLookup(), ListLookup(), DictLookup(), IndexedItemsLookup(), EnvLookup(), FileLookup(),
                                LinesLookup(), PipeLookup(), SequenceLookup(), NestedLookup(), TogetherLookup(), VarsLookup(),
                                SubelementsLookup(), RandomChoiceLookup(), FileglobLookup(), FirstFoundLookup(), TemplateLookup(), VarnamesLookup(), PasswordLookup(),
                                ConfigLookup(), InventoryHostnamesLookup(), UnvaultLookup(), INILookup(), CSVFileLookup(), URLLookup(), FlattenedLookup()] {
            d[p.name] = p
        }
        return d
    }()

    /// The lookup called `name` (short or FQCN); throws a Jinja runtime error when none is registered.
    public static func plugin(_ name: String) throws -> LookupPlugin {
        guard let p = plugins[ModuleNames.shortName(name)] else {
            throw JinjaError(.runtime, "lookup plugin (\(name)) not found")
        }
        return p
    }
}

/// `lookup(name, …)` / `query(name, …)` as Jinja globals.
final class LookupFunction: JinjaObject, @unchecked Sendable {
    let alwaysList: Bool
    let baseDirectory: () -> String
    init(alwaysList: Bool, baseDirectory: @escaping () -> String) {
        self.alwaysList = alwaysList
        self.baseDirectory = baseDirectory
    }
    override var typeName: String { "function" }
    override var isCallable: Bool { true }
    override func call(_ arguments: Arguments, _ context: CallContext) throws -> Value {
        guard let name = arguments.positional.first?.stringValue else {
            throw JinjaError(.type, "lookup() missing required positional argument: 'name'")
        }
        var options = OrderedDict()
        var wantList = alwaysList
        var errors = "strict"
        for (k, v) in arguments.keywords {
            if k == "wantlist" { wantList = v.isTruthy } else if k == "errors" { errors = v.pythonString } else { options[k] = v }
        }
        let plugin = try LookupRegistry.plugin(name, environment: context.environment)
        let lookupContext = LookupContext(variables: context.variables, baseDirectory: baseDirectory(),
                                          environment: context.environment)
        let values: [Value]
        do {
            values = try plugin.run(Array(arguments.positional.dropFirst()), options: options, context: lookupContext)
        } catch {
            if errors == "warn" {
                let message = (error as? JinjaError)?.message ?? "\(error)"
                lookupContext.warn("An error occurred while running the lookup plugin '\(name)': \(message)")
            }
            if errors == "ignore" || errors == "warn" { return alwaysList || wantList ? .list([]) : .null }
            throw error
        }
        // ansible-core without wantlist: one value unwrapped, strings joined with commas,
        // anything else (no values, non-strings among them) as the list.
        if wantList || values.isEmpty { return .list(values) }
        if values.count == 1 { return values[0] }
        let strings = values.compactMap(\.stringValue)
        return strings.count == values.count ? .string(strings.joined(separator: ",")) : .list(values)
    }
}

struct ItemsLookup: LookupPlugin {
    let name = "items"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        terms.flatMap { $0.listValue ?? [$0] }
    }
}

struct ListLookup: LookupPlugin {
    let name = "list"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        if terms.count == 1, let l = terms[0].listValue { return l }
        return terms
    }
}

struct DictLookup: LookupPlugin {
    let name = "dict"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        var out: [Value] = []
        for term in terms {
            guard let d = term.dictValue else {
                throw JinjaError(.runtime, "The lookup plugin 'dict' failed: the 'dict' lookup plugin expects a dictionary, "
                                 + "got '\(term.pythonString)' of type <class '\(term.pythonTypeName)'>)")
            }
            for (k, v) in d { out.append(["key": .string(k), "value": v]) }
        }
        return out
    }
}

struct IndexedItemsLookup: LookupPlugin {
    let name = "indexed_items"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        let items = terms.count == 1 ? (terms[0].listValue ?? terms) : terms
        return items.enumerated().map { .list([.int($0.offset), $0.element]) }
    }
}

struct EnvLookup: LookupPlugin {
    let name = "env"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        let env = ProcessInfo.processInfo.environment
        return terms.map { t in env[t.pythonString].map(Value.string) ?? options["default"] ?? .string("") }
    }
}

struct FileLookup: LookupPlugin {
    let name = "file"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        let strip = options["rstrip"].map { $0.isTruthy } ?? true
        let stripLeading = options["lstrip"].map { $0.isTruthy } ?? false
        return try terms.map { term in
            let path = term.pythonString
            guard let found = context.findFile(path), let text = try context.readDecrypting(found) else {
                throw JinjaError(.runtime, "The 'file' lookup had an issue accessing the file '\(path)'")
            }
            var s = text
            if strip { while s.last?.isWhitespace ?? false { s.removeLast() } }
            if stripLeading { while s.first?.isWhitespace ?? false { s.removeFirst() } }
            return .string(s)
        }
    }
}

struct LinesLookup: LookupPlugin {
    let name = "lines"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        try terms.flatMap { term -> [Value] in
            let out = try LocalShell.run(term.pythonString, directory: context.baseDirectory)
            return CommandModule.lines(out)
        }
    }
}

struct PipeLookup: LookupPlugin {
    let name = "pipe"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        try terms.map { term in
            var out = try LocalShell.run(term.pythonString, directory: context.baseDirectory)
            while out.hasSuffix("\n") { out.removeLast() }
            return .string(out)
        }
    }
}

struct VarsLookup: LookupPlugin {
    let name = "vars"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        try terms.map { term in
            guard term.stringValue != nil else {
                throw JinjaError(.runtime, "Variable name must be 'str' not '\(term.pythonTypeName)'.")
            }
            if let v = try context.variables.lookup(term.pythonString) { return v }
            if let d = options["default"] { return d }
            throw JinjaError(.undefined, "No variable named \(Value.string(term.pythonString).pythonRepr) was found.")
        }
    }
}

struct NestedLookup: LookupPlugin {
    let name = "nested"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        // As ansible-core's nested: a string term (a bare variable name is one, in 2.19)
        // iterates its characters, and each combination is flattened one level.
        func elements(_ term: Value) -> [Value] {
            if let list = term.listValue { return list }
            if let text = term.stringValue { return text.map { .string(String($0)) } }
            return [term]
        }
        func flatten(_ pair: [Value]) -> [Value] { pair.flatMap { $0.listValue ?? [$0] } }
        guard var result = terms.first.map(elements) else {
            throw JinjaError(.runtime, "with_nested requires at least one element in the nested list")
        }
        for term in terms.dropFirst() {
            let next = elements(term)
            result = result.flatMap { x in next.map { y in .list(flatten([x, y])) } }
        }
        return result
    }
}

struct TogetherLookup: LookupPlugin {
    let name = "together"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        let lists = terms.map { $0.listValue ?? [$0] }
        let n = lists.map(\.count).max() ?? 0
        return (0..<n).map { i in .list(lists.map { i < $0.count ? $0[i] : .null }) }
    }
}

struct SequenceLookup: LookupPlugin {
    let name = "sequence"
    static let fields: Set<String> = ["start", "end", "stride", "count", "format"]

    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        var out: [Value] = []
        for term in (terms.isEmpty && !options.isEmpty ? [.string("")] : terms) {
            var spec = OrderedDict()
            for (k, v) in options { spec[k] = v }
            let text = term.pythonString
            if let shortcut = Self.shortcut(text) {
                for (k, v) in shortcut { spec[k] = .string(v) }
            } else {
                let parsed = KeyValueParser.parse(text, checkRaw: false)
                let unknown = parsed.keys.filter { !Self.fields.contains($0) }
                if !unknown.isEmpty {
                    throw JinjaError(.runtime, "unrecognized arguments to with_sequence: [\(unknown.map { "'\($0)'" }.joined(separator: ", "))]")
                }
                for (k, v) in parsed { spec[k] = v }
            }
            func integer(_ key: String) throws -> Int? {
                guard let value = spec[key], !value.isNull else { return nil }
                if let i = value.intValue, value.stringValue == nil { return i }
                guard let i = Self.integer(value.pythonString) else {
                    throw JinjaError(.runtime, "Config '\(key)' for 'sequence' lookup plugin from 'Direct' has an invalid value: "
                                     + "Invalid value provided for 'integer': \(value.pythonRepr)")
                }
                return i
            }
            let start = try integer("start") ?? 1
            var end = try integer("end")
            let count = try integer("count")
            let stride = try integer("stride") ?? 1
            let format = spec["format"]?.pythonString ?? "%d"
            // ansible-core's sanity_check, in its order and wording.
            if count == nil && end == nil { throw JinjaError(.runtime, "must specify count or end in with_sequence") }
            if count != nil && end != nil { throw JinjaError(.runtime, "can't specify both count and end in with_sequence") }
            if let count {
                if count == 0 { continue }
                end = start + count * stride - 1
            }
            guard let last = end else { continue }
            if stride > 0 && last < start { throw JinjaError(.runtime, "to count backwards make stride negative") }
            if stride < 0 && last > start { throw JinjaError(.runtime, "to count forward don't make stride negative") }
            if stride == 0 { continue }
            guard Self.isIntegerFormat(format) else { throw JinjaError(.runtime, "bad formatting string: \(format)") }
            var i = start
            while stride > 0 ? i <= last : i >= last {
                out.append(.string(String(format: Self.longFormat(format), i)))
                i += stride
            }
        }
        return out
    }

    /// The shortcut form `[start-]end[/stride][:format]` (numbers decimal, hex or octal).
    static func shortcut(_ text: String) -> [String: String]? {
        let number = "(0?x?[0-9a-f]+)"
        guard let regex = try? NSRegularExpression(pattern: "^(" + number + "-)?" + number + "(/" + number + ")?(:(.+))?$",
                                                   options: [.caseInsensitive]),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        func group(_ i: Int) -> String? { Range(match.range(at: i), in: text).map { String(text[$0]) } }
        var out: [String: String] = [:]
        out["start"] = group(2)
        out["end"] = group(3)
        out["stride"] = group(5)
        out["format"] = group(7)
        return out
    }

    /// An integer as ansible-core 2.19's config typing reads one: Python's `int(text)`
    /// (decimal, optional sign, leading zeros allowed; no hex despite the plugin's docs).
    static func integer(_ text: String) -> Int? {
        var body = text.trimmingCharacters(in: .whitespaces)
        var sign = 1
        if body.hasPrefix("-") { sign = -1; body.removeFirst() } else if body.hasPrefix("+") { body.removeFirst() }
        guard !body.isEmpty, body.allSatisfy(\.isASCII), body.allSatisfy(\.isNumber) else { return nil }
        return Int(body).map { $0 * sign }
    }

    /// Whether a printf format takes exactly one integer (Python's `format % 0` succeeds).
    static func isIntegerFormat(_ format: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: "%(%|[-+ #0]*[0-9]*(\\.[0-9]+)?([diouxXc]))") else { return false }
        let matches = regex.matches(in: format, range: NSRange(format.startIndex..., in: format))
        let conversions = matches.filter { Range($0.range, in: format).map { format[$0] != "%%" } ?? false }
        let stray = format.replacingOccurrences(of: "%%", with: "").filter { $0 == "%" }.count
        return conversions.count == 1 && stray == 1
    }

    /// The format with its integer conversion widened for Swift's `Int` (`%02x` → `%02lx`).
    static func longFormat(_ format: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: "(%[-+ #0]*[0-9]*(?:\\.[0-9]+)?)([diouxX])") else { return format }
        return regex.stringByReplacingMatches(in: format, range: NSRange(format.startIndex..., in: format), withTemplate: "$1l$2")
    }
}

/// Runs a shell command on the controller (pipe and lines lookups).
enum LocalShell {
    static func run(_ command: String, directory: String) throws -> String {
        let r = try LocalConnection().run(CommandRequest(.shell(command), workingDirectory: directory))
        guard r.rc == 0 else {
            throw JinjaError(.runtime, "lookup_plugin.pipe(\(command)) returned \(r.rc)")
        }
        return String(decoding: r.stdout, as: UTF8.self)
    }
}
