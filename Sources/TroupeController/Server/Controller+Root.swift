import Foundation
import HTTPTypes
import SQLKit

extension Controller {
    /// `/api/`'s keys and `/api/v2/`'s resource index in AWX's order (key → path under v2).
    static let versionRootKeys: [(String, String)] = [
        ("ping", "ping"), ("instances", "instances"), ("instance_groups", "instance_groups"), ("config", "config"),
        ("settings", "settings"), ("me", "me"), ("dashboard", "dashboard"), ("organizations", "organizations"),
        ("users", "users"), ("execution_environments", "execution_environments"), ("projects", "projects"),
        ("project_updates", "project_updates"), ("teams", "teams"), ("credentials", "credentials"),
        ("credential_types", "credential_types"), ("applications", "applications"), ("tokens", "tokens"),
        ("inventory", "inventories"), ("inventory_sources", "inventory_sources"), ("inventory_updates", "inventory_updates"),
        ("groups", "groups"), ("hosts", "hosts"), ("job_templates", "job_templates"), ("jobs", "jobs"),
        ("ad_hoc_commands", "ad_hoc_commands"), ("system_job_templates", "system_job_templates"),
        ("system_jobs", "system_jobs"), ("schedules", "schedules"), ("roles", "roles"),
        ("notification_templates", "notification_templates"), ("notifications", "notifications"), ("labels", "labels"),
        ("unified_job_templates", "unified_job_templates"), ("unified_jobs", "unified_jobs"),
        ("activity_stream", "activity_stream"), ("workflow_job_templates", "workflow_job_templates"),
        ("workflow_jobs", "workflow_jobs"),
    ]

    func registerRootRoutes() {
        router.add(.get, "", anonymous: true) { context in
            var response = APIResponse.json([
                "description": "AWX REST API",
                "current_version": "/api/v2/",
                "available_versions": ["v2": "/api/v2/"],
                "oauth2": "/api/o/",
                "custom_logo": "", "custom_login_info": "", "login_redirect_override": "",
            ])
            if context.request.cookies["csrftoken"] == nil {
                response.headers.append((.setCookie, "csrftoken=\(SecretBox.randomToken(bytes: 24)); Path=/; SameSite=Lax"))
            }
            return response
        }
        router.add(.get, "v2/", anonymous: true) { _ in
            .json(.object(JSONObject(Controller.versionRootKeys.map { ($0.0, .string("/api/v2/\($0.1)/")) })))
        }
        router.add(.get, "v2/ping/", anonymous: true) { context in
            let controller = context.controller
            let cluster = try await ClusterStatus.read(controller.database)
            return .json([
                "ha": .bool(cluster.instances.count > 1),
                "version": .string(ControllerVersion.apiVersion),
                "active_node": .string(controller.configuration.nodeName),
                "install_uuid": .string(controller.installUUID),
                "instances": .array(cluster.instances),
                "instance_groups": .array(cluster.groups),
            ])
        }
        router.add(.get, "v2/config/") { context in
            let user = try context.requireUser()
            var object = JSONObject([
                ("time_zone", "UTC"), ("license_info", ["license_type": "open", "valid_key": true, "subscription_name": "OPEN"]),
                ("version", .string(ControllerVersion.apiVersion)), ("eula", ""), ("analytics_status", "off"),
                ("analytics_collectors", .object(JSONObject())),
                ("become_methods", [["sudo", "Sudo"], ["su", "Su"], ["doas", "Doas"]]),
            ])
            if user.readsEverything {
                object["project_base_dir"] = .string(context.controller.configuration.projectsDirectory.path)
                object["project_local_paths"] = .array(Controller.projectLocalPaths(context.controller.configuration.projectsDirectory).map(JSON.string))
                object["custom_virtualenvs"] = []
            }
            return .json(.object(object))
        }
    }

    /// Directories under the project root not yet used by a manual project.
    static func projectLocalPaths(_ root: URL) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return entries.filter { !$0.hasPrefix(".") && !$0.hasPrefix("_") }.sorted().filter { entry in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root.appendingPathComponent(entry).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }
}
