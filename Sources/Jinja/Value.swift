/// The one dynamic value type shared by templates, variables, module arguments and
/// results: null, bool, int, float, string, list and insertion-ordered dict — the data
/// model of Python/JSON/YAML as Ansible sees it.
///
/// Three extra cases carry Ansible's special values so that they survive being passed
/// around untouched: ``unsafe(_:)`` (a `!unsafe` string that is never templated),
/// ``vault(_:)`` (a `!vault` ciphertext, decrypted on demand) and ``undefined(_:)``
/// (Jinja's Undefined; only ever produced while evaluating a template).
/// ``object(_:)`` holds template-runtime objects such as macros, `namespace()` or `loop`.
public enum Value: Sendable {
    /// Python's `None` (JSON/YAML null).
    case null
    /// A boolean; in arithmetic and equality it acts as 1 or 0, as Python's `bool` does.
    case bool(Bool)
    /// An integer; equal to a float of the same value (`1 == 1.0`).
    case int(Int)
    /// A Python float (double precision).
    case float(Double)
    /// A Python `str`; equal to an unsafe string with the same text.
    case string(String)
    /// A Python list (YAML sequence, JSON array).
    case list([Value])
    /// A dict with string keys in insertion order (YAML mapping, JSON object).
    case dict(OrderedDict)
    /// A string tagged `!unsafe`: rendered as-is, never evaluated as a template.
    case unsafe(String)
    /// An ansible-vault ciphertext (`!vault |` value), kept encrypted until used.
    case vault(String)
    /// Jinja's Undefined: carries the message raised when it is used.
    case undefined(Undefined)
    /// A template-runtime object (macro, namespace, loop, cycler, bound method...).
    case object(JinjaObject)
}

/// Why a value is undefined, with Ansible's wording ("'x' is undefined",
/// "'dict object' has no attribute 'y'").
public struct Undefined: Sendable, Hashable {
    /// The error message raised when the value is used.
    public var message: String
    /// An undefined with a ready-made message.
    public init(_ message: String) { self.message = message }
    /// The undefined for a variable that is not defined: "'name' is undefined".
    public static func variable(_ name: String) -> Undefined { Undefined("'\(name)' is undefined") }
    /// The undefined an inline `x if cond` without `else` yields: like plain Jinja2's
    /// Undefined it prints as "" and is falsy instead of raising.
    public var isLenient: Bool { message.hasPrefix("the inline if-expression") }
}

/// A value that only exists while a template runs. Subclasses implement what they support.
open class JinjaObject: @unchecked Sendable {
    /// Subclasses call this; the base object has no state.
    public init() {}
    /// Python type name, used in messages ("'namespace object' has no attribute 'x'").
    open var typeName: String { "object" }
    /// `obj.name` / `obj['name']`; nil when absent.
    open func attribute(_ name: String) -> Value? { nil }
    /// `obj.name = value` (only namespaces allow it).
    open func setAttribute(_ name: String, _ value: Value) throws {
        throw JinjaError(.type, "'\(typeName)' object does not support attribute assignment")
    }
    /// `obj(args)`; nil when the object is not callable.
    open var isCallable: Bool { false }
    /// Calls the object; the base implementation throws a `TypeError` ("object is not callable").
    open func call(_ arguments: Arguments, _ context: CallContext) throws -> Value {
        throw JinjaError(.type, "'\(typeName)' object is not callable")
    }
    /// What `for x in obj` and `x in obj` see (dict-like objects: their keys); nil
    /// when the object is not iterable.
    open func iterate() throws -> [Value]? { nil }
    /// How `{{ obj }}` prints.
    open var renderedString: String { "<\(typeName) object>" }
    /// The plain value a template result holds instead of this object (mapping-like engine
    /// objects such as `hostvars[h]`); nil: the object cannot be stored or output.
    open var storableValue: Value? { nil }
}

extension Value {
    /// The empty string `""`.
    public static let emptyString = Value.string("")
    /// An empty dict `{}`.
    public static let emptyDict = Value.dict(OrderedDict())
    /// An empty list `[]`.
    public static let emptyList = Value.list([])

