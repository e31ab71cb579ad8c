import Foundation
import Jinja

/// `with_subelements` / `lookup('subelements', list, 'key')`: pairs each item with each
/// element of its `key` list.
struct SubelementsLookup: LookupPlugin {
    let name = "subelements"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        // ansible-core's checks and messages, in its order.
        func termsError(_ detail: String = "") -> JinjaError {
            JinjaError(.runtime, "subelements lookup expects a list of two or three items, " + detail)
        }
        guard (2...3).contains(terms.count) else { throw termsError() }
        guard terms[0].listValue != nil || terms[0].dictValue != nil, let path = terms[1].stringValue else {
            throw termsError("first a dict or a list, second a string pointing to the subkey")
        }
        let keys = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let elements: [Value]
        if let dict = terms[0].dictValue {
            if let skipped = dict["skipped"], skipped != .bool(false) { return [] }
            elements = Array(dict.values)
        } else {
            elements = terms[0].listValue ?? []
        }
        let flags = terms.count == 3 ? terms[2] : (options.isEmpty ? .dict(OrderedDict()) : .dict(options))
        guard let flagDict = flags.dictValue else {
            throw termsError("the optional third item must be a dict with flags ['skip_missing']")
        }
        let skipMissing = ArgumentSpec.boolean(flagDict["skip_missing"] ?? false) ?? false
        var out: [Value] = []
        for element in elements {
            guard var item = element.dictValue else {
                throw JinjaError(.runtime, "subelements lookup expects a dictionary, got '\(element.pythonString)'")
            }
            if let skipped = item["skipped"], skipped != .bool(false) { continue }
            // Walks the path; the list found is taken out of the item handed back (ansible-core pops it).
            func take(_ dict: inout OrderedDict, _ index: Int) throws -> [Value]? {
                let key = keys[index]
                guard let value = dict[key] else {
                    if skipMissing { return nil }
                    throw JinjaError(.runtime, "could not find '\(key)' key in iterated item '\(Value.dict(dict).pythonString)'")
                }
                if index == keys.count - 1 {
                    guard let list = value.listValue else {
                        throw JinjaError(.runtime, "the key \(key) should point to a list, got '\(value.pythonString)'")
                    }
                    dict.removeValue(forKey: key)
                    return list
                }
                guard var nested = value.dictValue else {
                    if skipMissing { return nil }
                    throw JinjaError(.runtime, "the key \(key) should point to a dictionary, got '\(value.pythonString)'")
                }
                let list = try take(&nested, index + 1)
                dict[key] = .dict(nested)
                return list
            }
            let list = try take(&item, 0) ?? []
            for element in list { out.append(.list([.dict(item), element])) }
        }
        return out
    }
}

/// `community.general.flattened`: the terms with nested lists flattened recursively. A
/// list holding only one list is unwrapped first, and a `None`/`null` string ends the list,
/// as the collection's plugin does.
struct FlattenedLookup: LookupPlugin {
    let name = "community.general.flattened"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] { flatten(terms) }

    private func flatten(_ terms: [Value]) -> [Value] {
        var out: [Value] = []
        for var term in terms {
            if let list = term.listValue, list.count == 1, list[0].listValue != nil { term = list[0] }
            if let text = term.stringValue, text == "None" || text == "null" { break }
            if let list = term.listValue { out += flatten(list) } else { out.append(term) }
        }
        return out
    }
}

/// `with_random_choice`: one random element of the terms.
struct RandomChoiceLookup: LookupPlugin {
    let name = "random_choice"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        let items = terms.count == 1 ? (terms[0].listValue ?? terms) : terms
        return items.randomElement().map { [$0] } ?? []
    }
}

