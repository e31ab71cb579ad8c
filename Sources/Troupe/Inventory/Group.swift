import Jinja

/// One inventory group as a value snapshot: its own variables, direct members and
/// place in the group tree.
public struct Group: Sendable, Hashable, CustomStringConvertible {
    /// The group name.
    public let name: String
    /// Variables set on the group by inventory sources (`[g:vars]`, YAML `vars:`).
    public internal(set) var vars: OrderedDict
    /// `ansible_group_priority` (default 1); orders same-depth groups when merging vars.
    public internal(set) var priority: Int
    /// Hosts listed directly in this group, in the order they were added.
    public internal(set) var hostNames: [String]
    /// Child groups, in the order they were added.
    public internal(set) var childNames: [String]
    /// Parent groups, in the order they were added.
    public internal(set) var parentNames: [String]
    /// Longest distance from `all` (0 for `all`), as Ansible computes `group.depth`.
    public internal(set) var depth: Int
    /// Where the group was first declared, when it came from a file.
    public internal(set) var location: SourceLocation?

    init(name: String, location: SourceLocation?) {
        self.name = name
        self.vars = OrderedDict()
        self.priority = 1
        self.hostNames = []
        self.childNames = []
        self.parentNames = []
        self.depth = 0
        self.location = location
    }

    /// The group's name, for messages.
    public var description: String { name }

    /// Groups are identified by name alone.
    public static func == (lhs: Group, rhs: Group) -> Bool { lhs.name == rhs.name }
    /// Hashes the name only, matching `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
