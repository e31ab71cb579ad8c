import Foundation
import Logging
import PostgresKit
import SQLKit

/// The cluster's messages between nodes, on PostgreSQL's LISTEN/NOTIFY (no second message
/// bus): a launch wakes every execution node, a cancel reaches the node that runs the job,
/// and stored events reach WebSocket subscribers on other nodes (who then read the rows
/// from the database). On SQLite (one node) every call is a no-op.
///
/// Payloads are `origin-node|…`; a node ignores its own messages (it already acted in process).
final class ClusterBus: Sendable {
    enum Channel: String, CaseIterable, Sendable {
        /// A job was launched or capacity was given back: claim work. Payload: nothing more.
        case dispatch = "troupe_dispatch"
        /// A cancel was requested. Payload: the job id.
        case cancel = "troupe_cancel"
        /// Events were stored or a job changed status. Payload: `EventNotice`s.
        case events = "troupe_events"
    }

    /// What one `troupe_events` message says about a job: its rows up to `counter` are
    /// stored, and, when `status` is set, it changed status (`finished`: every event stored).
    struct EventNotice: Sendable, Equatable {
        var unifiedJobID: Int
        var counter: Int
        var status: String? = nil
        var kind = "job"
        var finished = false

        /// `id:counter[:status:kind:finished]`.
        var encoded: String {
            guard let status else { return "\(unifiedJobID):\(counter)" }
            return "\(unifiedJobID):\(counter):\(status):\(kind):\(finished ? 1 : 0)"
        }

        init(unifiedJobID: Int, counter: Int, status: String? = nil, kind: String = "job", finished: Bool = false) {
            self.unifiedJobID = unifiedJobID
            self.counter = counter
            self.status = status
            self.kind = kind
            self.finished = finished
        }

        init?(_ text: Substring) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 || parts.count == 5, let id = Int(parts[0]), let counter = Int(parts[1]) else { return nil }
            self.init(unifiedJobID: id, counter: counter)
            if parts.count == 5 {
                status = String(parts[2])
                kind = String(parts[3])
                finished = parts[4] == "1"
            }
        }
    }

    typealias Handler = @Sendable (Channel, String) async -> Void

    private let database: Database
    private let node: String
    private let logger: Logger

    init(database: Database, node: String, logger: Logger) {
        self.database = database
        self.node = node
        self.logger = logger
    }

    var isActive: Bool { database.engine == .postgres }

    /// PostgreSQL refuses payloads of 8000 bytes or more.
    static let maxPayload = 7900

    /// Sends `body` on `channel` (through the pool; it is delivered when the sending
    /// transaction, here the statement itself, commits).
    func notify(_ channel: Channel, _ body: String = "") async {
        guard isActive else { return }
        let payload = "\(node)|\(body)"
        do {
            try await database.run(SQLQueryString("SELECT pg_notify(\(bind: channel.rawValue), \(bind: payload))"))
        } catch {
            logger.warning("NOTIFY \(channel.rawValue) failed: \(String(describing: error))")
        }
    }

    /// Event notices, several to a message when they fit.
    func notify(events notices: [EventNotice]) async {
        guard isActive, !notices.isEmpty else { return }
        var body = ""
        for notice in notices {
            let item = notice.encoded
            if !body.isEmpty && body.count + item.count + node.count + 2 > Self.maxPayload {
                await notify(.events, body)
                body = ""
            }
            body += body.isEmpty ? item : "," + item
        }
        await notify(.events, body)
    }

    static func decodeEvents(_ body: String) -> [EventNotice] {
        body.split(separator: ",").compactMap(EventNotice.init)
    }

    /// LISTENs on every channel on a dedicated connection until cancelled, reconnecting
    /// after a second when the connection fails. `handler` gets other nodes' messages
    /// (origin stripped); `connected` runs after each (re)connect, so messages missed
    /// while disconnected are made up for by looking at the database.
    func listen(handler: @escaping Handler, connected: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        let node = self.node
        let logger = self.logger
        let url = database.postgresURL
        return Task {
            guard let url, let configuration = try? SQLPostgresConfiguration(url: url) else { return }
            var attempt = 0
            while !Task.isCancelled {
                attempt += 1
                do {
                    let connection = try await PostgresConnection.connect(
                        configuration: configuration.coreConfiguration, id: attempt, logger: logger)
                    do {
                        try await Self.serve(connection, node: node, handler: handler, connected: connected)
                    } catch {
                        try? await connection.close()
                        throw error
                    }
                    try? await connection.close()
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("cluster LISTEN connection lost, reconnecting: \(String(describing: error))")
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// One connection's life: LISTEN on every channel, and a liveness query every few
    /// seconds so a dead server is noticed even when nobody sends anything.
    private static func serve(_ connection: PostgresConnection, node: String, handler: @escaping Handler,
                              connected: @escaping @Sendable () async -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            let (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
            for channel in Channel.allCases {
                group.addTask {
                    try await connection.listen(on: channel.rawValue) { notifications in
                        readyContinuation.yield()
                        for try await notification in notifications {
                            let payload = notification.payload
                            guard let bar = payload.firstIndex(of: "|") else { continue }
                            if payload[..<bar] == node { continue }
                            await handler(channel, String(payload[payload.index(after: bar)...]))
                        }
                    }
                    throw CancellationError()
                }
            }
            group.addTask {
                var listening = 0
                for await _ in ready {
                    listening += 1
                    if listening == Channel.allCases.count { break }
                }
                await connected()
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(5))
                    let rows: PostgresRowSequence = try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT 1"), logger: Logger(label: "troupe.cluster.ping"))
                    for try await _ in rows {}
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
