import Foundation
import SQLKit

/// First-start seeding, idempotent on every start: the `admin` superuser, the managed
/// credential types, the `default` instance group, the system role singletons and the
/// install UUID.
struct Bootstrap {
    let database: Database
    let configuration: ControllerConfiguration

    struct Outcome {
        var generatedAdminPassword: String?
        var installUUID: String
    }

    func run() async throws -> Outcome {
        let configuration = self.configuration
        let postgres = database.engine == .postgres
        return try await database.transaction { db in
            // Nodes starting together would both seed (a unique violation for the second):
            // the migrations' advisory lock, held to the end of this transaction, serialises them.
            if postgres { try await db.raw("SELECT pg_advisory_xact_lock(7201514)").run() }
            let now = Timestamp.now()
            var generated: String?
            let admins = try await db.raw("SELECT id FROM users WHERE username = 'admin'").all()
            if admins.isEmpty {
                let password: String
                if let given = configuration.adminPassword, !given.isEmpty { password = given } else {
                    password = SecretBox.randomToken(bytes: 12)
                    generated = password
                }
                try await db.raw("""
                    INSERT INTO users (username, is_superuser, password, created, modified)
                    VALUES ('admin', TRUE, \(bind: PasswordHasher.hash(password)), \(bind: now), \(bind: now))
                    """).run()
            }
            for type in ManagedCredentialTypes.all {
                let existing = try await db.raw("SELECT id FROM credential_types WHERE name = \(bind: type.name) AND kind = \(bind: type.kind)").all()
                if existing.isEmpty {
                    try await db.raw("""
                        INSERT INTO credential_types (name, description, kind, namespace, managed, inputs, injectors, created, modified)
                        VALUES (\(bind: type.name), '', \(bind: type.kind), \(bind: type.namespace), TRUE, \(bind: type.inputs.serialized()),
                        '{}', \(bind: now), \(bind: now))
                        """).run()
                }
            }
            if try await db.raw("SELECT id FROM instance_groups WHERE name = 'default'").all().isEmpty {
                try await db.raw("INSERT INTO instance_groups (name, created, modified) VALUES ('default', \(bind: now), \(bind: now))").run()
            }
            for singleton in ["system_administrator", "system_auditor"] {
                if try await db.raw("SELECT id FROM object_roles WHERE content_type = 'system' AND role_field = \(bind: singleton)").all().isEmpty {
                    try await db.raw("INSERT INTO object_roles (content_type, object_id, role_field) VALUES ('system', NULL, \(bind: singleton))").run()
                }
            }
            let uuidRows = try await db.raw("SELECT value FROM settings WHERE key = 'INSTALL_UUID'").all()
            let installUUID: String
            if let row = uuidRows.first {
                installUUID = try row.decode(column: "value", as: String.self)
            } else {
                installUUID = UUID().uuidString.lowercased()
                try await db.raw("INSERT INTO settings (key, value, modified) VALUES ('INSTALL_UUID', \(bind: installUUID), \(bind: now))").run()
            }
            return Outcome(generatedAdminPassword: generated, installUUID: installUUID)
        }
    }
}

/// AWX's managed credential types that Troupe uses: Machine, Vault, Source Control.
enum ManagedCredentialTypes {
    struct TypeSpec {
        let name: String
        let kind: String
        let namespace: String
        let inputs: JSON
    }

    static func field(_ id: String, _ label: String, secret: Bool = false, multiline: Bool = false, type: String = "string", help: String? = nil) -> JSON {
        var object = JSONObject([("id", .string(id)), ("label", .string(label)), ("type", .string(type))])
        if secret { object["secret"] = true }
        if multiline { object["multiline"] = true }
        if let help { object["help_text"] = .string(help) }
        return .object(object)
    }

    static let all: [TypeSpec] = [
        TypeSpec(name: "Machine", kind: "ssh", namespace: "ssh", inputs: [
            "fields": [
                field("username", "Username"),
                field("password", "Password", secret: true),
                field("ssh_key_data", "SSH Private Key", secret: true, multiline: true),
                field("ssh_public_key_data", "Signed SSH Certificate", multiline: true),
                field("ssh_key_unlock", "Private Key Passphrase", secret: true),
                field("become_method", "Privilege Escalation Method"),
                field("become_username", "Privilege Escalation Username"),
                field("become_password", "Privilege Escalation Password", secret: true),
            ],
        ]),
        TypeSpec(name: "Vault", kind: "vault", namespace: "vault", inputs: [
            "fields": [
                field("vault_password", "Vault Password", secret: true),
                field("vault_id", "Vault Identifier"),
            ],
            "required": ["vault_password"],
        ]),
        TypeSpec(name: "Source Control", kind: "scm", namespace: "scm", inputs: [
            "fields": [
                field("username", "Username"),
                field("password", "Password", secret: true),
                field("ssh_key_data", "SCM Private Key", secret: true, multiline: true),
                field("ssh_key_unlock", "Private Key Passphrase", secret: true),
            ],
        ]),
    ]

    /// The secret input ids of a type's `inputs` document.
    static func secretFields(of inputs: JSON) -> Set<String> {
        var names: Set<String> = []
        for field in inputs["fields"]?.arrayValue ?? [] where field["secret"] == .bool(true) {
            if let id = field["id"]?.stringValue { names.insert(id) }
        }
        return names
    }
}