    /// True for ``null`` (Python's `None`) only; undefined is not null.
    public var isNull: Bool { if case .null = self { return true }; return false }
    /// True for ``undefined(_:)``, including lenient undefineds.
    public var isUndefined: Bool { if case .undefined = self { return true }; return false }

    /// The string inside `.string` or `.unsafe`.
    public var stringValue: String? {
        switch self {
        case .string(let s), .unsafe(let s): return s
        default: return nil
        }
    }
    /// The integer inside `.int`, or 1/0 for `.bool`; nil for everything else (floats and
    /// numeric strings are not converted).
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
    /// The number inside `.int` or `.float` as a Double, or 1/0 for `.bool`; nil otherwise.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
    /// The Bool inside `.bool`; nil otherwise (no truthiness; see ``isTruthy``).
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    /// The items of `.list`; nil otherwise.
    public var listValue: [Value]? { if case .list(let l) = self { return l }; return nil }
    /// The dictionary inside `.dict`; nil otherwise.
    public var dictValue: OrderedDict? { if case .dict(let d) = self { return d }; return nil }

    /// `value["key"]` on dicts; nil elsewhere.
    public subscript(key: String) -> Value? {
        get { if case .dict(let d) = self { return d[key] }; return nil }
        set {
            guard case .dict(var d) = self else { return }
            self = .null  // release the reference so `d` is uniquely owned (no CoW copy)
            d[key] = newValue
            self = .dict(d)
        }
    }

    /// Python truthiness.
    public var isTruthy: Bool {
        switch self {
        case .null, .undefined: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .string(let s), .unsafe(let s), .vault(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .dict(let d): return !d.isEmpty
        case .object: return true
        }
    }

    /// Python's type name as Jinja messages and `type_debug` use it.
    public var pythonTypeName: String {
        switch self {
        case .null: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .unsafe: return "str"  // ansible-core 2.19 tags strings; the type stays str
        case .vault: return "AnsibleVaultEncryptedUnicode"
        case .list: return "list"
        case .dict: return "dict"
        case .undefined: return "AnsibleUndefined"
        case .object(let o): return o.typeName
        }
    }
}

extension Value: Equatable {
    /// Python equality: 1 == 1.0 == True; unsafe strings equal plain ones.
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.undefined, .undefined): return true
        case let (.string(a), .string(b)), let (.unsafe(a), .unsafe(b)),
             let (.string(a), .unsafe(b)), let (.unsafe(a), .string(b)),
             let (.vault(a), .vault(b)):
            return a == b
        case let (.list(a), .list(b)): return a == b
        case let (.dict(a), .dict(b)): return a == b
        case let (.object(a), .object(b)): return a === b
        case let (.int(a), .int(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        default:
            if let a = lhs.numericForEquality, let b = rhs.numericForEquality { return a == b }
            return false
        }
    }

    private var numericForEquality: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
}

extension Value: Hashable {
    /// Hashes consistently with Python equality: ints, floats and bools by numeric value,
    /// string, unsafe and vault values by their text, objects by identity.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .undefined: hasher.combine(1)
        case .bool(let b): hasher.combine(Double(b ? 1 : 0))
        case .int(let i): hasher.combine(Double(i))
        case .float(let d): hasher.combine(d)
        case .string(let s), .unsafe(let s), .vault(let s): hasher.combine(s)
        case .list(let l): hasher.combine(l)
        case .dict(let d): hasher.combine(d)
        case .object(let o): hasher.combine(ObjectIdentifier(o))
        }
    }
}

extension Value: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral {
    /// `nil` as ``null``.
    public init(nilLiteral: ()) { self = .null }
    /// A Bool literal as ``bool(_:)``.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer literal as ``int(_:)``.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A floating-point literal as ``float(_:)``.
    public init(floatLiteral value: Double) { self = .float(value) }
    /// A string literal as ``string(_:)`` (never unsafe).
    public init(stringLiteral value: String) { self = .string(value) }
    /// An array literal as ``list(_:)``.
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    /// A dictionary literal as ``dict(_:)``, keys in literal order; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, Value)...) {
        var d = OrderedDict()
        for (k, v) in elements { d[k] = v }
        self = .dict(d)
    }
}
