import Foundation
import SQLKit

extension Controller {
    /// Setting categories and their defaults; stored overrides live in `settings`.
    static let settingCategories: [(slug: String, name: String, defaults: [(String, JSON)], readOnly: Set<String>)] = [
        ("system", "System", [
            ("ACTIVITY_STREAM_ENABLED", true), ("ACTIVITY_STREAM_ENABLED_FOR_INVENTORY_SYNC", false),
            ("ORG_ADMINS_CAN_SEE_ALL_USERS", true), ("MANAGE_ORGANIZATION_AUTH", true), ("TOWER_URL_BASE", "https://towerhost"),
            ("REMOTE_HOST_HEADERS", ["REMOTE_ADDR", "REMOTE_HOST"]), ("PROXY_IP_ALLOWED_LIST", []), ("INSTALL_UUID", ""),
            ("DEFAULT_EXECUTION_ENVIRONMENT", .null), ("CUSTOM_VENV_PATHS", []),
        ], ["INSTALL_UUID"]),
        ("jobs", "Jobs", [
            ("AD_HOC_COMMANDS", ["command", "shell", "yum", "apt", "apt_key", "apt_repository", "apt_rpm", "service", "group", "user",
                                 "mount", "ping", "selinux", "setup", "win_ping", "win_service", "win_updates", "win_group", "win_user"]),
            ("ALLOW_JINJA_IN_EXTRA_VARS", "template"), ("AWX_ISOLATION_BASE_PATH", "/tmp"), ("AWX_ISOLATION_SHOW_PATHS", []),
            ("AWX_TASK_ENV", .object(JSONObject())), ("PROJECT_UPDATE_VVV", false), ("AWX_ROLES_ENABLED", true),
            ("AWX_COLLECTIONS_ENABLED", true), ("STDOUT_MAX_BYTES_DISPLAY", 1_048_576), ("EVENT_STDOUT_MAX_BYTES_DISPLAY", 1024),
            ("SCHEDULE_MAX_JOBS", 10), ("AWX_ANSIBLE_CALLBACK_PLUGINS", []), ("DEFAULT_JOB_TIMEOUT", 0),
            ("DEFAULT_JOB_IDLE_TIMEOUT", 0), ("DEFAULT_INVENTORY_UPDATE_TIMEOUT", 0), ("DEFAULT_PROJECT_UPDATE_TIMEOUT", 0),
            ("ANSIBLE_FACT_CACHE_TIMEOUT", 0), ("MAX_FORKS", 200), ("MAX_WEBSOCKET_EVENT_RATE", 30),
        ], []),
        ("authentication", "Authentication", [
            ("SESSION_COOKIE_AGE", 1800), ("SESSIONS_PER_USER", -1), ("DISABLE_LOCAL_AUTH", false), ("AUTH_BASIC_ENABLED", true),
            ("OAUTH2_PROVIDER", ["ACCESS_TOKEN_EXPIRE_SECONDS": 31_536_000_000, "AUTHORIZATION_CODE_EXPIRE_SECONDS": 600,
                                 "REFRESH_TOKEN_EXPIRE_SECONDS": 2_628_000]),
            ("ALLOW_OAUTH2_FOR_EXTERNAL_USERS", false), ("LOGIN_REDIRECT_OVERRIDE", ""),
        ], []),
        ("ui", "UI", [("PENDO_TRACKING_STATE", "off"), ("CUSTOM_LOGIN_INFO", ""), ("CUSTOM_LOGO", ""), ("MAX_UI_JOB_EVENTS", 4000),
                      ("UI_LIVE_UPDATES_ENABLED", true)], ["PENDO_TRACKING_STATE"]),
        ("named-url", "Named URL", [("NAMED_URL_FORMATS", .object(JSONObject())), ("NAMED_URL_GRAPH_NODES", .object(JSONObject()))],
         ["NAMED_URL_FORMATS", "NAMED_URL_GRAPH_NODES"]),
        ("user", "User", [], []),
    ]

