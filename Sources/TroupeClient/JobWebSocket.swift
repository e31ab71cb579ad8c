import Foundation
import HummingbirdWSClient
import Logging
import NIOSSL

/// Listens on AWX's WebSocket (`/websocket/`) for one job and rings the doorbell whenever the
/// server pushes one of its events or a status change. AWX's handshake: the server greets with
/// `{"accept": true}`, the client sends `{"groups": {...}, "xrftoken": …}`, the server confirms
/// with `{"groups_current": [...]}` and then forwards events (`group_name` `job_events` with
/// `job: <id>`, or `ad_hoc_command_events` with `ad_hoc_command: <id>`) and status changes
/// (`group_name` `jobs` with `unified_job_id`).
/// Any failure simply ends the listener: the reader then polls.
enum JobWebSocket {
    static func listen(api: ServerAPI, job: Job, doorbell: Doorbell) async {
        guard let url = webSocketURL(api.baseURL) else { return }
        let eventGroup = job.type == "ad_hoc_command" ? "ad_hoc_command_events" : "job_events"
        let subscription: JSONValue = [
            "groups": .object(["jobs": ["status_changed"], eventGroup: [.int(job.id)]]),
            "xrftoken": "",
        ]
        var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20)
        if let credentials = api.credentials {
            configuration.additionalHeaders[.authorization] = credentials.authorizationHeader
        }
        var logger = Logger(label: "TroupeClient.WebSocket")
        logger.logLevel = .critical
        let jobID = job.id
        do {
            try await WebSocketClient.connect(
                url: url,
                configuration: configuration,
                tlsConfiguration: url.hasPrefix("wss:") ? api.options.tlsConfiguration() : nil,
                logger: logger
            ) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
                guard case .text(let greeting)? = try await messages.next(),
                      (try? JSONValue.parse(Data(greeting.utf8)))?["accept"] == true
                else { return }
                try await outbound.write(.text(subscription.jsonString()))
                while let message = try await messages.next() {
                    guard case .text(let text) = message, let value = try? JSONValue.parse(Data(text.utf8)) else {
                        continue
                    }
                    if value["error"] != nil { return }
                    if value["groups_current"] != nil {
                        await doorbell.setLive(true)
                        await doorbell.ring()
                        continue
                    }
                    let group = value["group_name"]?.stringValue ?? ""
                    // AWX names the group (`job_events`) and the job in its own field
                    // (`job`, `ad_hoc_command`); older servers put the id in the group name.
                    let jobField = eventGroup == "job_events" ? "job" : "ad_hoc_command"
                    let isOurEvent = group == "\(eventGroup)-\(jobID)" || (group == eventGroup && value[jobField]?.intValue == jobID)
                    let isOurStatus = group.hasPrefix("jobs") && value["unified_job_id"]?.intValue == jobID
                    if isOurEvent, let fields = value.objectValue, fields["counter"]?.intValue != nil {
                        await doorbell.deliver(JobEvent(fields: fields))
                    } else if isOurStatus {
                        await doorbell.statusDidChange()
                    } else if isOurEvent {
                        await doorbell.ring()
                    }
                }
            }
        } catch {
            // No WebSocket (refused, not upgraded, closed): the reader polls instead.
        }
        await doorbell.setLive(false)
    }

    /// `http://host:port/prefix` → `ws://host:port/websocket/` (`https` → `wss`).
    static func webSocketURL(_ baseURL: String) -> String? {
        guard var components = URLComponents(string: baseURL) else { return nil }
        switch components.scheme?.lowercased() {
        case "http": components.scheme = "ws"
        case "https": components.scheme = "wss"
        default: return nil
        }
        components.path = "/websocket/"
        return components.string
    }
}

extension ServerOptions {
    /// The TLS settings of these options: verification on unless turned off, the custom CA
    /// as the trust roots when given.
    func tlsConfiguration() -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !verifyTLS { tls.certificateVerification = .none }
        if let caFile { tls.trustRoots = .file(caFile) }
        return tls
    }
}
