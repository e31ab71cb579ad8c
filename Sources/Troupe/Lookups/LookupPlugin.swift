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
                                ConfigLookup(), InventoryHostnamesLookup(), UnvaultLookup()] {
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
        let plugin = try LookupRegistry.plugin(name)
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
            guard let d = term.dictValue else { throw JinjaError(.filter, "with_dict expects a dict") }
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
        return try terms.map { term in
            let path = term.pythonString
            guard let found = context.findFile(path), let text = try context.readDecrypting(found) else {
                throw JinjaError(.runtime, "The 'file' lookup had an issue accessing the file '\(path)'")
            }
            var s = text
            if strip { while s.last?.isWhitespace ?? false { s.removeLast() } }
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
            if let v = try context.variables.lookup(term.pythonString) { return v }
            if let d = options["default"] { return d }
            throw JinjaError(.undefined, "No variable found with this name: \(term.pythonString)")
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
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        var out: [Value] = []
        for term in terms {
            var start = 1, end: Int?, count: Int?, stride = 1, format = "%d"
            var spec = OrderedDict()
            if let text = term.stringValue {
                if text.contains("=") {
                    spec = KeyValueParser.parse(text, checkRaw: false)
                } else {
                    // shortcut form: [start-]end[/stride][:format]
                    var rest = text
                    if let colon = rest.firstIndex(of: ":") { format = String(rest[rest.index(after: colon)...]); rest = String(rest[..<colon]) }
                    if let slash = rest.firstIndex(of: "/") { stride = Int(rest[rest.index(after: slash)...]) ?? 1; rest = String(rest[..<slash]) }
                    let parts = rest.split(separator: "-")
                    if parts.count == 2 { start = Int(parts[0]) ?? 1; end = Int(parts[1]) } else { end = Int(rest) }
                }
            }
            for (k, v) in options { spec[k] = v }
            if let s = spec["start"] { start = Int(s.pythonString, radix: s.pythonString.hasPrefix("0x") ? 16 : 10) ?? start }
            if let e = spec["end"] { end = Int(e.pythonString) }
            if let c = spec["count"] { count = Int(c.pythonString) }
            if let s = spec["stride"] { stride = Int(s.pythonString) ?? 1 }
            if let f = spec["format"] { format = f.pythonString }
            if let count { end = start + (count - 1) * stride }
            guard let last = end else { throw JinjaError(.runtime, "must specify count or end in with_sequence") }
            guard stride != 0 else { continue }
            var i = start
            while stride > 0 ? i <= last : i >= last {
                out.append(.string(String(format: format.replacingOccurrences(of: "%d", with: "%ld"), i)))
                i += stride
            }
        }
        return out
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
