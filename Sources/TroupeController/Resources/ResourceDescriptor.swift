import SQLKit

/// A stored object as read from its table: the id plus field values by field name
/// (foreign keys as their id), and the envelope's `created`, `modified`, `created_by`,
/// `modified_by`.
public struct Record: Sendable {
    public let id: Int
    public var values: [String: JSON]
    public subscript(name: String) -> JSON { values[name] ?? .null }
    public func int(_ name: String) -> Int? { values[name]?.intValue }
    public func string(_ name: String) -> String? { values[name]?.stringValue }
}

/// Everything the generic machinery needs to serve one resource: list, detail, create,
/// update, delete, OPTIONS, filters, ordering, search, named URLs and the browsable page.
public struct ResourceDescriptor: Sendable {
    /// URL segment and `/api/v2/` key (`hosts`).
    public let name: String
    /// The object `type` (`host`).
    public let type: String
    public let table: String
    public let verboseName: String
    public let fields: [Field]
    public let searchFields: [String]
    public let ordering: [String]
    public let relations: [String: Relation]
    public let namedURL: NamedURLFormat?
    /// RBAC content type (`inventory`) when the resource has object roles.
    public let roleContentType: String?
    /// Whether the envelope carries `name`/`description` (users and tokens do not).
    public let hasNameAndDescription: Bool
    /// Sub-resource names advertised in `related` (`hosts` → `/api/v2/inventories/1/hosts/`).
    public let relatedPaths: [String]
    /// Columns shown in another resource's `summary_fields` entry for this one.
    public let summaryColumns: [String]
    public let allowsCreate: Bool
    public let allowsUpdate: Bool
    public let allowsDelete: Bool
    /// Unique field sets checked before writes, for AWX's "… already exists" message.
    public let uniqueTogether: [[String]]
    public let description: String
    /// Whether the table has `created`/`modified` (activity stream and roles do not).
    public let hasTimestamps: Bool

    public init(name: String, type: String, table: String, verboseName: String, fields: [Field],
                searchFields: [String] = ["name", "description"], ordering: [String] = ["id"],
                relations: [String: Relation] = [:], namedURL: NamedURLFormat? = nil, roleContentType: String? = nil,
                hasNameAndDescription: Bool = true, relatedPaths: [String] = [],
                summaryColumns: [String] = ["id", "name", "description"], allowsCreate: Bool = true,
                allowsUpdate: Bool = true, allowsDelete: Bool = true, uniqueTogether: [[String]] = [], description: String = "", hasTimestamps: Bool = true) {
        self.name = name
        self.type = type
        self.table = table
        self.verboseName = verboseName
        var all: [Field] = []
        if hasNameAndDescription {
            all.append(Field("name", .string, label: "Name", required: true, maxLength: 512))
            all.append(Field("description", .string, label: "Description", defaultValue: ""))
        }
        self.fields = all + fields
        self.searchFields = searchFields
        self.ordering = ordering
        self.relations = relations
        self.namedURL = namedURL
        self.roleContentType = roleContentType
        self.hasNameAndDescription = hasNameAndDescription
        self.relatedPaths = relatedPaths
        self.summaryColumns = summaryColumns
        self.allowsCreate = allowsCreate
        self.allowsUpdate = allowsUpdate
        self.allowsDelete = allowsDelete
        self.uniqueTogether = uniqueTogether
        self.description = description
        self.hasTimestamps = hasTimestamps
    }

    public func field(_ name: String) -> Field? { fields.first { $0.name == name } }

    public func url(_ id: Int) -> String { "/api/v2/\(name)/\(id)/" }
    public var listURL: String { "/api/v2/\(name)/" }

    /// "Host", for messages such as "Host with this Name already exists."
    var displayName: String { verboseName.prefix(1).uppercased() + verboseName.dropFirst() }

    /// Envelope fields every resource has (read-only, always filterable).
    static let envelopeFields: [Field] = [
        Field("id", .integer, label: "ID", readOnly: true),
        Field("created", .datetime, label: "Created", readOnly: true),
        Field("modified", .datetime, label: "Modified", readOnly: true),
        Field("created_by", .foreignKey("users"), label: "Created by", readOnly: true, nullable: true),
        Field("modified_by", .foreignKey("users"), label: "Modified by", readOnly: true, nullable: true),
    ]

    /// A field or envelope field by name (`pk` is `id`).
    func anyField(_ name: String) -> Field? {
        let key = name == "pk" ? "id" : name
        if let field = field(key) { return field }
        if key == "created_by" || key == "modified_by", !hasCreatorColumns { return nil }
        if key == "created" || key == "modified", !hasTimestamps { return nil }
        return ResourceDescriptor.envelopeFields.first { $0.name == key }
    }

    /// Tables without audit columns (tokens, instance groups) leave them out.
    var hasCreatorColumns: Bool { hasTimestamps && !["tokens", "instance_groups", "instances"].contains(name) }
}
