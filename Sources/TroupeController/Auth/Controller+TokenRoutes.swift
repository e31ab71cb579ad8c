import Foundation
import SQLKit

extension Controller {
    /// `/me/` (a one-item list, as AWX), token creation at `/tokens/` and
    /// `/users/N/personal_tokens/`, and the empty lists of resources Troupe does not have.
    func registerMeAndTokenRoutes() {
        router.add(.get, "v2/me/") { context in
            let user = try context.requireUser()
            let reader = ResourceReader(context: context, descriptor: ResourceCatalog.users)
            let record = try await reader.require(user.id)
            let results = try await reader.serialize([record], detail: false)
            return .json(.object(JSONObject([("count", 1), ("next", .null), ("previous", .null), ("results", .array(results))])))
        }
        router.add(.post, "v2/tokens/") { context in
            let user = try context.requireUser()
            return try await Controller.createToken(context, userID: user.id)
        }
    }

    /// Issues a personal access token for `userID` (the caller, or anyone for a superuser).
    /// The token is shown once, in this response.
    static func createToken(_ context: APIContext, userID: Int, applicationID: Int? = nil) async throws -> APIResponse {
        let user = try context.requireUser()
        guard user.id == userID || user.isSuperuser else { throw APIError.forbidden() }
        let input = try context.request.jsonObjectBody()
        var scope = "write"
        if let given = input["scope"], given != .null {
            guard let text = given.stringValue, TokenStore.validScopes.contains(text) else {
                throw APIError.validation("scope", "Invalid scope: \(given.stringValue ?? given.serialized()). Must be a simple space-separated string with allowed scopes ['read', 'write'].")
            }
            scope = text
        }
        var application: Int?
        if let applicationID {
            application = try await readableApplication(context, .int(applicationID))
        } else if let given = input["application"], given != .null {
            application = try await readableApplication(context, given)
        }
        let description = input["description"]?.stringValue ?? ""
        let grantedScope = scope
        let issued = try await TokenStore(controller: context.controller).issue(userID: userID, description: description, scope: scope, actor: user,
                                                                                 applicationID: application)
        let descriptor = ResourceCatalog.tokens
        let reader = ResourceReader(context: context, descriptor: descriptor)
        var query = SQLFragment(reader.selectClause() + " WHERE t0.id = ")
        query.bind(.int(issued.id))
        guard let record = try await context.database.all(query).first.map(reader.decode) else { throw APIError.notFound }
        try await context.database.withConnection { db in
            try await ActivityStream.record(db, operation: "create", descriptor: descriptor, id: issued.id,
                                            changes: ["description": .string(description), "scope": .string(grantedScope), "user": .int(userID), "token": "hidden"],
                                            actor: user.id, node: context.controller.configuration.nodeName)
        }
        guard case .object(var object) = try await reader.serialize([record], detail: true)[0] else { throw APIError.notFound }
        object["token"] = .string(issued.token)
        object["refresh_token"] = .null
        return .created(.object(object))
    }

    /// Resources of AWX's index that Troupe does not implement (or that another module
    /// fills in): they answer an empty list, so clients that walk the index work.
    func registerPlaceholderLists() {
        let empty: [String] = ["execution_environments", "workflow_job_templates", "notification_templates",
                               "schedules", "labels", "system_job_templates", "system_jobs", "workflow_jobs", "notifications",
                               "unified_job_templates", "unified_jobs", "jobs", "project_updates", "inventory_updates",
                               "ad_hoc_commands"]
        for name in empty {
            router.add(.get, "v2/\(name)/") { context in
                _ = try context.requireUser()
                return .json(.object(JSONObject([("count", 0), ("next", .null), ("previous", .null), ("results", [])])))
            }
            router.add(.options, "v2/\(name)/") { _ in
                .json(["name": .string(name), "description": "", "renders": ["application/json", "text/html"],
                       "parses": ["application/json"], "actions": ["GET": .object(JSONObject())], "search_fields": ["name"],
                       "related_search_fields": [], "max_page_size": 200])
            }
        }
        router.add(.get, "v2/dashboard/") { context in
            _ = try context.requireUser()
            return .json(.object(JSONObject()))
        }
    }
}
