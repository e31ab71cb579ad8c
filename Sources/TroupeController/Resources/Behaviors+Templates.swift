import Foundation
import SQLKit

/// Manual projects (`scm_type: ""`) use a directory under the project root; their status
/// says whether it exists. Git projects get a directory named after them.
struct ProjectBehavior: ResourceBehavior {
    func validate(_ values: inout [String: JSON], input: JSONObject, existing: Record?, context: APIContext) async throws {
        let scmType = values["scm_type"]?.stringValue ?? existing?.string("scm_type") ?? ""
        let root = context.controller.configuration.projectsDirectory
        if scmType.isEmpty {
            let path = values["local_path"]?.stringValue ?? existing?.string("local_path") ?? ""
            let available = Controller.projectLocalPaths(root)
            if path.isEmpty || path.contains("/") || path.hasPrefix(".") || !available.contains(path) {
                if available.isEmpty {
                    throw APIError.validation("local_path", "No project directories are available under \(root.path); create one to use a manual project.")
                }
                throw APIError.validation("local_path", "Invalid path choice. You must choose from the following options: \(available.joined(separator: ", ")).")
            }
            values["status"] = "successful"
            values["scm_url"] = values["scm_url"] ?? (existing == nil ? "" : nil)
        } else {
            if (values["scm_url"]?.stringValue ?? existing?.string("scm_url") ?? "").isEmpty {
                throw APIError.validation("scm_url", "SCM URL is required.")
            }
            if existing == nil || existing?.string("scm_type") == "" {
                values["status"] = "never updated"
                values["local_path"] = nil
            }
        }
    }

    func afterWrite(_ db: any SQLDatabase, id: Int, values: [String: JSON], input: JSONObject, created: Bool, context: APIContext) async throws {
        if let scmType = values["scm_type"]?.stringValue, !scmType.isEmpty, values["local_path"] == nil {
            // AWX names a git project's checkout `_<id>__<slug>`.
            let name = values["name"]?.stringValue ?? "project"
            let slug = name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
            try await db.raw("UPDATE projects SET local_path = \(bind: "_\(id)__\(String(slug))") WHERE id = \(bind: id)").run()
        }
    }

    func present(_ object: inout JSONObject, record: Record, context: APIContext, detail: Bool) async throws {
        if record.string("scm_type") == "" {
            let path = context.controller.configuration.projectsDirectory.appendingPathComponent(record.string("local_path") ?? "")
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) || !isDirectory.boolValue {
                object["status"] = "missing"
            }
        }
        var summary = object["summary_fields"]?.objectValue ?? JSONObject()
        summary["last_update"] = nil
        object["summary_fields"] = .object(summary)
    }

    /// Playbooks of a project directory: YAML files (outside roles and vars dirs) whose
    /// content looks like a play list.
    static func playbooks(in directory: URL) -> [String] {
        files(in: directory, extensions: ["yml", "yaml"]).filter { relative in
            guard let text = try? String(contentsOf: directory.appendingPathComponent(relative), encoding: .utf8) else { return false }
            return text.range(of: #"(?m)^-?\s*(- )?(hosts|import_playbook|ansible\.builtin\.import_playbook):"#, options: .regularExpression) != nil
        }
    }

    static func inventoryFiles(in directory: URL) -> [String] {
        files(in: directory, extensions: ["ini", "yml", "yaml", "json", "cfg", ""]).filter { relative in
            let name = (relative as NSString).lastPathComponent.lowercased()
            return relative.lowercased().contains("inventor") || name == "hosts" || name.hasPrefix("hosts.")
        }
    }

    private static func files(in directory: URL, extensions: Set<String>) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var result: [String] = []
        let skipped: Set<String> = ["roles", "group_vars", "host_vars", "tasks", "handlers", "vars", "defaults", "templates", "files", "meta"]
        while let relative = enumerator.nextObject() as? String {
            let parts = relative.split(separator: "/").map(String.init)
            if parts.contains(where: { $0.hasPrefix(".") || skipped.contains($0) }) { continue }
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory.appendingPathComponent(relative).path, isDirectory: &isDirectory)
            if isDirectory.boolValue { continue }
            if extensions.contains((relative as NSString).pathExtension.lowercased()) { result.append(relative) }
        }
        return result.sorted()
    }
}

/// Job templates: a project is required, an inventory unless prompted for, the playbook
/// must be in the project; the organization follows the project's.
struct JobTemplateBehavior: ResourceBehavior {
    func validate(_ values: inout [String: JSON], input: JSONObject, existing: Record?, context: APIContext) async throws {
        let project = values["project"] ?? existing?["project"] ?? .null
        guard let projectID = project.intValue else { throw APIError.validation("project", "This field is required.") }
        let askInventory = values["ask_inventory_on_launch"] ?? existing?["ask_inventory_on_launch"] ?? .bool(false)
        let inventory = values["inventory"] ?? existing?["inventory"] ?? .null
        if inventory == .null && askInventory != .bool(true) {
            throw APIError.validation("inventory", "Job Template must provide 'inventory' or allow prompting for it.")
        }
        let rows = try await context.database.all(SQLQueryString(
            "SELECT organization_id, scm_type, local_path FROM projects WHERE id = \(bind: projectID)"))
        guard let row = rows.first else { return }
        values["organization"] = .nullable(try row.decode(column: "organization_id", as: Int?.self))
        if values["playbook"] != nil || values["project"] != nil || existing == nil {
            let playbook = values["playbook"]?.stringValue ?? existing?.string("playbook") ?? ""
            if playbook.isEmpty { throw APIError.validation("playbook", "This field is required.") }
            let scmType = try row.decode(column: "scm_type", as: String.self)
            let localPath = try row.decode(column: "local_path", as: String.self)
            let directory = context.controller.configuration.projectsDirectory.appendingPathComponent(localPath)
            // A git project not yet synced has no files to check against, as in AWX.
            if scmType.isEmpty || FileManager.default.fileExists(atPath: directory.path) {
                if !ProjectBehavior.playbooks(in: directory).contains(playbook) {
                    throw APIError.validation("playbook", "Playbook not found for project.")
                }
            }
        }
    }

    func present(_ object: inout JSONObject, record: Record, context: APIContext, detail: Bool) async throws {
        let rows = try await context.database.all(SQLQueryString("""
            SELECT c.id, c.name, c.description, ct.kind, ct.kind = 'cloud' AS cloud FROM credentials c
            JOIN job_template_credentials jc ON jc.credential_id = c.id JOIN credential_types ct ON ct.id = c.credential_type_id
            WHERE jc.job_template_id = \(bind: record.id) ORDER BY c.id
            """))
        var summary = object["summary_fields"]?.objectValue ?? JSONObject()
        summary["credentials"] = .array(try rows.map { row in
            .object(JSONObject([("id", .int(try row.decode(column: "id", as: Int.self))),
                                ("name", .string(try row.decode(column: "name", as: String.self))),
                                ("description", .string(try row.decode(column: "description", as: String.self))),
                                ("kind", .string(try row.decode(column: "kind", as: String.self))),
                                ("cloud", try ResourceReader.decodeValue(row, column: "cloud", kind: .boolean))]))
        })
        summary["labels"] = ["count": 0, "results": []]
        summary["recent_jobs"] = []
        object["summary_fields"] = .object(summary)
    }
}
