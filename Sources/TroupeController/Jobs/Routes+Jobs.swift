import Foundation
import HTTPTypes
import SQLKit

/// Routes of the jobs work (#15): launch, jobs, ad hoc commands, unified jobs, events,
/// host summaries, stdout, cancel, relaunch. Registered at start by
/// `Controller.registerRoutes`; the logic lives in `JobsAPI` and `JobLaunch`.
extension Controller {
    func registerJobRoutes() {
        let api = jobs.api
        for kind in [JobsAPI.Kind.job, .adHocCommand] {
            let collection = "v2/\(kind.collection)/"
            router.add(.get, collection) { context in
                try await api.list(kind: kind, parameters: context.request.query, restriction: try await JobAccess(context).restriction()).apiResponse
            }
            router.add(.options, collection) { context in
                _ = try context.requireUser()
                return .json(JobMetadata.listOptions(kind))
            }
            router.add(.get, collection + "{id}/") { context in
                try await JobAccess(context).requireReadable(try context.intParameter("id"), kind: kind)
                return try await api.detail(try context.intParameter("id"), kind: kind).apiResponse
            }
            router.add(.delete, collection + "{id}/") { context in
                let id = try context.intParameter("id")
                try await JobAccess(context).requireReadable(id, kind: kind)
                return try await api.delete(id, kind: kind).apiResponse
            }
            router.add(.get, collection + "{id}/\(kind.eventsPath)/") { context in
                let id = try context.intParameter("id")
                try await JobAccess(context).requireReadable(id, kind: kind)
                return try await api.events(id, kind: kind, parameters: context.request.query).apiResponse
            }
            router.add(.get, collection + "{id}/stdout/") { context in
                let id = try context.intParameter("id")
                try await JobAccess(context).requireReadable(id, kind: kind)
                return try await api.stdout(id, kind: kind, parameters: context.request.query,
                                            accept: context.request.header(.accept)).apiResponse
            }
            // The live page (HTML): a browser without a session is sent to the login form.
            router.add(.get, collection + "{id}/live/", anonymous: true) { context in
                let id = try context.intParameter("id")
                guard context.user != nil else {
                    return .redirect("/api/login/?next=/api/v2/\(kind.collection)/\(id)/live/", status: .found)
                }
                try await JobAccess(context).requireReadable(id, kind: kind)
                var response = APIResponse(body: .text(JobPage.html(id: id, kind: kind), contentType: "text/html; charset=utf-8"))
                // The WebSocket subscription of a session must carry the CSRF cookie's token.
                if context.request.cookies["csrftoken"] == nil {
                    response.headers.append((.setCookie, "csrftoken=\(SecretBox.randomToken(bytes: 24)); Path=/; SameSite=Lax"))
                }
                return response
            }
            router.add(.get, collection + "{id}/cancel/") { context in
                let id = try context.intParameter("id")
                try await JobAccess(context).requireReadable(id, kind: kind)
                return try await api.canCancel(id, kind: kind).apiResponse
            }
            router.add(.post, collection + "{id}/cancel/") { context in
                let id = try context.intParameter("id")
                try await JobAccess(context).requireStartedOrAdmin(id, kind: kind)
                return try await api.cancel(id, kind: kind).apiResponse
            }
            router.add(.get, collection + "{id}/relaunch/") { context in
                let id = try context.intParameter("id")
                try await JobAccess(context).requireReadable(id, kind: kind)
                return try await api.relaunchInfo(id, kind: kind).apiResponse
            }
            router.add(.post, collection + "{id}/relaunch/") { context in
                let id = try context.intParameter("id")
                try await JobAccess(context).requireStartedOrAdmin(id, kind: kind)
                let body = try context.request.jsonObjectBody()
                return try await api.relaunch(id, kind: kind, body: JSON.object(body).foundationObject, launchedBy: context.user?.id).apiResponse
            }
        }
        router.add(.get, "v2/unified_jobs/") { context in
            try await api.list(kind: nil, parameters: context.request.query, restriction: try await JobAccess(context).restriction()).apiResponse
        }
        router.add(.get, "v2/jobs/{id}/job_events/children_summary/") { context in
            let id = try context.intParameter("id")
            try await JobAccess(context).requireReadable(id, kind: .job)
            return try await api.childrenSummary(id).apiResponse
        }
        router.add(.get, "v2/jobs/{id}/job_host_summaries/") { context in
            let id = try context.intParameter("id")
            try await JobAccess(context).requireReadable(id, kind: .job)
            return try await api.hostSummaries(id, parameters: context.request.query).apiResponse
        }
        router.add(.get, "v2/job_templates/{id}/jobs/") { context in
            let template = try await context.resolveID(ResourceCatalog.jobTemplates)
            return try await api.list(kind: .job, parameters: context.request.query + [("job_template", String(template))],
                                      restriction: try await JobAccess(context).restriction()).apiResponse
        }
        router.add(.get, "v2/job_templates/{id}/launch/") { context in
            let template = try await JobLaunch(context).template(try await context.resolveID(ResourceCatalog.jobTemplates))
            return .json(YAMLBridge.json(LaunchPlan.launchInfo(template)))
        }
        router.add(.options, "v2/job_templates/{id}/launch/") { context in
            _ = try context.requireUser()
            return .json(JobMetadata.launchOptions)
        }
        router.add(.post, "v2/job_templates/{id}/launch/") { context in
            try await JobLaunch(context).launch(try await context.resolveID(ResourceCatalog.jobTemplates))
        }
        router.add(.get, "v2/job_templates/{id}/survey_spec/") { context in
            try await JobSurveySpec(context).read()
        }
        router.add(.post, "v2/job_templates/{id}/survey_spec/") { context in
            try await JobSurveySpec(context).write()
        }
        router.add(.delete, "v2/job_templates/{id}/survey_spec/") { context in
            try await JobSurveySpec(context).delete()
        }
        for event in NotificationLinks.events {
            router.add(.get, "v2/job_templates/{id}/notification_templates_\(event)/") { context in
                try await NotificationLinks(context: context, event: event).list()
            }
            router.add(.post, "v2/job_templates/{id}/notification_templates_\(event)/") { context in
                try await NotificationLinks(context: context, event: event).change()
            }
        }
        router.add(.post, "v2/ad_hoc_commands/") { context in
            try await JobLaunch(context).adHoc(scope: nil)
        }
        for scope in ["inventories", "groups", "hosts"] {
            router.add(.post, "v2/\(scope)/{id}/ad_hoc_commands/") { context in
                try await JobLaunch(context).adHoc(scope: (scope, try context.intParameter("id")))
            }
            router.add(.get, "v2/\(scope)/{id}/ad_hoc_commands/") { context in
                let id = try context.intParameter("id")
                let inventory = try await JobLaunch(context).scopeInventory(scope, id)
                return try await api.list(kind: .adHocCommand, parameters: context.request.query + [("inventory", String(inventory.inventoryID))],
                                          restriction: try await JobAccess(context).restriction()).apiResponse
            }
        }
    }
}

