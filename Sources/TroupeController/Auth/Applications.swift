import Foundation
import SQLKit

/// OAuth2 applications (AWX's `OAuth2Application`, `/api/v2/applications/`): an
/// organization's registered client, with a generated `client_id` and, for confidential
/// clients, a `client_secret` shown once in the create response and `$encrypted$` after.
/// Tokens may name one (`application`), and `/api/o/token/` checks its credentials.
extension ResourceCatalog {
    static let applications = ResourceDescriptor(
        name: "applications", type: "o_auth2_application", table: "applications", verboseName: "application",
        fields: [
            Field("client_id", .string, label: "Client id", readOnly: true),
            Field("client_secret", .string, label: "Client Secret",
                  help: "Used for more stringent verification of access to an application when creating a token.",
                  readOnly: true, forbidsFiltering: true),
            Field("client_type", .choice([("confidential", "Confidential"), ("public", "Public")]), label: "Client Type",
                  help: "Set to Public or Confidential depending on how secure the client device is.", required: true),
            Field("redirect_uris", .string, label: "Redirect URIs", help: "Allowed URIs list, space separated", defaultValue: ""),
            Field("authorization_grant_type", .choice([("authorization-code", "Authorization code"),
                                                       ("password", "Resource owner password-based")]),
                  label: "Authorization Grant Type",
                  help: "The Grant type the user must use for acquire tokens for this application.", required: true, writeOnce: true),
            Field("skip_authorization", .boolean, label: "Skip Authorization",
                  help: "Set True to skip authorization step for completely trusted applications.", defaultValue: false),
            Field("organization", .foreignKey("organizations"), label: "Organization",
                  help: "Organization containing this application.", required: true),
        ],
        ordering: ["name"],
        relations: ["tokens": .reverse(target: "tokens", column: "application_id")],
        namedURL: NamedURLFormat(["name"], parents: [("organization", "organizations")]),
        relatedPaths: ["tokens", "activity_stream"],
        summaryColumns: ["id", "name", "description"],
        uniqueTogether: [["organization", "name"]],
        description: "An OAuth2 application: a client that obtains tokens for users.")
}

extension Migrations {
    /// Versions 60–69 of the core range.
    static var applications: [Migration] {
        [Migration(version: 60, name: "oauth2 applications", sql: [
            """
            CREATE TABLE applications (id $PK, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
              organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
              client_id TEXT NOT NULL UNIQUE, client_secret TEXT NOT NULL DEFAULT '',
              client_type TEXT NOT NULL, redirect_uris TEXT NOT NULL DEFAULT '',
              authorization_grant_type TEXT NOT NULL, skip_authorization BOOLEAN NOT NULL DEFAULT FALSE,
              created TEXT NOT NULL, modified TEXT NOT NULL, created_by_id BIGINT, modified_by_id BIGINT,
              UNIQUE (organization_id, name))
            """,
        ])]
    }
}

/// Generates the client credentials on create and hides the secret afterwards.
struct ApplicationBehavior: ResourceBehavior {
    func validate(_ values: inout [String: JSON], input: JSONObject, existing: Record?, context: APIContext) async throws {
        let grant = values["authorization_grant_type"]?.stringValue ?? existing?.string("authorization_grant_type") ?? ""
        let redirects = values["redirect_uris"]?.stringValue ?? existing?.string("redirect_uris") ?? ""
        if grant == "authorization-code" && redirects.trimmingCharacters(in: .whitespaces).isEmpty {
            throw APIError.validation("redirect_uris", "Redirect URI(s) are required for grant type authorization-code.")
        }
        for uri in redirects.split(separator: " ") where URL(string: String(uri))?.scheme == nil {
            throw APIError.validation("redirect_uris", "Enter a valid URL.")
        }
        guard existing == nil else { return }
        values["client_id"] = .string(SecretBox.randomToken(bytes: 30))
        // Stored encrypted; only the create's own response shows it (as AWX: POST only).
        values["client_secret"] = .string(context.controller.secrets.encrypt(SecretBox.randomToken(bytes: 96)))
    }

