import Foundation
import SQLKit

/// Users: passwords are hashed (never stored or shown), only superusers grant superuser
/// or auditor status.
struct UserBehavior: ResourceBehavior {
    func validate(_ values: inout [String: JSON], input: JSONObject, existing: Record?, context: APIContext) async throws {
        if let username = values["username"]?.stringValue {
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "@.+-_"))
            if username.unicodeScalars.contains(where: { !allowed.contains($0) }) {
                throw APIError.validation("username", "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.")
            }
        }
        if let password = values["password"]?.stringValue {
            if password == SecretBox.marker || password.isEmpty {
                values["password"] = nil
                if existing == nil { values["password"] = .string("!") }
            } else {
                values["password"] = .string(PasswordHasher.hash(password))
            }
        } else if existing == nil {
            values["password"] = .string("!")
        }
        if let user = context.user, !user.isSuperuser {
            for flag in ["is_superuser", "is_system_auditor"] where values[flag] != nil && values[flag] != (existing?[flag] ?? .bool(false)) {
                throw APIError.forbidden("Only a superuser can change \(flag).")
            }
        }
    }

    func present(_ object: inout JSONObject, record: Record, context: APIContext, detail: Bool) async throws {
        object["password"] = "$encrypted$"
        object["ldap_dn"] = ""
        object["last_login"] = record["last_login"]
        object["external_account"] = .null
        object["auth"] = []
    }

    func related(_ record: Record) -> [(String, String)] { [] }
}

