import CYaml
import Foundation
import Jinja
import Yams

/// Parses YAML text into positioned ``YAMLNode`` trees with Ansible's rules: YAML 1.1
/// scalar types, merge keys, anchors and aliases, `!unsafe` and `!vault` tags, and
/// duplicate keys resolved to the last one with a warning.
///
/// It composes nodes from libyaml's event stream itself (Yams' composer rejects
/// duplicate keys outright, which Ansible only warns about).
public struct YAMLLoader: Sendable {
    /// Receives warnings such as duplicate keys; the loader itself never prints.
    public var warn: @Sendable (String) -> Void

    /// A loader sending warnings to `warn` (dropped by default).
    public init(warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.warn = warn
    }

    /// The only document of `text` (nil for an empty stream); see ``loadSingle(_:file:)``.
    public func load(_ text: String, file: String) throws -> YAMLNode? {
        try loadSingle(text, file: file)
    }

    /// Every document of `text`.
    public func loadAll(_ text: String, file: String) throws -> [YAMLNode] {
        var composer = EventComposer(file: file, warn: warn)
        return try composer.compose(text)
    }

    /// The only document of `text` (nil for an empty stream); a second document is an
    /// error, as PyYAML's single-document load makes it for every file Ansible reads.
    public func loadSingle(_ text: String, file: String) throws -> YAMLNode? {
        var composer = EventComposer(file: file, warn: warn)
        composer.singleDocument = true
        return try composer.compose(text).first
    }
}

/// Builds nodes from libyaml parser events.
private struct EventComposer {
    let file: String
    let warn: @Sendable (String) -> Void
    var anchors: [String: YAMLNode] = [:]
    /// The text being parsed, for the offending line of an error message.
    var source = ""
    /// Whether a second document is an error.
    var singleDocument = false
    /// How many nodes each anchored subtree stands for once its own aliases are expanded.
    var anchorSizes: [String: Int] = [:]
    /// Nodes of the current document counted with alias repeats: what a consumer that
    /// walks the document (``YAMLNode/value``, templating) will visit.
    var expandedNodes = 0
    /// Open collections around the current event.
    var depth = 0

    init(file: String, warn: @escaping @Sendable (String) -> Void) {
        self.file = file
        self.warn = warn
    }