    /// An application's tokens go with it (django-oauth-toolkit's cascade).
    func beforeDelete(_ db: any SQLDatabase, record: Record, context: APIContext) async throws {
        try await db.raw("DELETE FROM tokens WHERE application_id = \(bind: record.id)").run()
    }

    func present(_ object: inout JSONObject, record: Record, context: APIContext, detail: Bool) async throws {
        if record.string("client_type") == "public" {
            object["client_secret"] = nil
        } else if context.request.method == .post, let stored = record.string("client_secret"),
                  let secret = context.controller.secrets.decrypt(stored) {
            object["client_secret"] = .string(secret)
        } else {
            object["client_secret"] = .string(SecretBox.marker)
        }
        // AWX's summary: the application's tokens (at most 10, censored) and their count.
        var summary = object["summary_fields"]?.objectValue ?? JSONObject()
        let rows = try await context.database.all(SQLQueryString(
            "SELECT id, scope FROM tokens WHERE application_id = \(bind: record.id) ORDER BY id"))
        let shown = try rows.prefix(10).map { row -> JSON in
            .object(JSONObject([("id", .int(try row.decode(column: "id", as: Int.self))), ("token", .string("************")),
                                ("scope", .string(try row.decode(column: "scope", as: String.self)))]))
        }
        summary["tokens"] = .object(JSONObject([("count", .int(rows.count)), ("results", .array(shown))]))
        object["summary_fields"] = .object(summary)
    }
}

/// `/api/o/token/`'s client authentication and the application tokens.
extension Controller {
    struct ClientRefusal: Error {
        let response: APIResponse
    }

    /// The client credentials of a token request: form fields, else HTTP Basic.
    static func oauthClient(_ request: APIRequest, form: [String: String]) -> (id: String, secret: String?)? {
        if let id = form["client_id"], !id.isEmpty { return (id, form["client_secret"]) }
        guard let header = request.header(.authorization), header.hasPrefix("Basic "),
              let decoded = Data(base64Encoded: String(header.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
              let colon = decoded.firstIndex(of: ":") else { return nil }
        return (String(decoded[..<colon]), String(decoded[decoded.index(after: colon)...]))
    }

    /// The application with this client id, if the request may use it for a password grant:
    /// confidential clients must give their secret.
    static func authenticateClient(_ context: APIContext, id: String, secret: String?) async throws -> Result<Int, ClientRefusal> {
        let invalid = ClientRefusal(response: .json(["error": "invalid_client"], status: .unauthorized))
        guard let row = try await context.database.all(SQLQueryString("""
            SELECT id, client_secret, client_type, authorization_grant_type FROM applications WHERE client_id = \(bind: id)
            """)).first else { return .failure(invalid) }
        if try row.decode(column: "client_type", as: String.self) == "confidential" {
            let stored = try row.decode(column: "client_secret", as: String.self)
            guard let secret, let expected = context.controller.secrets.decrypt(stored), expected == secret else { return .failure(invalid) }
        }
        guard try row.decode(column: "authorization_grant_type", as: String.self) == "password" else {
            return .failure(ClientRefusal(response: .json(["error": "unauthorized_client"], status: .badRequest)))
        }
        return .success(try row.decode(column: "id", as: Int.self))
    }

    /// The application a token request names, checked: it exists and the caller may read it.
    static func readableApplication(_ context: APIContext, _ value: JSON) async throws -> Int {
        let invalid = APIError.validation("application", "Invalid pk \"\(value.serialized())\" - object does not exist.")
        guard let id = value.intValue else { throw invalid }
        let descriptor = ResourceCatalog.applications
        var query = SQLFragment("SELECT t0.id AS id FROM applications t0 WHERE t0.id = ")
        query.bind(.int(id))
        if let condition = AccessControl(context: context).readCondition(descriptor, alias: "t0") {
            query.append(" AND (")
            query.append(condition)
            query.append(")")
        }
        guard !(try await context.database.all(query)).isEmpty else { throw invalid }
        return id
    }
}
