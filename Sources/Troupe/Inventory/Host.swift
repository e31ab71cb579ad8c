import Jinja

/// One inventory host as the inventory knows it at a moment in time (a value snapshot;
/// ask the ``InventoryManager`` again after run-time changes such as `add_host`).
public struct Host: Sendable, Hashable, CustomStringConvertible {
    /// The inventory hostname (`inventory_hostname`).
    public let name: String
    /// Variables set on the host by inventory sources, in the order they were set —
    /// including `ansible_port` from `host:port`, and `inventory_file`/`inventory_dir`.
    public internal(set) var vars: OrderedDict
    /// Where the host was first defined, when it came from a file.
    public internal(set) var location: SourceLocation?
    /// True for the implicit `localhost` created when a pattern names it but the
    /// inventory does not; such a host is in no group, not even `all`.
    public internal(set) var isImplicit: Bool
    /// Names of every group the host belongs to, directly or through child groups,
    /// including `all` (empty for the implicit localhost). Filled in by the manager.
    public internal(set) var groupNames: [String]

    init(name: String, location: SourceLocation?, isImplicit: Bool = false) {
        self.name = name
        self.vars = OrderedDict()
        self.location = location
        self.isImplicit = isImplicit
        self.groupNames = []
    }

    /// The port given with `host:port`, when there was one.
    public var port: Int? { vars["ansible_port"]?.intValue }

    /// The source that first defined the host (`inventory_file`), if any.
    public var inventoryFile: String? { vars["inventory_file"]?.stringValue }

    /// The directory of that source (`inventory_dir`), if any.
    public var inventoryDirectory: String? { vars["inventory_dir"]?.stringValue }

    /// The host's inventory name, for messages.
    public var description: String { name }

    /// Hosts are identified by inventory name alone.
    public static func == (lhs: Host, rhs: Host) -> Bool { lhs.name == rhs.name }
    /// Hashes the name only, matching `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