/// Credentials: secret inputs are encrypted at rest and shown as `$encrypted$`; sending
/// `$encrypted$` back keeps the stored value. `user`/`team` on create make them owners.
struct CredentialBehavior: ResourceBehavior {
    func validate(_ values: inout [String: JSON], input: JSONObject, existing: Record?, context: APIContext) async throws {
        guard values["inputs"] != nil || existing == nil else { return }
        let typeID = values["credential_type"]?.intValue ?? existing?.int("credential_type")
        guard let typeID else { return }
        let rows = try await context.database.all(SQLQueryString("SELECT inputs FROM credential_types WHERE id = \(bind: typeID)"))
        guard let typeInputs = try rows.first.map({ try JSONParser.parse(try $0.decode(column: "inputs", as: String.self)) }) else { return }
        let known = Set((typeInputs["fields"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
        let secret = ManagedCredentialTypes.secretFields(of: typeInputs)
        let given = (values["inputs"]?.stringValue).flatMap { try? JSONParser.parse($0) }?.objectValue ?? JSONObject()
        let previous = (existing?.string("inputs")).flatMap { try? JSONParser.parse($0) }?.objectValue ?? JSONObject()
        var stored = JSONObject()
        for (key, value) in given.pairs {
            guard known.contains(key) else {
                throw APIError.validation("inputs", "Additional properties are not allowed ('\(key)' was unexpected)")
            }
            if secret.contains(key), case .string(let text) = value {
                if text == SecretBox.marker {
                    if let old = previous[key] { stored[key] = old }
                } else if text.isEmpty {
                    // Kept, not encrypted, as AWX does: `awx import` sends "" for every
                    // exported `$encrypted$`, and a second export must show the same keys.
                    stored[key] = ""
                } else {
                    stored[key] = .string(context.controller.secrets.encrypt(text))
                }
            } else {
                stored[key] = value
            }
        }
        for required in typeInputs["required"]?.arrayValue ?? [] {
            if let name = required.stringValue, stored[name] == nil {
                throw APIError.validation("inputs", "'\(name)' is a required field")
            }
        }
        values["inputs"] = .string(JSON.object(stored).serialized())
    }

    func present(_ object: inout JSONObject, record: Record, context: APIContext, detail: Bool) async throws {
        guard case .object(var inputs) = object["inputs"] ?? .null else { return }
        for key in inputs.keys where inputs[key]?.stringValue?.hasPrefix(SecretBox.storedPrefix) == true {
            inputs[key] = "$encrypted$"
        }
        object["inputs"] = .object(inputs)
    }

    func afterWrite(_ db: any SQLDatabase, id: Int, values: [String: JSON], input: JSONObject, created: Bool, context: APIContext) async throws {
        guard created else { return }
        if let userID = input["user"]?.intValue {
            try await RoleGrants.grant(db, contentType: "credential", objectID: id, role: "admin_role", userID: userID)
        }
        if let teamID = input["team"]?.intValue {
            try await RoleGrants.grantTeam(db, contentType: "credential", objectID: id, role: "admin_role", teamID: teamID)
        }
    }
}

/// Decrypted credential inputs for the job runner (never for the API).
public enum CredentialSecrets {
    public static func decryptedInputs(_ controller: Controller, credentialID: Int) async throws -> [String: JSON] {
        let rows = try await controller.database.all(SQLQueryString("SELECT inputs FROM credentials WHERE id = \(bind: credentialID)"))
        guard let text = try rows.first?.decode(column: "inputs", as: String.self),
              let object = (try? JSONParser.parse(text))?.objectValue else { return [:] }
        var result: [String: JSON] = [:]
        for (key, value) in object.pairs {
            if let stored = value.stringValue, stored.hasPrefix(SecretBox.storedPrefix) {
                result[key] = controller.secrets.decrypt(stored).map(JSON.string) ?? .null
            } else {
                result[key] = value
            }
        }
        return result
    }
}

/// Managed credential types are read-only; custom ones are `cloud` or `net`.
struct CredentialTypeBehavior: ResourceBehavior {
    func validate(_ values: inout [String: JSON], input: JSONObject, existing: Record?, context: APIContext) async throws {
        if existing?["managed"] == .bool(true) { throw APIError.forbidden("Modifications not allowed for managed credential types") }
        if let kind = values["kind"]?.stringValue, !["cloud", "net"].contains(kind) {
            throw APIError.validation("kind", "Must be 'cloud' or 'net', not \(kind)")
        }
    }

    func beforeDelete(_ db: any SQLDatabase, record: Record, context: APIContext) async throws {
        if record["managed"] == .bool(true) { throw APIError.forbidden("Deletion not allowed for managed credential types") }
        let used = try await db.rows(SQLQueryString("SELECT id FROM credentials WHERE credential_type_id = \(bind: record.id) LIMIT 1"))
        if !used.isEmpty { throw APIError.forbidden("Credential types that are in use cannot be deleted") }
    }
}

/// Granting roles to users and teams (team grants make the team's member role a parent).
enum RoleGrants {
    static func roleID(_ db: any SQLDatabase, contentType: String, objectID: Int, role: String) async throws -> Int? {
        try await db.rows(SQLQueryString(
            "SELECT id FROM object_roles WHERE content_type = \(bind: contentType) AND object_id = \(bind: objectID) AND role_field = \(bind: role)"))
            .first?.decode(column: "id", as: Int.self)
    }

    static func grant(_ db: any SQLDatabase, contentType: String, objectID: Int, role: String, userID: Int) async throws {
        guard let id = try await roleID(db, contentType: contentType, objectID: objectID, role: role) else { return }
        try await db.raw("INSERT INTO role_members (role_id, user_id) VALUES (\(bind: id), \(bind: userID)) ON CONFLICT DO NOTHING").run()
    }

    static func grantTeam(_ db: any SQLDatabase, contentType: String, objectID: Int, role: String, teamID: Int) async throws {
        guard let id = try await roleID(db, contentType: contentType, objectID: objectID, role: role),
              let member = try await roleID(db, contentType: "team", objectID: teamID, role: "member_role") else { return }
        try await db.raw("INSERT INTO role_parents (role_id, parent_id) VALUES (\(bind: id), \(bind: member)) ON CONFLICT DO NOTHING").run()
    }
}
