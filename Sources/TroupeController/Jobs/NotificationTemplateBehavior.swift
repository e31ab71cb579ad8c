import Foundation
import SQLKit

/// Webhook notification templates: `notification_configuration` needs an http(s) `url`;
/// `http_method` is POST or PUT; a `password` (basic auth) is stored SecretBox-encrypted
/// and shown as `$encrypted$`.
struct NotificationTemplateBehavior: ResourceBehavior {
    func validate(_ values: inout [String: JSON], input: JSONObject, existing: Record?, context: APIContext) async throws {
        guard var configuration = values["notification_configuration"] else { return }
        // The generic writer hands JSON fields over as their stored text.
        let storedAsText = configuration.stringValue != nil
        if let text = configuration.stringValue { configuration = (try? JSONParser.parse(text)) ?? .null }
        guard case .object(var object) = configuration else {
            throw APIError.validation("notification_configuration", "Expected a dictionary of configuration values.")
        }
        guard let url = object["url"]?.stringValue, let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? "") else {
            throw APIError.validation("notification_configuration", "Missing or invalid 'url': an http or https URL is required.")
        }
        let method = (object["http_method"]?.stringValue ?? "POST").uppercased()
        guard ["POST", "PUT"].contains(method) else {
            throw APIError.validation("notification_configuration", "'http_method' must be POST or PUT.")
        }
        object["http_method"] = .string(method)
        if let headers = object["headers"], headers.objectValue == nil, !headers.isNull {
            throw APIError.validation("notification_configuration", "'headers' must be a dictionary.")
        }
        if let password = object["password"]?.stringValue {
            if password == "$encrypted$" {
                // Unchanged on update: keep the stored secret.
                var previous = existing?.values["notification_configuration"]
                if let text = previous?.stringValue { previous = try? JSONParser.parse(text) }
                object["password"] = previous?["password"] ?? ""
            } else if !password.isEmpty, !password.hasPrefix(SecretBox.storedPrefix) {
                object["password"] = .string(context.controller.secrets.encrypt(password))
            }
        }
        values["notification_configuration"] = storedAsText ? .string(JSON.object(object).serialized()) : .object(object)
    }

    func present(_ object: inout JSONObject, record: Record, context: APIContext, detail: Bool) async throws {
        var shown = object["notification_configuration"]
        if let text = shown?.stringValue { shown = try? JSONParser.parse(text) }
        guard case .object(var configuration)? = shown else { return }
        if let password = configuration["password"]?.stringValue, !password.isEmpty { configuration["password"] = "$encrypted$" }
        object["notification_configuration"] = .object(configuration)
    }

    func related(_ record: Record) -> [(String, String)] { [] }
}

/// `job_templates/N/notification_templates_{started,success,error}/`: GET the linked
/// templates, POST `{"id": N}` to link one and `{"id": N, "disassociate": true}` to unlink.
struct NotificationLinks {
    let context: APIContext
    let event: String

    static let events = ["started", "success", "error"]

    private func template(admin: Bool) async throws -> Int {
        let user = try context.requireUser()
        let id = try await context.resolveID(ResourceCatalog.jobTemplates)
        if admin || !user.readsEverything {
            let role = admin ? "admin_role" : "read_role"
            guard try await AccessControl(context: context).holds(role, contentType: "job_template", objectID: id) else { throw APIError.forbidden() }
        }
        return id
    }

    func list() async throws -> APIResponse {
        let id = try await template(admin: false)
        let rows = try await context.database.all(SQLQueryString("""
            SELECT n.id AS id, n.name AS name, n.notification_type AS notification_type FROM notification_templates n
            JOIN notification_template_links l ON l.notification_template_id = n.id
            WHERE l.job_template_id = \(bind: id) AND l.event = \(bind: event) ORDER BY n.name
            """))
        let results: [JSON] = try rows.map { row in
            let linked = try row.decode(column: "id", as: Int.self)
            return .object(JSONObject([
                ("id", .int(linked)), ("type", "notification_template"), ("url", .string("/api/v2/notification_templates/\(linked)/")),
                ("name", .string(try row.decode(column: "name", as: String.self))),
                ("notification_type", .string(try row.decode(column: "notification_type", as: String.self))),
            ]))
        }
        return .json(["count": .int(results.count), "next": nil, "previous": nil, "results": .array(results)])
    }

    func change() async throws -> APIResponse {
        let id = try await template(admin: true)
        let body = try context.request.jsonObjectBody()
        guard let notification = body["id"]?.intValue else { throw APIError.validation("id", "This field is required.") }
        let exists = try await context.database.all(SQLQueryString("SELECT id FROM notification_templates WHERE id = \(bind: notification)"))
        if exists.isEmpty { throw APIError.badRequest("Notification template \(notification) does not exist.") }
        if body["disassociate"] == true || body["disassociate"] == 1 {
            try await context.database.run(SQLQueryString("""
                DELETE FROM notification_template_links WHERE notification_template_id = \(bind: notification)
                AND job_template_id = \(bind: id) AND event = \(bind: event)
                """))
        } else {
            let linked = try await context.database.all(SQLQueryString("""
                SELECT id FROM notification_template_links WHERE notification_template_id = \(bind: notification)
                AND job_template_id = \(bind: id) AND event = \(bind: event)
                """))
            if linked.isEmpty {
                try await context.database.run(SQLQueryString("""
                    INSERT INTO notification_template_links (notification_template_id, job_template_id, event)
                    VALUES (\(bind: notification), \(bind: id), \(bind: event))
                    """))
            }
        }
        return .noContent
    }
}
