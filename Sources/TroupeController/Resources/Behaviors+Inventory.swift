import Foundation
import SQLKit

struct InventoryBehavior: ResourceBehavior {
    func validate(_ values: inout [String: JSON], input: JSONObject, existing: Record?, context: APIContext) async throws {
        let kind = values["kind"]?.stringValue ?? existing?.string("kind") ?? ""
        let filter = values["host_filter"]?.stringValue ?? existing?.string("host_filter") ?? ""
        if kind == "smart" && filter.isEmpty { throw APIError.validation("host_filter", "Smart inventories must specify host_filter") }
        if kind == "constructed" { throw APIError.validation("kind", "Constructed inventories are created at /api/v2/constructed_inventories/.") }
    }
}

/// Hosts: `name:port` moves the port into `ansible_ssh_port`; a host may not share its
/// name with a group of the same inventory.
struct HostBehavior: ResourceBehavior {
    func validate(_ values: inout [String: JSON], input: JSONObject, existing: Record?, context: APIContext) async throws {
        if let name = values["name"]?.stringValue, let colon = name.lastIndex(of: ":"), !name.hasSuffix("]"),
           name.filter({ $0 == ":" }).count == 1, let port = Int(name[name.index(after: colon)...]), port > 0 {
            values["name"] = .string(String(name[..<colon]))
            let current = values["variables"]?.stringValue ?? existing?.string("variables") ?? ""
            values["variables"] = .string(VariablesText.setting("ansible_ssh_port", to: .int(port), in: current))
        }
        let inventory = values["inventory"]?.intValue ?? existing?.int("inventory")
        if let name = values["name"]?.stringValue, let inventory {
            let clash = try await context.database.all(SQLQueryString(
                "SELECT id FROM \"groups\" WHERE inventory_id = \(bind: inventory) AND name = \(bind: name)"))
            if !clash.isEmpty { throw APIError.validation("name", "A Group with that name already exists.") }
        }
    }

    func present(_ object: inout JSONObject, record: Record, context: APIContext, detail: Bool) async throws {
        let rows = try await context.database.all(SQLQueryString("""
            SELECT g.id, g.name FROM "groups" g JOIN group_hosts gh ON gh.group_id = g.id WHERE gh.host_id = \(bind: record.id) ORDER BY g.name
            """))
        var summary = object["summary_fields"]?.objectValue ?? JSONObject()
        summary["groups"] = ["count": .int(rows.count),
                             "results": .array(try rows.prefix(5).map { ["id": .int(try $0.decode(column: "id", as: Int.self)),
                                                                         "name": .string(try $0.decode(column: "name", as: String.self))] })]
        summary["recent_jobs"] = []
        object["summary_fields"] = .object(summary)
    }
}

struct GroupBehavior: ResourceBehavior {
    func validate(_ values: inout [String: JSON], input: JSONObject, existing: Record?, context: APIContext) async throws {
        guard let name = values["name"]?.stringValue else { return }
        if name == "all" || name == "_meta" { throw APIError.validation("name", "Invalid group name.") }
        if let inventory = values["inventory"]?.intValue ?? existing?.int("inventory") {
            let clash = try await context.database.all(SQLQueryString(
                "SELECT id FROM hosts WHERE inventory_id = \(bind: inventory) AND name = \(bind: name)"))
            if !clash.isEmpty { throw APIError.validation("name", "A Host with that name already exists.") }
        }
    }
}

struct InventorySourceBehavior: ResourceBehavior {
    func validate(_ values: inout [String: JSON], input: JSONObject, existing: Record?, context: APIContext) async throws {
        let source = values["source"]?.stringValue ?? existing?.string("source") ?? "scm"
        let project = values["source_project"] ?? existing?["source_project"] ?? .null
        if source == "scm" && project == .null {
            throw APIError.validation("source_project", "Project required for scm type sources.")
        }
        if source == "file" && (values["source_path"]?.stringValue ?? existing?.string("source_path") ?? "").isEmpty {
            throw APIError.validation("source_path", "This field is required.")
        }
    }
}

/// Editing variables documents (JSON or YAML text) without losing the user's format.
enum VariablesText {
    /// The text with `key` set: JSON stays JSON, YAML gets a line appended.
    static func setting(_ key: String, to value: JSON, in text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return JSON.object(JSONObject([(key, value)])).serialized() }
        if case .object(var object)? = try? JSONParser.parse(trimmed) {
            object[key] = value
            return JSON.object(object).serialized()
        }
        return trimmed + "\n\(key): \(value.serialized())\n"
    }

    /// The variables as a JSON object (`variable_data`, inventory script).
    static func object(_ text: String?) -> JSONObject {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return JSONObject() }
        if case .object(let object)? = try? JSONParser.parse(text) { return object }
        return YAMLBridge.object(text) ?? JSONObject()
    }
}
