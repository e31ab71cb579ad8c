import Foundation
import Jinja

/// Options of a lookup: keyword arguments, overridden per term by inline `k=v` words (the
/// older form ansible-core still accepts), read with ansible's type coercion.
struct LookupOptions {
    private var values: [String: Value]

    init(_ options: OrderedDict, defaults: [String: Value]) {
        values = defaults
        for (key, value) in options where defaults[key] != nil { values[key] = value }
    }

    mutating func set(_ key: String, _ value: Value) { values[key] = value }
    func contains(_ key: String) -> Bool { values[key] != nil }
    func value(_ key: String) -> Value? { values[key] }
    func string(_ key: String) -> String { values[key].map { $0.isNull ? "" : $0.pythonString } ?? "" }
    func bool(_ key: String) -> Bool {
        guard let value = values[key] else { return false }
        if let text = value.stringValue { return ["true", "yes", "on", "1", "y", "t"].contains(text.lowercased()) }
        return value.isTruthy
    }
    func int(_ key: String) throws -> Int {
        guard let value = values[key] else { return 0 }
        if let number = value.intValue { return number }
        guard let number = Int(value.pythonString.trimmingCharacters(in: .whitespaces)) else {
            throw JinjaError(.runtime, "Invalid type for configuration option \(key): \"\(value.pythonString)\" cannot be converted to an int")
        }
        return number
    }
}

extension LookupContext {
    /// A file named by a lookup option, on the `files` search path; ansible's warning when
    /// it is missing (the caller then fails with its own message).
    func requireFile(_ name: String, missing: String) throws -> String {
        if let path = findFile(name) { return path }
        warn("Unable to find '\(name)' in expected paths (use -vvvvv to see paths)")
        throw JinjaError(.runtime, missing)
    }
}

/// `lookup('ini', 'key', section=…, file=…, type='ini'|'properties', re=…, default=…)`:
/// values from an INI or Java properties file, read as Python's configparser reads it.
struct INILookup: LookupPlugin {
    let name = "ini"
    static let defaults: [String: Value] = [
        "type": "ini", "file": "ansible.ini", "section": "global", "re": false, "encoding": "utf-8", "default": "",
        "case_sensitive": false, "allow_no_value": false, "allow_none": false, "interpolation": true,
    ]

    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        var values: [Value] = []
        var params = LookupOptions(options, defaults: Self.defaults)
        for term in terms {
            let text = term.pythonString
            var key = text
            if text.contains("=") || text.trimmingCharacters(in: .whitespaces).contains(" ") {
                key = try Self.applyInline(text, to: &params)
            }
            let file = params.string("file")
            let path = try context.requireFile(file, missing: "Invalid filename None.")
            var section = params.string("section")
            var contents = try context.readDecrypting(path) ?? ""
            if params.string("type") == "properties" {
                contents = "[java_properties]\n" + contents
                section = "java_properties"
            }
            var parser = INIConfigParser(caseSensitive: params.bool("case_sensitive"),
                                         allowNoValue: params.bool("allow_no_value") || params.bool("allow_none"),
                                         interpolation: params.bool("interpolation"))
            do {
                try parser.read(contents, source: "<???>")
                if params.bool("re") {
                    let pattern = try NSRegularExpression(pattern: key)
                    for (option, value) in try parser.items(section) {
                        let range = NSRange(option.startIndex..., in: option)
                        if let match = pattern.firstMatch(in: option, options: .anchored, range: range), match.range.location == 0 {
                            values.append(value.map(Value.string) ?? .null)
                        }
                    }
                } else if let found = try parser.value(key, section: section) {
                    if let found { values.append(.string(found)) }
                } else if let fallback = params.value("default"), !fallback.isNull {
                    values.append(fallback)
                }
            } catch is INIConfigParser.NoSection {
                throw JinjaError(.runtime, "No section '\(section)' in '\(file)'.")
            } catch let error as INIConfigParser.ParseError {
                throw JinjaError(.runtime, error.message)
            }
        }
        return values
    }

    /// ansible-core's `_parse_params`: whitespace-separated words; a word with `option=`
    /// starts that option, later words without one continue it; the first word is the key.
    static func applyInline(_ term: String, to params: inout LookupOptions) throws -> String {
        var order: [String] = []
        var phrases: [String: String] = [:]
        var current = "key"
        for (index, phrase) in term.split(whereSeparator: \.isWhitespace).map(String.init).enumerated() {
            if phrase.contains("=") {
                for option in defaults.keys.sorted() where phrase.contains(option + "=") { current = option }
            }
            if index == 0 || (phrases[current] ?? "").isEmpty {
                phrases[current] = phrase
                order.append(current)
            } else {
                phrases[current, default: ""] += " " + phrase
            }
        }
        let words = order.map { phrases[$0] ?? "" }
        var key: String?
        for word in words {
            if word.contains("=") {
                let parts = word.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2 else {
                    throw JinjaError(.runtime, "Could not use '\(word)' from \(Value.list(words.map(Value.string)).pythonRepr).")
                }
                guard defaults[parts[0]] != nil else { throw JinjaError(.runtime, "'\(parts[0])' is not a valid option.") }
                params.set(parts[0], .string(parts[1]))
            } else if key == nil {
                key = word
            }
        }
        guard let key else {
            throw JinjaError(.runtime, "No key to look up was provided as first term within string inline options: \(term)")
        }
        return key
    }
}