extension JobsAPI.Reply {
    /// The controller's response: JSON bodies as `JSON` (so the browsable API renders
    /// them), anything else as text.
    var apiResponse: APIResponse {
        let headers = self.headers.compactMap { pair in HTTPField.Name(pair.0).map { ($0, pair.1) } }
        let status = HTTPResponse.Status(code: self.status)
        if body.isEmpty { return APIResponse(status: status, headers: headers, body: .empty) }
        if contentType == "application/json", let json = try? JSONParser.parse(Array(body)) {
            return APIResponse(status: status, headers: headers, body: .json(json))
        }
        return APIResponse(status: status, headers: headers, body: .text(String(decoding: body, as: UTF8.self), contentType: contentType))
    }
}

extension JSON {
    /// Foundation values (`[String: Any]`, `[Any]`, `Int`, `Double`, `Bool`, `String`,
    /// `NSNull`) for the launch rules, which are written against JSONSerialization's types.
    var foundationValue: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let b): return b
        case .int(let i): return i
        case .double(let d): return d
        case .string(let s): return s
        case .array(let items): return items.map(\.foundationValue)
        case .object(let object):
            var dictionary: [String: Any] = [:]
            for (key, value) in object.pairs { dictionary[key] = value.foundationValue }
            return dictionary
        }
    }

    var foundationObject: [String: Any] { foundationValue as? [String: Any] ?? [:] }
}
