import Foundation
import Jinja
import Troupe

/// How `troupe doc` prints an entry: text, a snippet, or ansible-doc's JSON shape.
extension PluginCatalog.Entry {
    /// One option as shown: from the DOCUMENTATION when it has it, else from Troupe's spec.
    struct Option {
        var name: String
        var description: [String]
        var required: Bool
        var details: [(String, String)]
    }

    var options: [Option] {
        var result: [Option] = []
        var documented = Set<String>()
        if let options = documentation?.doc["options"]?.dictValue {
            for (name, value) in options {
                documented.insert(name)
                let fields = value.dictValue ?? OrderedDict()
                var details: [(String, String)] = []
                for key in ["default", "type", "elements", "choices", "aliases"] {
                    if let field = fields[key], !field.isNull { details.append((key, Self.show(field))) }
                }
                result.append(Option(name: name, description: Self.lines(fields["description"]),
                                     required: fields["required"]?.isTruthy ?? false, details: details))
            }
        }
        for parameter in spec?.parameters ?? [] where !documented.contains(parameter.name) && !parameter.name.hasPrefix("_") {
            var details: [(String, String)] = [("type", parameter.kind.rawValue)]
            if let value = parameter.defaultValue { details.insert(("default", Self.show(value)), at: 0) }
            if let choices = parameter.choices { details.append(("choices", Self.show(.list(choices)))) }
            if !parameter.aliases.isEmpty { details.append(("aliases", parameter.aliases.joined(separator: ", "))) }
            result.append(Option(name: parameter.name, description: [], required: parameter.required, details: details))
        }
        return result
    }

    /// Documented options Troupe's native module does not accept (empty when unknown).
    var unsupportedOptions: [String] {
        guard let spec, let options = documentation?.doc["options"]?.dictValue else { return [] }
        let accepted = Set(spec.parameters.flatMap { [$0.name] + $0.aliases })
        return options.keys.filter { !accepted.contains($0) }
    }

    func text() -> String {
        var out = "> \(kindLabel) \(fullName) (\(documentation?.path ?? "native in Troupe"))\n\n"
        for line in Self.lines(documentation?.doc["description"]) {
            out += Self.wrap(line, indent: "  ") + "\n"
        }
        if documentation == nil { out += "  No DOCUMENTATION found (ansible-core's sources are not on this controller); options come from Troupe's argument spec.\n" }
        let shown = options
        if !shown.isEmpty {
            out += "\nOPTIONS (= is mandatory):\n\n"
            for option in shown {
                out += "\(option.required ? "=" : "-") \(option.name)\n"
                for line in option.description { out += Self.wrap(line, indent: "        ") + "\n" }
                for (key, value) in option.details { out += "        \(key): \(value)\n" }
                out += "\n"
            }
        }
        let unsupported = unsupportedOptions
        out += "TROUPE: \(implementation)\n"
        if !unsupported.isEmpty { out += "        Not accepted by Troupe's native module: \(unsupported.joined(separator: ", ")).\n" }
        if let authors = documentation?.doc["author"] {
            out += "\nAUTHOR: \(Self.lines(authors).joined(separator: ", "))\n"
        }
        if let examples = documentation?.examples?.trimmingCharacters(in: .newlines), !examples.isEmpty {
            out += "\nEXAMPLES:\n\(examples)\n"
        }
        return out + "\n"
    }

    func snippet() -> String {
        let short = documentation?.shortDescription ?? fullName
        var out = "- name: \(short)\n  \(fullName):\n"
        for option in options {
            let first = option.description.first.map { "  # " + $0.replacingOccurrences(of: "\n", with: " ") } ?? ""
            out += "      \(option.name):\(first.isEmpty ? "" : String(repeating: " ", count: max(1, 22 - option.name.count)) + first.dropFirst(2))\n"
        }
        return out
    }

    var jsonValue: Value {
        var doc = documentation?.doc ?? OrderedDict()
        if documentation == nil {
            var options = OrderedDict()
            for option in self.options {
                var fields = OrderedDict([("required", .bool(option.required))])
                for (key, value) in option.details { fields[key] = .string(value) }
                options[option.name] = .dict(fields)
            }
            doc["options"] = .dict(options)
        }
        doc["filename"] = .string(documentation?.path ?? "")
        doc["collection"] = .string(fullName.split(separator: ".").prefix(2).joined(separator: "."))
        return .dict(OrderedDict([("doc", .dict(doc)), ("examples", documentation?.examples.map(Value.string) ?? .null),
                                  ("return", documentation?.returns.map(Value.dict) ?? .null), ("metadata", .null)]))
    }

    var kindLabel: String { (documentation?.path.contains("/modules/") ?? true) ? "MODULE" : "PLUGIN" }

    static func lines(_ value: Value?) -> [String] {
        switch value {
        case .string(let text)?: return [plain(text)]
        case .list(let items)?: return items.map { plain($0.pythonString) }
        case let other?: return other.isNull ? [] : [plain(other.pythonString)]
        default: return []
        }
    }

    /// Ansible's documentation markup as ansible-doc shows it on a terminal without
    /// colour: `C(x)`, `V(x)`, `O(x)`, `RV(x)`, `I(x)`, `B(x)` as `x'; `M(x)` and `U(x)` as
    /// x; `L(text,url)` as "text <url>".
    static func plain(_ text: String) -> String {
        guard text.contains("(") else { return text }
        let pattern = #"\b(C|V|O|RV|I|B|M|U|L|E|P)\(([^()]*)\)"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
        var result = ""
        var last = text.startIndex
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let whole = Range(match.range, in: text), let kindRange = Range(match.range(at: 1), in: text),
                  let bodyRange = Range(match.range(at: 2), in: text) else { continue }
            result += text[last..<whole.lowerBound]
            let body = String(text[bodyRange])
            switch text[kindRange] {
            case "M", "U", "P": result += body
            case "L":
                let parts = body.split(separator: ",", maxSplits: 1)
                result += parts.count == 2 ? "\(parts[0]) <\(parts[1])>" : body
            default: result += "`\(body)'"
            }
            last = whole.upperBound
        }
        return result + text[last...]
    }

    static func show(_ value: Value) -> String {
        switch value {
        case .string(let text): return text
        case .list(let items): return "[" + items.map(show).joined(separator: ", ") + "]"
        default: return value.pythonString
        }
    }

    /// Wraps at 78 columns, as ansible-doc does for terminals.
    static func wrap(_ text: String, indent: String) -> String {
        var lines: [String] = []
        var line = indent
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if line.count + word.count + 1 > 78, line != indent {
                lines.append(line)
                line = indent
            }
            line += (line == indent ? "" : " ") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
