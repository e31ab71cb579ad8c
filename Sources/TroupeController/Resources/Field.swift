/// How a field is stored and served.
public enum FieldKind: Sendable {
    case integer
    case float
    case string
    case boolean
    case datetime
    /// String-valued choices `[(value, label)]`.
    case choice([(String, String)])
    /// Integer-valued choices (verbosity).
    case intChoice([(Int, String)])
    /// A foreign key to another resource (by descriptor name, e.g. "inventories").
    case foreignKey(String)
    /// YAML/JSON text served as a string (`variables`, `extra_vars`).
    case variables
    /// A JSON document stored as text, served as JSON (`inputs`, `survey_spec`).
    case json
    /// A password: written, never shown (`$encrypted$`), never filtered.
    case password

    var isTextual: Bool {
        switch self {
        case .string, .choice, .variables, .json, .datetime, .password: return true
        default: return false
        }
    }

    /// OPTIONS `type`.
    var optionsType: String {
        switch self {
        case .integer: return "integer"
        case .float: return "float"
        case .string, .password: return "string"
        case .boolean: return "boolean"
        case .datetime: return "datetime"
        case .choice, .intChoice: return "choice"
        case .foreignKey: return "id"
        case .variables: return "string"
        case .json: return "json"
        }
    }
}

/// One API field of a resource. Most map to a column of the same name; foreign keys to
/// `<name>_id`; computed fields carry an SQL expression (`{t}` is the row's table alias),
/// so they can be filtered and ordered like columns.
public struct Field: Sendable {
    public var name: String
    public var kind: FieldKind
    public var column: String?
    public var expression: String?
    public var label: String
    public var helpText: String
    public var readOnly = false
    public var required = false
    /// Read-only after creation (`inventory` on hosts and groups).
    public var writeOnce = false
    public var nullable = false
    public var defaultValue: JSON?
    public var maxLength: Int?
    public var minValue: Int?
    public var maxValue: Int?
    /// Filtering or ordering on it is 403 (passwords, secrets, prevent_search fields).
    public var forbidsFiltering = false
    /// Accepted on write, never shown (e.g. `password`).
    public var writeOnly = false

    public init(_ name: String, _ kind: FieldKind, label: String? = nil, help: String = "", column: String? = nil,
                expression: String? = nil, readOnly: Bool = false, required: Bool = false, writeOnce: Bool = false,
                nullable: Bool = false, defaultValue: JSON? = nil, maxLength: Int? = nil, minValue: Int? = nil,
                maxValue: Int? = nil, forbidsFiltering: Bool = false, writeOnly: Bool = false) {
        self.name = name
        self.kind = kind
        if expression != nil {
            self.column = nil
        } else if let column {
            // An empty column name marks a write-only input that is not stored as such.
            self.column = column.isEmpty ? nil : column
        } else if case .foreignKey = kind {
            self.column = name + "_id"
        } else {
            self.column = name
        }
        self.expression = expression
        self.label = label ?? Field.defaultLabel(name)
        self.helpText = help
        self.readOnly = readOnly || expression != nil
        self.required = required
        self.writeOnce = writeOnce
        self.nullable = nullable
        self.defaultValue = defaultValue
        self.maxLength = maxLength
        self.minValue = minValue
        self.maxValue = maxValue
        self.forbidsFiltering = forbidsFiltering
        self.writeOnly = writeOnly
    }

    static func defaultLabel(_ name: String) -> String {
        let words = name.split(separator: "_").map(String.init)
        guard let first = words.first else { return name }
        let special: [String: String] = ["id": "ID", "scm": "SCM", "url": "URL", "ssh": "SSH"]
        let head = special[first] ?? first.prefix(1).uppercased() + first.dropFirst()
        return ([head] + words.dropFirst().map { special[$0] ?? $0 }).joined(separator: " ")
    }

    var foreignTarget: String? {
        if case .foreignKey(let target) = kind { return target }
        return nil
    }

    /// The SQL that reads this field for the row aliased `alias`.
    func sql(alias: String) -> String? {
        if let expression { return "(" + expression.replacingOccurrences(of: "{t}", with: alias) + ")" }
        if let column { return "\(alias).\"\(column)\"" }
        return nil
    }
}

/// A relation usable in filter paths besides foreign-key fields.
public enum Relation: Sendable {
    /// Rows of `target` whose `column` holds our id (organization → inventories).
    case reverse(target: String, column: String)
    /// Through a join table (group → hosts via group_hosts).
    case manyToMany(target: String, table: String, ownColumn: String, targetColumn: String)
}

/// AWX's named-URL node: the identifying fields, then the foreign keys (sorted) whose
/// targets complete the identity, e.g. hosts `<name>++<inventory.name>++<organization.name>`.
public struct NamedURLFormat: Sendable {
    public let fields: [String]
    public let parents: [(field: String, target: String)]
    public init(_ fields: [String], parents: [(field: String, target: String)] = []) {
        self.fields = fields
        self.parents = parents.sorted { $0.field < $1.field }
    }
}
