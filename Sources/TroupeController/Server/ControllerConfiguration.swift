import Foundation

/// How `troupe-server` (and the in-process test server) starts.
public struct ControllerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests).
    public var port: Int
    public var dataDirectory: URL
    /// `postgres://…`; nil means SQLite at `DATA_DIR/troupe.db`.
    public var databaseURL: String?
    /// This node's name (`X-API-Node`, `instances.hostname`).
    public var nodeName: String
    /// The first start's admin password; nil generates one and prints it once.
    public var adminPassword: String?
    /// Largest accepted request body.
    public var maxBodyBytes: Int
    /// What this node does in a cluster: serve the API, run jobs, or both.
    public var nodeType: NodeType = .hybrid
    /// Forks this node runs at once; nil computes AWX's figure from cores and memory.
    public var capacity: Int?
    /// How often this node writes its heartbeat into `instances`.
    public var heartbeatInterval: Duration = .seconds(10)
    /// A node whose heartbeat is older than this is lost: its jobs end `error`.
    public var nodeLostAfter: Duration = .seconds(60)

    /// AWX's `node_type` values that a controller node can take (hop nodes are receptor's).
    public enum NodeType: String, Sendable, CaseIterable {
        case hybrid, control, execution

        /// Control nodes serve the API only; they never claim jobs.
        public var runsJobs: Bool { self != .control }
    }

    public init(host: String = "127.0.0.1", port: Int = 8013, dataDirectory: URL = ControllerConfiguration.defaultDataDirectory(),
                databaseURL: String? = nil, nodeName: String = ControllerConfiguration.defaultNodeName(),
                adminPassword: String? = ProcessInfo.processInfo.environment["TROUPE_ADMIN_PASSWORD"],
                maxBodyBytes: Int = 5 * 1024 * 1024) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
        self.nodeName = nodeName
        self.adminPassword = adminPassword
        self.maxBodyBytes = maxBodyBytes
    }

    /// `$XDG_DATA_HOME/troupe`, else `~/.local/share/troupe`.
    public static func defaultDataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("troupe")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/share/troupe")
    }

    public static func defaultNodeName() -> String {
        ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
    }

    public var projectsDirectory: URL { dataDirectory.appendingPathComponent("projects") }
    public var sqlitePath: String { dataDirectory.appendingPathComponent("troupe.db").path }
}