/// `lookup('csvfile', 'key', file=…, delimiter=…, col=1, keycol=0, default=…)`: the `col`
/// column of the first row whose `keycol` column equals the key, read as Python's csv
/// module reads the excel dialect (quotes, doubled quotes, quoted newlines).
struct CSVFileLookup: LookupPlugin {
    let name = "csvfile"
    static let defaults: [String: Value] = [
        "file": "ansible.csv", "delimiter": "TAB", "col": 1, "keycol": 0, "default": .null, "encoding": "utf-8",
    ]

    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        guard !terms.isEmpty else { throw JinjaError(.runtime, "Search key is required but was not found") }
        var params = LookupOptions(options, defaults: Self.defaults)
        var values: [Value] = []
        for term in terms {
            let parsed = KeyValueParser.parse(term.pythonString, checkRaw: false)
            guard let key = parsed["_raw_params"]?.pythonString else {
                throw JinjaError(.runtime, "Search key is required but was not found")
            }
            for (option, value) in parsed where option != "_raw_params" {
                guard params.contains(option) else { throw JinjaError(.runtime, "'\(option)' is not a valid option") }
                params.set(option, value)
            }
            var delimiter = params.string("delimiter")
            if delimiter == "TAB" { delimiter = "\t" }
            guard delimiter.count == 1, let separator = delimiter.first else {
                throw JinjaError(.runtime, "\"delimiter\" must be a 1-character string")
            }
            let path = try context.requireFile(params.string("file"), missing: "expected str, bytes or os.PathLike object, not NoneType")
            let column = try params.int("col"), keyColumn = try params.int("keycol")
            let text = try context.readDecrypting(path) ?? ""
            var found: Value?
            for row in Self.rows(text, delimiter: separator) where !row.isEmpty {
                guard let cell = Self.cell(row, keyColumn) else { throw JinjaError(.runtime, "list index out of range") }
                if cell == key {
                    guard let value = Self.cell(row, column) else { throw JinjaError(.runtime, "list index out of range") }
                    found = .string(value)
                    break
                }
            }
            if let result = found ?? params.value("default"), !result.isNull { values.append(result) }
        }
        return values
    }

    /// Python's negative indices count from the end.
    static func cell(_ row: [String], _ index: Int) -> String? {
        let position = index < 0 ? row.count + index : index
        return row.indices.contains(position) ? row[position] : nil
    }

    /// Rows of the excel dialect: `"` quotes a field (`""` inside is one quote, newlines
    /// are kept), nothing is stripped.
    static func rows(_ text: String, delimiter: Character) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false, inQuotes = false, fieldStarted = false
        var characters = Array(text)[...]
        func endField() {
            row.append(field)
            field = ""
            quoted = false
            fieldStarted = false
        }
        while let character = characters.popFirst() {
            if inQuotes {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.append("\"")
                        characters.removeFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" && !fieldStarted {
                inQuotes = true
                quoted = true
                fieldStarted = true
            } else if character == delimiter {
                endField()
            } else if character == "\n" || character == "\r\n" || character == "\r" {
                if fieldStarted || !row.isEmpty || quoted { endField() }
                rows.append(row)
                row = []
            } else {
                field.append(character)
                fieldStarted = true
            }
        }
        if fieldStarted || !row.isEmpty { endField() }
        if !row.isEmpty { rows.append(row) }
        return rows
    }
}