    mutating func compose(_ text: String) throws -> [YAMLNode] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw TroupeError(.internal, "could not initialise the YAML parser")
        }
        defer { yaml_parser_delete(&parser) }
        source = text
        var bytes = Array(text.utf8)
        if bytes.isEmpty { return [] }
        return try bytes.withUnsafeMutableBufferPointer { buffer -> [YAMLNode] in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var documents: [YAMLNode] = []
            var event = yaml_event_t()
            while true {
                try next(&parser, &event)
                let type = event.type
                if type == YAML_STREAM_END_EVENT { yaml_event_delete(&event); break }
                if type == YAML_DOCUMENT_START_EVENT {
                    if singleDocument && !documents.isEmpty {
                        let mark = event.start_mark
                        yaml_event_delete(&event)
                        throw yamlError(context: "expected a single document in the stream", problem: "but found another document", mark: mark)
                    }
                    yaml_event_delete(&event)
                    try next(&parser, &event)
                    let root = try node(from: &event, parser: &parser)
                    documents.append(root)
                    try next(&parser, &event)  // DOCUMENT_END
                    yaml_event_delete(&event)
                    anchors = [:]
                    anchorSizes = [:]
                    expandedNodes = 0
                } else {
                    yaml_event_delete(&event)
                }
            }
            return documents
        }
    }

    private func next(_ parser: inout yaml_parser_t, _ event: inout yaml_event_t) throws {
        guard yaml_parser_parse(&parser, &event) == 1 else { throw parseError(parser) }
    }

    private func parseError(_ parser: yaml_parser_t) -> TroupeError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        let context = parser.context.map { String(cString: $0) }
        return yamlError(context: context, problem: problem, mark: parser.problem_mark)
    }

    /// An error worded as ansible-core words YAML errors, at `mark` (0-based).
    private func yamlError(context: String?, problem: String, mark: yaml_mark_t) -> TroupeError {
        yamlError(context: context, problem: problem, line: mark.line + 1, column: mark.column + 1)
    }

    private func yamlError(context: String?, problem: String, line: Int, column: Int) -> TroupeError {
        let lines = source.split(separator: "\n", maxSplits: line, omittingEmptySubsequences: false)
        let sourceLine = line >= 1 && line <= lines.count ? String(lines[line - 1]) : ""
        let described = YAMLErrorMessage.describe(context: context, problem: problem, sourceLine: sourceLine, column: column)
        return TroupeError(.parse, described.message, location: SourceLocation(file: file, line: line, column: described.column))
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: mark.line + 1, column: mark.column + 1)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }

    /// Consumes the event (and, for collections, everything up to their end).
    private mutating func node(from event: inout yaml_event_t, parser: inout yaml_parser_t) throws -> YAMLNode {
        defer { yaml_event_delete(&event) }
        let where_ = location(event.start_mark)
        switch event.type {
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                throw yamlError(context: nil, problem: "found undefined alias", line: where_.line, column: where_.column)
            }
            // The node itself is shared, but everything that walks the document visits it
            // once per alias: a "billion laughs" file must fail here, not there.
            expandedNodes = InputLimits.sum(expandedNodes, anchorSizes[name] ?? 1)
            if expandedNodes > InputLimits.yamlAliasNodes.value {
                throw TroupeError(.parse, "YAML aliases expand the document past \(InputLimits.yamlAliasNodes.value) nodes at alias '\(name)' (\(InputLimits.yamlAliasNodes.hint))", location: where_)
            }
            return target
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            let tag = Self.string(s.tag)
            let plain = s.style == YAML_PLAIN_SCALAR_STYLE
            let result = YAMLNode(.scalar(Self.scalarValue(text, tag: tag, plain: plain)), location: where_)
            expandedNodes = InputLimits.sum(expandedNodes, 1)
            if let anchor = Self.string(s.anchor) { anchors[anchor] = result; anchorSizes[anchor] = 1 }
            return result
        case YAML_SEQUENCE_START_EVENT:
            let anchor = Self.string(event.data.sequence_start.anchor)
            let unsafe = Self.string(event.data.sequence_start.tag) == "!unsafe"
            let before = try enterCollection(where_)
            defer { depth -= 1 }
            var items: [YAMLNode] = []
            var child = yaml_event_t()
            while true {
                try next(&parser, &child)
                if child.type == YAML_SEQUENCE_END_EVENT { yaml_event_delete(&child); break }
                items.append(try node(from: &child, parser: &parser))
            }
            var result = YAMLNode(.sequence(items), location: where_)
            if unsafe { result = result.markedUnsafe() }
            if let anchor { anchors[anchor] = result; anchorSizes[anchor] = expandedNodes - before }
            return result
        case YAML_MAPPING_START_EVENT:
            let anchor = Self.string(event.data.mapping_start.anchor)
            let unsafe = Self.string(event.data.mapping_start.tag) == "!unsafe"
            let before = try enterCollection(where_)
            defer { depth -= 1 }
            var entries: [YAMLEntry] = []
            var index: [String: Int] = [:]
            var merged: [YAMLEntry] = []
            var child = yaml_event_t()
            while true {
                try next(&parser, &child)
                if child.type == YAML_MAPPING_END_EVENT { yaml_event_delete(&child); break }
                let isMergeKey = child.type == YAML_SCALAR_EVENT
                    && child.data.scalar.style == YAML_PLAIN_SCALAR_STYLE
                    && child.data.scalar.length == 2
                    && String(decoding: UnsafeBufferPointer(start: child.data.scalar.value, count: 2), as: UTF8.self) == "<<"
                let keyNode = try node(from: &child, parser: &parser)
                try next(&parser, &child)
                let valueNode = try node(from: &child, parser: &parser)
                if isMergeKey {
                    switch valueNode.kind {
                    case .mapping(let e): merged.append(contentsOf: e)
                    case .sequence(let items): merged.append(contentsOf: items.flatMap { $0.entries ?? [] })
                    case .scalar: break
                    }
                    continue
                }
                // PyYAML refuses a mapping or sequence as a key (unhashable); stringifying
                // one instead would double its text per nesting level.
                guard let keyValue = keyNode.scalar else {
                    throw yamlError(context: "while constructing a mapping", problem: "found unhashable key",
                                    line: keyNode.location.line, column: keyNode.location.column)
                }
                let key = keyValue.pythonString
                var entry = YAMLEntry(key: key, keyLocation: keyNode.location, value: valueNode)
                if keyValue.stringValue == nil { entry.typedKey = keyValue }
                if let existing = index[key] {
                    // ansible-core 2.19's DUPLICATE_YAML_DICT_KEY: warn (default), error or ignore.
                    switch ProcessInfo.processInfo.environment["ANSIBLE_DUPLICATE_YAML_DICT_KEY"]?.lowercased() {
                    case "error":
                        throw TroupeError(.parse, "YAML parsing failed: Found duplicate mapping key '\(key)'.", location: keyNode.location)
                    case "ignore":
                        break
                    default:
                        warn("Found duplicate mapping key '\(key)'.\n" + SourceExcerpt.render(keyNode.location, source: source))
                    }
                    entries[existing] = entry
                } else {
                    index[key] = entries.count
                    entries.append(entry)
                }
            }
            for entry in merged where index[entry.key] == nil {
                index[entry.key] = entries.count
                entries.append(entry)
            }
            var result = YAMLNode(.mapping(entries), location: where_)
            if unsafe { result = result.markedUnsafe() }
            if let anchor { anchors[anchor] = result; anchorSizes[anchor] = expandedNodes - before }
            return result
        default:
            throw yamlError(context: nil, problem: "unexpected event", line: where_.line, column: where_.column)
        }
    }

    /// Counts a new collection and checks the depth limit; returns the node count before it.
    private mutating func enterCollection(_ where_: SourceLocation) throws -> Int {
        depth += 1
        if depth > InputLimits.yamlDepth.value {
            throw TroupeError(.parse, "YAML document nested deeper than \(InputLimits.yamlDepth.value) levels (\(InputLimits.yamlDepth.hint))", location: where_)
        }
        expandedNodes = InputLimits.sum(expandedNodes, 1)
        return expandedNodes - 1
    }

    static func scalarValue(_ text: String, tag: String?, plain: Bool) -> Value {
        switch tag {
        case nil, "!":
            return plain && tag == nil ? YAMLScalarResolver.resolve(plain: text) : .string(text)
        case "!unsafe": return .unsafe(text)
        case "!vault", "!vault-encrypted": return .vault(text)
        case "tag:yaml.org,2002:str": return .string(text)
        case "tag:yaml.org,2002:int":
            return YAMLScalarResolver.integer(text).map(Value.int) ?? .string(text)
        case "tag:yaml.org,2002:float":
            return (YAMLScalarResolver.float(text) ?? Double(text)).map(Value.float) ?? .string(text)
        case "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null":
            return YAMLScalarResolver.resolve(plain: text)
        default:
            return plain ? YAMLScalarResolver.resolve(plain: text) : .string(text)
        }
    }
}
