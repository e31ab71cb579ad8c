import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import SQLKit

/// Webhook notifications on job start, success and failure: follows the ingestor's status
/// notices and, for each notification template linked to the job's template for that
/// event (`started`, `success`, `error`), POSTs AWX's webhook body as JSON to its `url`
/// (with its `headers`, `http_method`). Delivery never delays or fails the job.
actor JobNotifier {
    private let store: JobStore
    private let ingestor: EventIngestor
    private let secrets: SecretBox
    private let logger: Logger
    private var task: Task<Void, Never>?
    /// Deliveries made (tests and the activity stream read it): (template id, job id, event, HTTP status).
    private(set) var deliveries: [(template: Int, job: Int, event: String, status: Int)] = []

    init(store: JobStore, ingestor: EventIngestor, secrets: SecretBox, logger: Logger = Logger(label: "troupe.notifications")) {
        self.store = store
        self.secrets = secrets
        self.ingestor = ingestor
        self.logger = logger
    }

    func start() async {
        let notices = await ingestor.subscribe()
        task = Task {
            for await notice in notices {
                guard let status = notice.status else { continue }
                let event: String
                switch status {
                case "running": event = "started"
                case "successful": event = "success"
                case "failed", "error": event = "error"
                default: continue
                }
                await self.notify(notice.unifiedJobID, event: event, status: status)
            }
        }
    }

    /// Stops listening and waits for a notification being sent, so no query outlives the pool.
    func stop() async {
        task?.cancel()
        await task?.value
        task = nil
    }

    private func notify(_ jobID: Int, event: String, status noticeStatus: String) async {
        do {
            let found = try await store.read { db -> ((any SQLRow)?, [any SQLRow]) in
                guard let job = try await db.select().column("*").from("unified_jobs").where("id", .equal, jobID).first(),
                      let templateID = try job.decode(column: "job_template_id", as: Int?.self) else { return (nil, []) }
                let templates = try await db.select()
                    .columns(SQLColumn("id", table: "notification_templates"), SQLColumn("notification_configuration"))
                    .from("notification_templates")
                    .join("notification_template_links", on: SQLColumn("notification_template_id", table: "notification_template_links"),
                          .equal, SQLColumn("id", table: "notification_templates"))
                    .where(SQLColumn("job_template_id", table: "notification_template_links"), .equal, SQLBind(templateID))
                    .where(SQLColumn("event", table: "notification_template_links"), .equal, SQLBind(event))
                    .where(SQLColumn("notification_type", table: "notification_templates"), .equal, SQLBind("webhook"))
                    .all()
                return (job, templates)
            }
            guard let job = found.0 else { return }
            let templates = found.1
            guard !templates.isEmpty else { return }
            // The status the notice was about (the row may have moved on since).
            let body = try Self.body(job, status: noticeStatus, prefix: "/api/v2/")
            for template in templates {
                let id = try template.decode(column: "id", as: Int.self)
                let configuration = try template.decode(column: "notification_configuration", as: String.self)
                let status = await deliver(body, configuration: configuration)
                deliveries.append((id, jobID, event, status))
            }
        } catch {
            logger.error("notifications for job \(jobID): \(String(describing: error))")
        }
    }

    /// AWX's default webhook body for a job.
    static func body(_ job: any SQLRow, status: String, prefix: String) throws -> Data {
        let id = try job.decode(column: "id", as: Int.self)
        let object: [String: Any] = [
            "id": id, "name": try job.decode(column: "name", as: String.self), "url": prefix + "jobs/\(id)/",
            "status": status,
            "started": orNull(try job.decode(column: "started", as: String?.self)),
            "finished": orNull(try job.decode(column: "finished", as: String?.self)),
            "traceback": try job.decode(column: "job_explanation", as: String.self),
            "inventory": orNull(try job.decode(column: "inventory_id", as: Int?.self).map { "\($0)" }),
            "project": orNull(try job.decode(column: "project_id", as: Int?.self).map { "\($0)" }),
            "playbook": try job.decode(column: "playbook", as: String.self),
            "limit": try job.decode(column: "limit", as: String.self),
            "extra_vars": try job.decode(column: "extra_vars", as: String.self),
            "launch_type": try job.decode(column: "launch_type", as: String.self),
            "friendly_name": "Job", "created_by": NSNull(), "credential": NSNull(), "hosts": [String: Any](),
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// POSTs (or PUTs) `body`; returns the HTTP status, 0 when the request failed.
    private func deliver(_ body: Data, configuration text: String) async -> Int {
        guard let configuration = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
              let urlText = configuration["url"] as? String, let url = URL(string: urlText) else { return 0 }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = (configuration["http_method"] as? String ?? "POST").uppercased()
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Troupe", forHTTPHeaderField: "User-Agent")
        for (name, value) in configuration["headers"] as? [String: String] ?? [:] { request.setValue(value, forHTTPHeaderField: name) }
        if let username = configuration["username"] as? String, !username.isEmpty {
            let stored = configuration["password"] as? String ?? ""
            let password = stored.hasPrefix(SecretBox.storedPrefix) ? secrets.decrypt(stored) ?? "" : stored
            request.setValue("Basic " + Data("\(username):\(password)".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        }
        request.httpBody = body
        do {
            let (_, response) = try await URLSession.shared.data(for: request)
            return (response as? HTTPURLResponse)?.statusCode ?? 0
        } catch {
            logger.warning("webhook \(url.host ?? "?") failed: \(String(describing: error))")
            return 0
        }
    }
}
