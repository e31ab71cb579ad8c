import Foundation

/// A typed API object. Every model keeps the whole JSON object it was built from in `fields`,
/// so fields this client does not know about (a newer server) survive a read-modify-write,
/// and the typed properties are views onto it.
public protocol ServerResource: Codable, Sendable {
    /// The collection path under `/api/v2/`, e.g. `job_templates`.
    static var resourcePath: String { get }
    var fields: [String: JSONValue] { get set }
    init(fields: [String: JSONValue])
    /// Called when the object is read through a connection; `Job` keeps it for its actions.
    mutating func bind(to api: ServerAPI)
}

extension ServerResource {
    public init(from decoder: Decoder) throws {
        self.init(fields: try decoder.singleValueContainer().decode([String: JSONValue].self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(fields)
    }

    public mutating func bind(to api: ServerAPI) {}

    public subscript(key: String) -> JSONValue? {
        get { fields[key] }
        set { fields[key] = newValue }
    }

    public var id: Int { fields["id"]?.intValue ?? 0 }
    public var type: String? { fields["type"]?.stringValue }
    /// The object's path, e.g. `/api/v2/jobs/7/`.
    public var url: String { fields["url"]?.stringValue ?? "\(Self.resourcePath)/\(id)" }
    public var name: String { fields["name"]?.stringValue ?? "" }
    public var description: String { fields["description"]?.stringValue ?? "" }
    public var related: [String: String] {
        (fields["related"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }
    public var summaryFields: [String: JSONValue] { fields["summary_fields"]?.objectValue ?? [:] }
    public var created: String? { fields["created"]?.stringValue }
    public var modified: String? { fields["modified"]?.stringValue }

    /// A field as a foreign-key id (`organization`, `inventory`, …).
    func reference(_ key: String) -> Int? { fields[key]?.intValue }
}

public struct Organization: ServerResource {
    public static let resourcePath = "organizations"
    public var fields: [String: JSONValue]
    public init(fields: [String: JSONValue]) { self.fields = fields }
}

public struct Inventory: ServerResource {
    public static let resourcePath = "inventories"
    public var fields: [String: JSONValue]
    public init(fields: [String: JSONValue]) { self.fields = fields }
    public var organization: Int? { reference("organization") }
    public var variables: String { fields["variables"]?.stringValue ?? "" }
    public var kind: String { fields["kind"]?.stringValue ?? "" }
    public var totalHosts: Int? { fields["total_hosts"]?.intValue }
}

public struct Host: ServerResource {
    public static let resourcePath = "hosts"
    public var fields: [String: JSONValue]
    public init(fields: [String: JSONValue]) { self.fields = fields }
    public var inventory: Int? { reference("inventory") }
    public var enabled: Bool { fields["enabled"]?.boolValue ?? true }
    public var variables: String { fields["variables"]?.stringValue ?? "" }
}

public struct Group: ServerResource {
    public static let resourcePath = "groups"
    public var fields: [String: JSONValue]
    public init(fields: [String: JSONValue]) { self.fields = fields }
    public var inventory: Int? { reference("inventory") }
    public var variables: String { fields["variables"]?.stringValue ?? "" }
}

public struct Credential: ServerResource {
    public static let resourcePath = "credentials"
    public var fields: [String: JSONValue]
    public init(fields: [String: JSONValue]) { self.fields = fields }
    public var organization: Int? { reference("organization") }
    public var credentialType: Int? { reference("credential_type") }
    /// Secret inputs read back as `$encrypted$`.
    public var inputs: [String: JSONValue] { fields["inputs"]?.objectValue ?? [:] }
}

public struct Project: ServerResource {
    public static let resourcePath = "projects"
    public var fields: [String: JSONValue]
    public init(fields: [String: JSONValue]) { self.fields = fields }
    public var organization: Int? { reference("organization") }
    public var scmType: String { fields["scm_type"]?.stringValue ?? "" }
    public var scmURL: String { fields["scm_url"]?.stringValue ?? "" }
    public var localPath: String { fields["local_path"]?.stringValue ?? "" }
    public var status: String? { fields["status"]?.stringValue }
}

public struct JobTemplate: ServerResource {
    public static let resourcePath = "job_templates"
    public var fields: [String: JSONValue]
    public init(fields: [String: JSONValue]) { self.fields = fields }
    public var inventory: Int? { reference("inventory") }
    public var project: Int? { reference("project") }
    public var playbook: String { fields["playbook"]?.stringValue ?? "" }
    public var jobType: String { fields["job_type"]?.stringValue ?? "run" }
    public var limit: String { fields["limit"]?.stringValue ?? "" }
    public var extraVars: String { fields["extra_vars"]?.stringValue ?? "" }
}

public struct JobEvent: ServerResource {
    public static let resourcePath = "job_events"
    public var fields: [String: JSONValue]
    public init(fields: [String: JSONValue]) { self.fields = fields }
    public var counter: Int { fields["counter"]?.intValue ?? 0 }
    public var event: String { fields["event"]?.stringValue ?? "" }
    public var eventDisplay: String { fields["event_display"]?.stringValue ?? "" }
    public var eventData: [String: JSONValue] { fields["event_data"]?.objectValue ?? [:] }
    public var stdout: String { fields["stdout"]?.stringValue ?? "" }
    public var startLine: Int { fields["start_line"]?.intValue ?? 0 }
    public var endLine: Int { fields["end_line"]?.intValue ?? 0 }
    public var failed: Bool { fields["failed"]?.boolValue ?? false }
    public var changed: Bool { fields["changed"]?.boolValue ?? false }
    public var uuid: String { fields["uuid"]?.stringValue ?? "" }
    public var parentUUID: String { fields["parent_uuid"]?.stringValue ?? "" }
    public var hostName: String { fields["host_name"]?.stringValue ?? "" }
    public var task: String { fields["task"]?.stringValue ?? "" }
    public var play: String { fields["play"]?.stringValue ?? "" }
}
