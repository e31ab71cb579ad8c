import Jinja

/// A YAML document node that remembers where it was written, so playbook and inventory
/// errors can name file:line:column. Scalars are already typed with Ansible's
/// (PyYAML's YAML 1.1) rules; ``value`` converts a whole subtree to a ``Value``.
public struct YAMLNode: Sendable {
    /// The node's YAML shape: a typed scalar, a mapping (entries in file order) or a sequence.
    public enum Kind: Sendable {
        /// A scalar, already typed (str, int, float, bool, null) by YAML 1.1 rules.
        case scalar(Value)
        /// A mapping; entries keep file order and their key locations.
        case mapping([YAMLEntry])
        /// A sequence of nodes.
        case sequence([YAMLNode])
    }

    /// What the node holds.
    public let kind: Kind
    /// Where the node starts in its file, for error messages.
    public let location: SourceLocation

    /// Creates a node at `location`.
    public init(_ kind: Kind, location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The plain value of this subtree.
    public var value: Value {
        switch kind {
        case .scalar(let v): return v
        case .sequence(let items): return .list(items.map(\.value))
        case .mapping(let entries):
            var dict = OrderedDict()
            for entry in entries { dict[entry.key] = entry.value.value }
            return .dict(dict)
        }
    }

    /// The mapping's entries in file order, or nil when the node is not a mapping.
    public var entries: [YAMLEntry]? { if case .mapping(let e) = kind { return e }; return nil }
    /// The sequence's items, or nil when the node is not a sequence.
    public var items: [YAMLNode]? { if case .sequence(let i) = kind { return i }; return nil }
    /// The scalar's typed value, or nil when the node is not a scalar.
    public var scalar: Value? { if case .scalar(let v) = kind { return v }; return nil }

    /// The entry for `key` in a mapping.
    public func entry(_ key: String) -> YAMLEntry? { entries?.first { $0.key == key } }
    /// The value node for `key` in a mapping (first occurrence); nil when absent or not a mapping.
    public subscript(key: String) -> YAMLNode? { entry(key)?.value }

    /// A short description of the node's YAML type, for error messages.
    public var typeDescription: String {
        switch kind {
        case .mapping: return "a dictionary"
        case .sequence: return "a list"
        case .scalar(let v): return v.isNull ? "null" : "a \(v.pythonTypeName)"
        }
    }
}

/// One `key: value` pair of a mapping, with the key's position.
public struct YAMLEntry: Sendable {
    /// The key, as text.
    public let key: String
    /// Where the key was written, for "unsupported parameter"-style errors.
    public let keyLocation: SourceLocation
    /// The value node.
    public let value: YAMLNode
    /// The key as YAML typed it, when it is not a string (`1234:` is an int); nil for strings.
    public var typedKey: Value? = nil
}

extension YAMLNode {
    /// `!unsafe` on a sequence or mapping: every string inside is data, never a template
    /// (ansible-core wraps each one as unsafe).
    func markedUnsafe() -> YAMLNode {
        switch kind {
        case .scalar(let value):
            guard case .string(let text) = value else { return self }
            return YAMLNode(.scalar(.unsafe(text)), location: location)
        case .sequence(let items):
            return YAMLNode(.sequence(items.map { $0.markedUnsafe() }), location: location)
        case .mapping(let entries):
            return YAMLNode(.mapping(entries.map { entry in
                var marked = YAMLEntry(key: entry.key, keyLocation: entry.keyLocation, value: entry.value.markedUnsafe())
                marked.typedKey = entry.typedKey
                return marked
            }), location: location)
        }
    }
}