    func registerSettingsRoutes() {
        router.add(.get, "v2/settings/") { context in
            let user = try context.requireUser()
            var slugs: [(String, String)] = [("all", "All"), ("changed", "Changed")] + Controller.settingCategories.map { ($0.slug, $0.name) }
            if !user.readsEverything { slugs = [("user", "User")] }
            let results = slugs.map { JSON.object(JSONObject([("url", .string("/api/v2/settings/\($0.0)/")), ("slug", .string($0.0)), ("name", .string($0.1))])) }
            return .json(.object(JSONObject([("count", .int(results.count)), ("next", .null), ("previous", .null), ("results", .array(results))])))
        }
        router.add(.get, "v2/settings/{slug}/") { context in
            .json(.object(try await SettingsStore(context: context).values(slug: context.parameter("slug"))))
        }
        router.add(.options, "v2/settings/{slug}/") { context in
            let values = try await SettingsStore(context: context).values(slug: context.parameter("slug"))
            var fields = JSONObject()
            for (key, value) in values.pairs {
                let type: String
                switch value {
                case .bool: type = "boolean"
                case .int: type = "integer"
                case .array: type = "list"
                case .object: type = "nested object"
                default: type = "string"
                }
                fields[key] = ["type": .string(type), "label": .string(key), "help_text": "", "required": false, "filterable": true]
            }
            return .json(["name": "Setting Detail", "description": "", "renders": ["application/json", "text/html"],
                          "parses": ["application/json"], "actions": ["GET": .object(fields), "PUT": .object(fields)]])
        }
        let write: APIHandler = { context in
            let user = try context.requireUser()
            guard user.isSuperuser else { throw APIError.forbidden() }
            let body = try context.request.jsonObjectBody()
            let store = SettingsStore(context: context)
            try await store.write(slug: context.parameter("slug"), body)
            return .json(.object(try await store.values(slug: context.parameter("slug"))))
        }
        router.add(.put, "v2/settings/{slug}/", write)
        router.add(.patch, "v2/settings/{slug}/", write)
        router.add(.delete, "v2/settings/{slug}/") { context in
            let user = try context.requireUser()
            guard user.isSuperuser else { throw APIError.forbidden() }
            try await SettingsStore(context: context).reset(slug: context.parameter("slug"))
            return .noContent
        }
    }
}

/// Reads and writes settings: defaults overlaid with stored values (JSON text by key).
struct SettingsStore {
    let context: APIContext

    func category(_ slug: String) throws -> (slug: String, name: String, defaults: [(String, JSON)], readOnly: Set<String>) {
        guard let category = Controller.settingCategories.first(where: { $0.slug == slug }) else { throw APIError.notFound }
        return category
    }

    func stored() async throws -> [String: JSON] {
        var result: [String: JSON] = [:]
        for row in try await context.database.all(SQLQueryString("SELECT key, value FROM settings")) {
            let key = try row.decode(column: "key", as: String.self)
            let text = try row.decode(column: "value", as: String.self)
            result[key] = key == "INSTALL_UUID" ? .string(text) : (try? JSONParser.parse(text)) ?? .string(text)
        }
        return result
    }

    func values(slug: String) async throws -> JSONObject {
        let user = try context.requireUser()
        let stored = try await stored()
        if slug == "changed" {
            guard user.readsEverything else { throw APIError.forbidden() }
            var object = JSONObject()
            for key in stored.keys.sorted() where key != "INSTALL_UUID" { object[key] = stored[key] }
            return object
        }
        let categories = slug == "all" ? Controller.settingCategories : [try category(slug)]
        if slug != "user" && !user.readsEverything { throw APIError.forbidden() }
        var object = JSONObject()
        for category in categories {
            for (key, defaultValue) in category.defaults {
                object[key] = stored[key] ?? defaultValue
            }
        }
        if object.contains("NAMED_URL_FORMATS") {
            var formats = JSONObject(), nodes = JSONObject()
            for descriptor in ResourceCatalog.all {
                if let format = NamedURLResolver.format(descriptor) { formats[descriptor.name] = .string(format) }
                if let node = NamedURLResolver.graphNode(descriptor) { nodes[descriptor.name] = node }
            }
            object["NAMED_URL_FORMATS"] = .object(formats)
            object["NAMED_URL_GRAPH_NODES"] = .object(nodes)
        }
        if object.contains("INSTALL_UUID") { object["INSTALL_UUID"] = .string(context.controller.installUUID) }
        return object
    }

    func write(slug: String, _ body: JSONObject) async throws {
        let categories = slug == "all" ? Controller.settingCategories : [try category(slug)]
        var writable: [String: Bool] = [:]
        for category in categories { for (key, _) in category.defaults { writable[key] = category.readOnly.contains(key) } }
        let known = writable
        let now = Timestamp.now()
        try await context.database.transaction { db in
            for (key, value) in body.pairs {
                guard let readOnly = known[key], !readOnly, value != .string(SecretBox.marker) else { continue }
                try await db.raw("DELETE FROM settings WHERE key = \(bind: key)").run()
                try await db.raw("INSERT INTO settings (key, value, modified) VALUES (\(bind: key), \(bind: value.serialized()), \(bind: now))").run()
            }
        }
    }

    func reset(slug: String) async throws {
        let categories = slug == "all" ? Controller.settingCategories : [try category(slug)]
        let keys = categories.flatMap { $0.defaults.map(\.0) }.filter { $0 != "INSTALL_UUID" }
        try await context.database.transaction { db in
            for key in keys { try await db.raw("DELETE FROM settings WHERE key = \(bind: key)").run() }
        }
    }
}
