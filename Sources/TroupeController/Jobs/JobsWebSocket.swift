import Foundation
import HTTPTypes
import HummingbirdCore
import HummingbirdWebSocket
import NIOCore
import SQLKit

/// `/websocket/` with AWX's protocol (awx/main/consumers.py `EventConsumer`): an
/// authenticated user is greeted with `{"accept": true, "user": id}` (anyone else gets
/// `{"close": true}`); `{"groups": {"jobs": ["status_changed"], "job_events": [N]}, "xrftoken": …}`
/// replaces the subscriptions and is answered with `groups_current/left/joined`. Then status
/// changes (`group_name: "jobs"`, `unified_job_id`, `status`) and every stored event of the
/// subscribed jobs (`group_name: "job_events"`, `job: N`, AWX's event fields) arrive.
///
/// CSRF: AWX compares `xrftoken` with the `csrftoken` cookie of the upgrade request. A
/// connection authenticated by a cookie session is held to that; one authenticated by an
/// `Authorization` header (token or Basic) carries no ambient credential a page could ride
/// on, so Troupe accepts it without the cookie (AWX itself would refuse every subscription).
enum JobsWebSocket {
    static func server(controller: Controller) -> HTTPServerBuilder {
        .http1WebSocketUpgrade(configuration: .init(ws: .init(maxFrameSize: 1 << 20))) { request, _, _ in
            guard request.path?.split(separator: "?").first == "/websocket/" else { return .dontUpgrade }
            let headers = request.headerFields
            return .upgrade([:]) { inbound, outbound, _ in
                try await session(controller: controller, headers: headers, inbound: inbound, outbound: outbound)
            }
        }
    }

    static func session(controller: Controller, headers: HTTPFields, inbound: WebSocketInboundStream,
                        outbound: WebSocketOutboundWriter) async throws {
        let request = APIRequest(method: .get, path: "/websocket/", apiPrefix: "/api/", query: [], headers: headers, body: [], rawQuery: "")
        guard case .authenticated(let user, let method)? = try? await controller.authenticator.authenticate(request) else {
            try await outbound.write(.text(#"{"close": true}"#))
            try await outbound.close(.normalClosure, reason: nil)
            return
        }
        let context = APIContext(controller: controller, request: request, parameters: [:], user: user, authentication: method)
        try await outbound.write(.text(#"{"accept": true, "user": \#(user.id)}"#))
        let csrf = request.cookies["csrftoken"]
        let needsXRF: Bool
        if case .session = method { needsXRF = true } else { needsXRF = false }
        let groups = Subscriptions()
        let service = controller.jobs
        let notices = await service.ingestor.subscribe()
        let forwarder = Task {
            var sent: [Int: Int] = [:]
            for await notice in notices {
                if let status = notice.status, await groups.contains("jobs-status_changed") {
                    var message: [String: Any] = ["unified_job_id": notice.unifiedJobID, "status": status, "type": notice.kind,
                                                  "group_name": "jobs"]
                    if notice.finished { message["finished"] = true }
                    try? await outbound.write(.text(json(message)))
                }
                let wantsJob = await groups.contains("job_events-\(notice.unifiedJobID)")
                let wantsAdHoc = await groups.contains("ad_hoc_command_events-\(notice.unifiedJobID)")
                guard wantsJob || wantsAdHoc else { continue }
                let kind: JobsAPI.Kind = wantsAdHoc ? .adHocCommand : .job
                let after = sent[notice.unifiedJobID] ?? 0
                let rows = (try? await service.store.database.all(SQLQueryString(
                    "SELECT * FROM job_events WHERE unified_job_id = \(bind: notice.unifiedJobID) AND counter > \(bind: after) ORDER BY counter"))) ?? []
                let serializer = JobSerializer(prefix: service.api.prefix)
                for row in rows {
                    guard var event = try? serializer.event(row, kind: kind, truncate: false) else { continue }
                    event["group_name"] = kind == .job ? "job_events" : "ad_hoc_command_events"
                    event[kind == .job ? "job" : "ad_hoc_command"] = notice.unifiedJobID
                    sent[notice.unifiedJobID] = max(sent[notice.unifiedJobID] ?? 0, event["counter"] as? Int ?? 0)
                    try? await outbound.write(.text(json(event)))
                }
            }
        }
        defer { forwarder.cancel() }
        for try await message in inbound.messages(maxSize: 1 << 20) {
            guard case .text(let text) = message,
                  let data = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
            if needsXRF {
                guard let token = data["xrftoken"] as? String, let csrf, !token.isEmpty, token == csrf else {
                    try await outbound.write(.text(#"{"error": "access denied to channel"}"#))
                    continue
                }
            }
            guard let requested = data["groups"] as? [String: Any] else { continue }
            var names: Set<String> = []
            var refusal: String?
            for (group, value) in requested {
                guard let list = value as? [Any] else { refusal = "access denied to channel"; break }
                for item in list {
                    let name = "\(group)-\(item)"
                    if group == "job_events" || group == "ad_hoc_command_events", let id = item as? Int {
                        let kind: JobsAPI.Kind = group == "job_events" ? .job : .adHocCommand
                        if (try? await JobAccess(context).requireReadable(id, kind: kind)) == nil {
                            refusal = "access denied to channel \(group) for resource id \(id)"
                            break
                        }
                    }
                    names.insert(name)
                }
                if refusal != nil { break }
            }
            if let refusal {
                try await outbound.write(.text(json(["error": refusal])))
                continue
            }
            let (left, joined) = await groups.replace(with: names)
            try await outbound.write(.text(json(["groups_current": Array(names).sorted(), "groups_left": left.sorted(),
                                                 "groups_joined": joined.sorted()])))
            // Events stored before the subscription: send them so a late subscriber misses nothing.
            for name in joined where name.hasPrefix("job_events-") || name.hasPrefix("ad_hoc_command_events-") {
                if let id = Int(name.split(separator: "-").last ?? "") { await service.ingestor.publishStatusless(id) }
            }
        }
    }

    static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// One connection's groups.
actor Subscriptions {
    private var groups: Set<String> = []

    func contains(_ name: String) -> Bool { groups.contains(name) }

    func replace(with names: Set<String>) -> (left: Set<String>, joined: Set<String>) {
        let left = groups.subtracting(names)
        let joined = names.subtracting(groups)
        groups = names
        return (left, joined)
    }
}