/// `with_fileglob`: controller files matching a glob (relative paths search `files/`).
struct FileglobLookup: LookupPlugin {
    let name = "fileglob"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        var out: [Value] = []
        for term in terms.flatMap({ $0.listValue ?? [$0] }) {
            // As ansible-core's fileglob: a pattern with a directory finds that directory on the
            // search path (`files/` first); a bare pattern tries each search path's `files/`, then
            // the path itself; the first directory with matches wins.
            let pattern = term.pythonString
            let glob = (pattern as NSString).lastPathComponent
            let directory = (pattern as NSString).deletingLastPathComponent
            var directories: [String]
            if pattern.hasPrefix("/") {
                directories = [directory]
            } else if !directory.isEmpty {
                directories = context.searchCandidates(directory, subdir: "files").filter(isDirectory).prefix(1).map { $0 }
            } else {
                let stack = ((try? context.variables.lookup("ansible_search_path")) ?? nil)?.listValue?.compactMap(\.stringValue)
                directories = (stack ?? [context.baseDirectory]).flatMap { [$0 + "/files", $0] }
            }
            for parent in directories {
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).sorted()
                let found = names.filter { Glob.matches($0, pattern: glob) }.map { parent + "/" + $0 }
                    .filter { !isDirectory($0) }
                if !found.isEmpty { out.append(contentsOf: found.map(Value.string)); break }
            }
        }
        return out
    }

    private func isDirectory(_ path: String) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
    }
}

/// `with_first_found` / `lookup('first_found', …)`: the first existing file of a list
/// (strings, or dicts with `files` and `paths`).
struct FirstFoundLookup: LookupPlugin {
    let name = "first_found"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        var candidates: [String] = []
        var skip = options["skip"]?.isTruthy ?? false
        func add(files: [String], paths: [String]) {
            for file in files {
                if paths.isEmpty { candidates.append(file) } else { candidates += paths.map { $0 + "/" + file } }
            }
        }
        let optionFiles = options["files"].map { $0.listValue?.map(\.pythonString) ?? [$0.pythonString] } ?? []
        let optionPaths = options["paths"].map { $0.listValue?.map(\.pythonString) ?? [$0.pythonString] } ?? []
        add(files: optionFiles, paths: optionPaths)
        // Undefined terms (a loop's terms are templated one by one) are skipped, as ansible-core
        // does; file names split on `,;` and paths on `,:;` (its legacy "magic" splitting).
        func names(_ value: Value?, splitOn separators: String) -> [String] {
            guard let value, !value.isUndefined else { return [] }
            let items = value.listValue ?? [value]
            return items.filter { !$0.isUndefined }.flatMap { $0.pythonString.split(whereSeparator: separators.contains).map(String.init) }
        }
        for term in terms.flatMap({ $0.listValue ?? [$0] }) where !term.isUndefined {
            if let d = term.dictValue {
                let files = names(d["files"], splitOn: ",;")
                let paths = names(d["paths"], splitOn: ",:;")
                if d["skip"]?.isTruthy ?? false { skip = true }
                add(files: files, paths: paths)
            } else if term.stringValue != nil {
                add(files: [term.pythonString], paths: optionPaths)
            } else {
                throw JinjaError(.runtime, "Invalid term supplied. A string, dict or list is required, not '\(term.pythonTypeName)').")
            }
        }
        for candidate in candidates {
            if let found = context.searchCandidates(candidate, subdir: context.subdirectory).first(where: { FileManager.default.fileExists(atPath: $0) }) {
                return [.string((found as NSString).standardizingPath)]
            }
        }
        if skip { return [] }
        throw JinjaError(.runtime, "No file was found when using first_found.")
    }
}

