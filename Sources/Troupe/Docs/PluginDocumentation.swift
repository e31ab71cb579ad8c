import Foundation
import Jinja

/// A plugin's documentation as ansible-doc reads it: the `DOCUMENTATION`, `EXAMPLES` and
/// `RETURN` blocks of its Python source (or a filter's or test's YAML sidecar file).
public struct PluginDocumentation: Sendable {
    /// `DOCUMENTATION`, parsed (short_description, description, options, author …).
    public var doc: OrderedDict
    /// `EXAMPLES`, as written.
    public var examples: String?
    /// `RETURN`, parsed.
    public var returns: OrderedDict?
    /// The file it came from.
    public var path: String

    public var shortDescription: String { doc["short_description"]?.stringValue ?? "" }

    /// Reads the blocks of a plugin source file; nil when it has no DOCUMENTATION.
    public static func read(_ path: String) -> PluginDocumentation? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let loader = YAMLLoader()
        if path.hasSuffix(".yml") || path.hasSuffix(".yaml") {
            guard let top = (try? loader.load(text, file: path))?.value.dictValue,
                  let doc = top["DOCUMENTATION"]?.dictValue else { return nil }
            return PluginDocumentation(doc: doc, examples: top["EXAMPLES"]?.stringValue, returns: top["RETURN"]?.dictValue, path: path)
        }
        guard let docText = pythonStringAssignment("DOCUMENTATION", in: text),
              let doc = (try? loader.load(docText, file: path))?.value.dictValue else { return nil }
        let returns = pythonStringAssignment("RETURN", in: text).flatMap { (try? loader.load($0, file: path))?.value.dictValue }
        return PluginDocumentation(doc: doc, examples: pythonStringAssignment("EXAMPLES", in: text), returns: returns, path: path)
    }

    /// The text of `NAME = r"""…"""` (or `'''`) at the start of a line of Python source.
    static func pythonStringAssignment(_ name: String, in source: String) -> String? {
        var searchStart = source.startIndex
        while let found = source.range(of: name, range: searchStart..<source.endIndex) {
            searchStart = found.upperBound
            let atLineStart = found.lowerBound == source.startIndex || source[source.index(before: found.lowerBound)] == "\n"
            guard atLineStart else { continue }
            var cursor = found.upperBound
            func skipSpaces() { while cursor < source.endIndex, source[cursor] == " " { cursor = source.index(after: cursor) } }
            skipSpaces()
            guard cursor < source.endIndex, source[cursor] == "=" else { continue }
            cursor = source.index(after: cursor)
            skipSpaces()
            if cursor < source.endIndex, "rRuU".contains(source[cursor]) { cursor = source.index(after: cursor) }
            let rest = source[cursor...]
            guard let quote = ["\"\"\"", "'''"].first(where: { rest.hasPrefix($0) }) else { continue }
            let bodyStart = source.index(cursor, offsetBy: 3)
            guard let end = source.range(of: quote, range: bodyStart..<source.endIndex) else { return nil }
            return String(source[bodyStart..<end.lowerBound])
        }
        return nil
    }

    /// The directory of the controller's installed ansible-core package, if any (looked up
    /// once per process): its plugin sources carry the documentation of the builtins Troupe
    /// implements natively, and its modules run the builtins Troupe does not.
    public static let ansibleCoreDirectory: String? = {
        if let override = ProcessInfo.processInfo.environment["TROUPE_ANSIBLE_CORE_DIR"] { return override.isEmpty ? nil : override }
        let output = try? GalaxyProcess.run("python3", ["-c", "import ansible, os; print(os.path.dirname(ansible.__file__))"])
        let path = output?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return path.isEmpty ? nil : path
    }()

    /// Where ansible-core keeps the documentation of a builtin plugin of `type`.
    public static func builtinSource(type: String, name: String, ansibleCore: String) -> String? {
        let candidates: [String]
        switch type {
        case "module": candidates = ["modules/\(name).py"]
        case "filter", "test": candidates = ["plugins/\(type)/\(name).yml", "plugins/\(type)/\(name).py"]
        default: candidates = ["plugins/\(type)/\(name).py"]
        }
        return candidates.map { (ansibleCore as NSString).appendingPathComponent($0) }.first(where: FileManager.default.fileExists(atPath:))
    }
}
