import Foundation
import Hummingbird
import HummingbirdCore
import HTTPTypes
import HummingbirdWebSocket
import TroupeClient

/// AWX's `/websocket/` for the fake controller: greets with `{"accept": true}`, takes one
/// `{"groups": {...}}` subscription, confirms it with `groups_current`, then forwards the
/// messages published to those groups (`job_events-<id>`, `ad_hoc_command_events-<id>`,
/// `jobs-status_changed`).
enum FakeWebSocket {
    static func server(state: FakeState) -> HTTPServerBuilder {
        .http1WebSocketUpgrade { request, _, _ in
            guard request.path == "/websocket/" else { return .dontUpgrade }
            guard request.headerFields[.authorization] == "Bearer \(FakeController.adminToken)" else {
                return .dontUpgrade
            }
            return .upgrade([:]) { inbound, outbound, _ in
                let (outgoing, continuation) = AsyncStream.makeStream(of: String.self)
                let subscriber = UUID()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                        if case .text(let text)? = try await messages.next(),
                           let groups = (try? JSONValue.parse(Data(text.utf8)))?["groups"]?.objectValue {
                            var names: Set<String> = []
                            for (group, members) in groups {
                                for member in members.arrayValue ?? [] {
                                    names.insert("\(group)-\(member.stringValue ?? member.jsonString())")
                                }
                            }
                            let confirmation: JSONValue = ["groups_current": .array(names.sorted().map { .string($0) }),
                                                           "groups_left": [], "groups_joined": .array(names.sorted().map { .string($0) })]
                            await state.subscribe(subscriber, names, continuation, confirmation: confirmation.jsonString())
                        }
                        while try await messages.next() != nil {}
                        continuation.finish()
                    }
                    group.addTask {
                        try await outbound.write(.text(#"{"accept": true, "user": 1}"#))
                        for await text in outgoing { try await outbound.write(.text(text)) }
                    }
                    _ = try await group.next()
                    group.cancelAll()
                }
                await state.unsubscribe(subscriber)
            }
        }
    }
}

extension FakeState {
    func subscribe(_ id: UUID, _ groups: Set<String>, _ continuation: AsyncStream<String>.Continuation,
                   confirmation: String) {
        continuation.yield(confirmation)
        subscribers[id] = (groups, continuation)
    }

    func unsubscribe(_ id: UUID) { subscribers[id] = nil }

    func closeSubscribers() {
        for (_, subscriber) in subscribers { subscriber.continuation.finish() }
        subscribers = [:]
        for (_, subscriber) in streamSubscribers { subscriber.continuation.finish() }
        streamSubscribers = [:]
    }

    /// For `GET /api/v2/jobs/N/stream/?after=C` (Troupe's server-sent events, as the jobs
    /// branch serves them): the stored events after C, then each new one, then `event: end`
    /// once the job has finished. Nil for any other request.
    func eventStream(_ request: FakeRequest) -> AsyncStream<String>? {
        let segments = request.path.split(separator: "/").map(String.init)
        guard servesEventStream, request.method == "GET", segments.count == 5, segments[4] == "stream",
              ["jobs", "ad_hoc_commands"].contains(segments[2]), let id = Int(segments[3]),
              objects[segments[2]]?[id] != nil,
              request.authorization == "Bearer \(FakeController.adminToken)"
        else { return nil }
        requestLog.append("GET \(request.path)")
        let after = request.queryValue("after").flatMap(Int.init) ?? 0
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        for event in events[id] ?? [] where (event["counter"]?.intValue ?? 0) > after {
            continuation.yield(Self.serverSentEvent(event))
        }
        if isActive(segments[2], id) {
            streamSubscribers[UUID()] = (id, continuation)
        } else {
            continuation.yield("event: end\ndata: {}\n\n")
            continuation.finish()
        }
        return stream
    }

    static func serverSentEvent(_ event: Object) -> String {
        "event: job_event\ndata: \(JSONValue.object(event).jsonString())\n\n"
    }

    /// Feeds stream subscribers: an event of their job, or its end.
    func streamPublish(jobID: Int, event: Object?) {
        for (key, subscriber) in streamSubscribers where subscriber.jobID == jobID {
            if let event {
                subscriber.continuation.yield(Self.serverSentEvent(event))
            } else {
                subscriber.continuation.yield("event: end\ndata: {}\n\n")
                subscriber.continuation.finish()
                streamSubscribers[key] = nil
            }
        }
    }

    func publish(_ group: String, _ message: Object) {
        var message = message
        message["group_name"] = .string(group.hasPrefix("jobs-") ? "jobs" : group)
        let text = JSONValue.object(message).jsonString()
        for (_, subscriber) in subscribers where subscriber.groups.contains(group) {
            subscriber.continuation.yield(text)
        }
    }
}
