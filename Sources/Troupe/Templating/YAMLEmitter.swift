import Foundation
import Jinja

/// Serialises values to YAML text exactly as PyYAML's `yaml.dump` does with Ansible's
/// dumper (`allow_unicode=True`): same scalar styles and quoting, flow/block choice,
/// indentation, 80-column folding and document-end markers. `to_yaml` and
/// `to_nice_yaml` are built on it.
public struct YAMLEmitter {
    /// Options mirroring `yaml.dump` keyword arguments.
    public struct Options: Sendable {
        /// `default_flow_style`: nil picks flow for collections of plain scalars only.
        public var defaultFlowStyle: Bool?
        /// Spaces per nesting level (2…9).
        public var indent: Int
        /// Preferred line width before folding.
        public var width: Int
        /// Sort mapping keys (PyYAML's default).
        public var sortKeys: Bool
        /// Write non-ASCII characters as-is.
        public var allowUnicode: Bool
        /// Begin the document with `---`.
        public var explicitStart: Bool
        /// End the document with `...`.
        public var explicitEnd: Bool
        /// `default_style`: the style every scalar asks for (`"`, `'` or `|`); nil: plain.
        public var defaultStyle: Character?

        /// Options with `yaml.dump`'s defaults (Ansible's `allow_unicode=True`).
        public init(defaultFlowStyle: Bool? = nil, indent: Int = 2, width: Int = 80, sortKeys: Bool = true,
                    allowUnicode: Bool = true, explicitStart: Bool = false, explicitEnd: Bool = false) {
            self.defaultFlowStyle = defaultFlowStyle
            self.indent = indent
            self.width = width
            self.sortKeys = sortKeys
            self.allowUnicode = allowUnicode
            self.explicitStart = explicitStart
            self.explicitEnd = explicitEnd
        }
    }

    /// How to write.
    public var options: Options

    /// An emitter with `options`.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// The YAML document for `value`.
    public func dump(_ value: Value) throws -> String {
        let node = try YAMLRepresenter(options: options).represent(value)
        var writer = YAMLWriter(options: options)
        writer.emitDocument(node)
        return writer.output
    }
}

/// A representation-graph node (PyYAML's ScalarNode/SequenceNode/MappingNode).
indirect enum YAMLOutputNode {
    /// `implicit`: (plain form resolves to the tag, quoted form resolves to the tag).
    case scalar(text: String, tag: String, implicit: (Bool, Bool), style: Character?)
    case sequence([YAMLOutputNode], flow: Bool)
    case mapping([(YAMLOutputNode, YAMLOutputNode)], flow: Bool)

    /// A plain-styled scalar: what makes a collection "simple" enough for flow style.
    var isSimpleScalar: Bool {
        if case .scalar(_, _, _, let style) = self { return style == nil }
        return false
    }
}

/// PyYAML's SafeRepresenter plus Ansible's extras (unsafe text, `!vault`).
struct YAMLRepresenter {
    let options: YAMLEmitter.Options
    static let strTag = "tag:yaml.org,2002:str"

    func scalar(_ text: String, tag: String) -> YAMLOutputNode {
        let plainTag = YAMLImplicitResolver.tag(forPlain: text)
        return .scalar(text: text, tag: tag, implicit: (plainTag == tag, tag == YAMLRepresenter.strTag), style: options.defaultStyle)
    }

    func represent(_ value: Value) throws -> YAMLOutputNode {
        switch value {
        case .null: return scalar("null", tag: "tag:yaml.org,2002:null")
        case .bool(let b): return scalar(b ? "true" : "false", tag: "tag:yaml.org,2002:bool")
        case .int(let i): return scalar(String(i), tag: "tag:yaml.org,2002:int")
        case .float(let d): return scalar(YAMLRepresenter.floatText(d), tag: "tag:yaml.org,2002:float")
        case .string(let s), .unsafe(let s): return scalar(s, tag: YAMLRepresenter.strTag)
        case .vault(let ciphertext):
            return .scalar(text: ciphertext, tag: "!vault", implicit: (false, false), style: "|")
        case .list(let items):
            let nodes = try items.map(represent)
            let flow = options.defaultFlowStyle ?? nodes.allSatisfy(\.isSimpleScalar)
            return .sequence(nodes, flow: flow)
        case .dict(let dict):
            var keys = dict.keys
            if options.sortKeys { keys.sort { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) } }
            var pairs: [(YAMLOutputNode, YAMLOutputNode)] = []
            for key in keys { pairs.append((scalar(key, tag: YAMLRepresenter.strTag), try represent(dict[key] ?? .null))) }
            let flow = options.defaultFlowStyle ?? pairs.allSatisfy { $0.0.isSimpleScalar && $0.1.isSimpleScalar }
            return .mapping(pairs, flow: flow)
        case .undefined(let u):
            throw JinjaError(.undefined, u.message)
        case .object(let o as PythonDateTime):
            // PyYAML writes datetimes as `isoformat(' ')` timestamps.
            return scalar(o.renderedString, tag: "tag:yaml.org,2002:timestamp")
        case .object(let o):
            throw JinjaError(.filter, "cannot represent an object: \(o.renderedString)")
        }
    }

    /// PyYAML's float representation: repr, lowercased, `.0` forced before an exponent.
    static func floatText(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d > 0 ? ".inf" : "-.inf" }
        var text = Value.pythonFloatRepr(d).lowercased()
        if !text.contains("."), let e = text.firstIndex(of: "e") { text.replaceSubrange(e...e, with: ".0e") }
        return text
    }
}

/// PyYAML's implicit resolver (YAML 1.1 types of plain scalars), used to decide whether a
/// string must be quoted to stay a string.
enum YAMLImplicitResolver {
    private static let patterns: [(String, NSRegularExpression)] = {
        let table: [(String, String)] = [
            ("tag:yaml.org,2002:bool", "^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"),
            ("tag:yaml.org,2002:float", "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"),
            ("tag:yaml.org,2002:int", "^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"),
            ("tag:yaml.org,2002:merge", "^(?:<<)$"),
            ("tag:yaml.org,2002:null", "^(?:~|null|Null|NULL|)$"),
            ("tag:yaml.org,2002:timestamp", "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$"),
            ("tag:yaml.org,2002:value", "^(?:=)$"),
        ]
        return table.compactMap { tag, pattern in (try? NSRegularExpression(pattern: pattern)).map { (tag, $0) } }
    }()

    /// The tag a plain scalar `text` would load as.
    static func tag(forPlain text: String) -> String {
        let range = NSRange(location: 0, length: (text as NSString).length)
        for (tag, regex) in patterns where regex.firstMatch(in: text, range: range) != nil { return tag }
        return YAMLRepresenter.strTag
    }

    /// True when `text`, written plain, would not read back as the same string. Also checks
    /// PyYAML's `tag:yaml.org,2002:yaml` resolver (`!`, `&`, `*`), which the result callback's
    /// dumper consults (to_yaml never writes those plain anyway: they are indicators).
    static func resolvesToNonString(_ text: String) -> Bool {
        text == "!" || text == "&" || text == "*" || tag(forPlain: text) != YAMLRepresenter.strTag
    }
}