/// `lookup('template', 'file.j2')`: renders a template file (from the role's or the
/// playbook's `templates/`) with the task's variables, as the template module would.
struct TemplateLookup: LookupPlugin {
    let name = "template"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        guard let base = context.environment else {
            throw JinjaError(.runtime, "the template lookup needs a templating environment")
        }
        // As ansible-core's template lookup: the file is found on the search path (`templates/`
        // first), vaulted files are decrypted, includes search the file's directory and each
        // search path's `templates/` and itself, and the options override the Jinja settings.
        let stack = ((try? context.variables.lookup("ansible_search_path")) ?? nil)?.listValue?.compactMap(\.stringValue) ?? []
        var templateVars = OrderedDict()
        if let extra = options["template_vars"]?.dictValue { templateVars = extra }
        let delimiters = TemplateDelimiters(options)
        return try terms.map { term in
            let name = term.pythonString
            guard let path = context.findFile(name, subdir: "templates"), let source = try context.readDecrypting(path) else {
                throw JinjaError(.templateNotFound, "the template file \(name) could not be found for the lookup")
            }
            let env = Environment()
            env.filters = base.filters
            env.lazyVariableContainers = base.lazyVariableContainers
            env.tests = base.tests
            env.globals = base.globals
            env.externalPlugins = base.externalPlugins
            env.trimBlocks = options["trim_blocks"].map(\.isTruthy) ?? true
            env.loader = TemplateDirectoryLoader(directories: [(path as NSString).deletingLastPathComponent]
                + stack.flatMap { [$0 + "/templates", $0] })
            var extra = templateVars
            extra["template_path"] = extra["template_path"] ?? .string(name)
            extra["template_fullpath"] = extra["template_fullpath"] ?? .string(path)
            let variables = OverlayVariables(base: AnsibleManaged.Variables(base: context.variables), overlay: extra)
            let template = try env.template(delimiters.translate(source), name: path, escapeBackslashes: false)
            // ansible-core 2.19 renders it natively: one expression (a macro call too) keeps its
            // value's type, text keeps the final newlines Jinja drops.
            let value = try template.renderNative(variables)
            // A template that renders nothing is None, as ansible-core's engine returns it.
            if case .string(let text) = value, text.isEmpty { return .null }
            return value
        }
    }
}

/// Template variables with a few names laid over them (`template_vars`, `template_path`).
struct OverlayVariables: VariableLookup {
    let base: VariableLookup
    let overlay: OrderedDict
    var underlyingVariables: VariableLookup { base.underlyingVariables }
    func lookup(_ name: String) throws -> Value? { try overlay[name] ?? base.lookup(name) }
}

/// `variable_start_string`, `comment_end_string` …: a template written with other
/// delimiters, rewritten to the standard ones (text that looks like a standard delimiter
/// is kept literal with `{% raw %}`).
struct TemplateDelimiters {
    var variable = ("{{", "}}"), comment = ("{#", "#}")
    init(_ options: OrderedDict) {
        variable = (options["variable_start_string"]?.stringValue ?? "{{", options["variable_end_string"]?.stringValue ?? "}}")
        comment = (options["comment_start_string"]?.stringValue ?? "{#", options["comment_end_string"]?.stringValue ?? "#}")
    }
    var isStandard: Bool { variable == ("{{", "}}") && comment == ("{#", "#}") }

    func translate(_ source: String) -> String {
        guard !isStandard else { return source }
        var out = "", text = ""
        var rest = Substring(source)
        func flushText() {
            if text.contains("{{") || text.contains("{#") { out += "{% raw %}" + text + "{% endraw %}" } else { out += text }
            text = ""
        }
        while !rest.isEmpty {
            if rest.hasPrefix(variable.0), let end = rest.dropFirst(variable.0.count).range(of: variable.1) {
                flushText()
                out += "{{" + rest[rest.index(rest.startIndex, offsetBy: variable.0.count)..<end.lowerBound] + "}}"
                rest = rest[end.upperBound...]
            } else if rest.hasPrefix(comment.0), let end = rest.dropFirst(comment.0.count).range(of: comment.1) {
                flushText()
                rest = rest[end.upperBound...]
            } else {
                text.append(rest.removeFirst())
            }
        }
        flushText()
        return out
    }
}

/// `lookup('varnames', '^regex$')`: names of the visible variables matching each regex.
struct VarnamesLookup: LookupPlugin {
    let name = "varnames"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        guard let scope = context.variables.underlyingVariables as? VariableScope else { return [] }
        let names = scope.allNames
        var out: [Value] = []
        for term in terms {
            guard let pattern = term.stringValue else {
                throw JinjaError(.runtime, "Invalid setting identifier, \"\(term.pythonString)\" is not a string, it is a <class '\(term.pythonTypeName)'>")
            }
            let regex: Jinja.PythonRegex
            do { regex = try Jinja.PythonRegex(pattern) } catch {
                // Python's wording for the commonest mistake, a pattern starting with a repeat.
                let reason = pattern.first.map { "*+?{".contains($0) } == true ? "nothing to repeat at position 0" : TaskErrorText.message(error)
                throw JinjaError(.runtime, "Unable to use \"\(pattern)\" as a search parameter: \(reason)")
            }
            for n in names where regex.search(n) != nil && !out.contains(.string(n)) { out.append(.string(n)) }
        }
        return out
    }
}

/// `lookup('password', 'path length=N chars=…')`: a random password, created once and
/// kept in the file (`/dev/null` never persists).
struct PasswordLookup: LookupPlugin {
    let name = "password"
    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        try terms.map { term in
            let words = KeyValueParser.split(term.pythonString)
            guard let rawPath = words.first else { throw JinjaError(.runtime, "password lookup needs a path") }
            var params = KeyValueParser.parse(words.dropFirst().joined(separator: " "), checkRaw: false)
            params.merge(options)
            let length = params["length"].flatMap { $0.intValue ?? Int($0.pythonString) } ?? 20
            let alphabet = PasswordLookup.alphabet(params["chars"]?.pythonString ?? "ascii_letters,digits,.,:-_")
            let path = rawPath.hasPrefix("/") ? rawPath : context.baseDirectory + "/" + rawPath
            if path != "/dev/null", let existing = try? String(contentsOfFile: path, encoding: .utf8) {
                let first = existing.split(separator: "\n").first.map(String.init) ?? ""
                return .string(first.components(separatedBy: " salt=").first ?? first)
            }
            let password = String((0..<max(1, length)).map { _ in alphabet.randomElement()! })
            if path != "/dev/null" {
                try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                _ = FileManager.default.createFile(atPath: path, contents: Data((password + "\n").utf8), attributes: [.posixPermissions: 0o600])
            }
            return .string(password)
        }
    }

    /// Ansible's `chars` spec: comma-separated names of string constants or literal runs.
    static func alphabet(_ spec: String) -> [Character] {
        var chars: [Character] = []
        for part in spec.split(separator: ",", omittingEmptySubsequences: false) {
            switch part {
            case "ascii_letters": chars += Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
            case "ascii_lowercase": chars += Array("abcdefghijklmnopqrstuvwxyz")
            case "ascii_uppercase": chars += Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            case "digits": chars += Array("0123456789")
            case "hexdigits": chars += Array("0123456789abcdefABCDEF")
            case "octdigits": chars += Array("01234567")
            case "punctuation": chars += Array("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
            case "": chars.append(",")
            default: chars += Array(part)
            }
        }
        return chars.isEmpty ? Array("abcdefghijklmnopqrstuvwxyz") : chars
    }
}

/// `ansible_managed` as template rendering injects it when no variable sets it.
enum AnsibleManaged {
    /// ansible-core's DEFAULT_MANAGED_STR.
    static let defaultText = "Ansible managed"

    /// A template's variables with the default `ansible_managed` beneath them.
    struct Variables: VariableLookup {
        let base: VariableLookup
        var underlyingVariables: VariableLookup { base.underlyingVariables }
        func lookup(_ name: String) throws -> Value? {
            if let value = try base.lookup(name) { return value }
            return name == "ansible_managed" ? .string(defaultText) : nil
        }
    }
}
