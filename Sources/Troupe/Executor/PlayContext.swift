import Foundation
import Jinja

/// The state of the play being run that variables and tasks consult: which hosts are in
/// it, which are still active, the loaded `vars_files`.
public final class PlayContext: @unchecked Sendable {
    /// The play being run.
    public let play: Play
    /// The run's options.
    public let options: ExecutionOptions
    /// `ansible_play_hosts_all`: every host the play targets.
    public internal(set) var allHosts: [String]
    /// `ansible_play_batch`: the hosts of the current serial batch that have not failed.
    public internal(set) var batchHosts: [String]
    /// The hosts of the current batch that have not failed (the strategy's working set).
    public internal(set) var activeHosts: [String]
    /// Hosts that failed or became unreachable in earlier serial batches of this play.
    var hostsLostInEarlierBatches = Set<String>()
    /// `ansible_play_hosts`: every host of the play, across serial batches, that has not
    /// failed; `ansible_play_batch` is the current batch's share of it.
    var playHostsStillActive: [String] {
        allHosts.filter { batchHosts.contains($0) ? activeHosts.contains($0) : !hostsLostInEarlierBatches.contains($0) }
    }
    /// Variables from `vars_files`, merged in order.
    public internal(set) var varsFiles = OrderedDict()
    /// Answers to `vars_prompt`.
    public internal(set) var promptVars = OrderedDict()
    /// `playbook_dir`: directory of the playbook file the play came from.
    public let playbookDirectory: String
    /// The `vars/` of every public role (`roles:`, `import_role`, `include_role` with
    /// `public: true` once included), visible to the whole play.
    public var roleVars: OrderedDict { lock.withLock { publicVars } }
    /// The `defaults/` of every public role, merged; the lowest-precedence play variables.
    public var roleDefaults: OrderedDict { lock.withLock { publicDefaults } }
    private var publicVars = OrderedDict()
    private var publicDefaults = OrderedDict()
    private let lock = NSLock()
    /// Roles (by identity) already put in the play, so an `include_role` does not repeat
    /// their dependencies.
    private var placedRoles = Set<String>()

    init(play: Play, options: ExecutionOptions, hosts: [String], playbookDirectory: String) {
        for role in play.allRoles {
            placedRoles.insert(role.identity)
            guard role.isPublic else { continue }
            publicVars.merge(role.vars)
            publicDefaults.merge(role.defaults)
        }
        self.play = play
        self.options = options
        self.allHosts = hosts
        self.batchHosts = hosts
        self.activeHosts = hosts
        self.playbookDirectory = playbookDirectory
    }

    /// `include_role` with `public: true`: the role's variables reach the rest of the play.
    func expose(_ role: Role) {
        lock.withLock {
            for r in role.dependencies + [role] {
                publicVars.merge(r.vars)
                publicDefaults.merge(r.defaults)
            }
        }
    }

    /// `include_role`: the role's blocks, its dependencies first unless already in the play.
    /// The role counts among the play's roles from now on (`ansible_play_role_names`).
    func includedRoleBlocks(_ role: Role) -> [BlockItem] {
        lock.withLock {
            includedRoles.append(role)
            return role.blocksWithDependencies(alreadyRun: &placedRoles)
        }
    }

    private var includedRoles: [Role] = []

    /// `ansible_play_role_names` (and `role_names`): roles the play names, then included ones.
    var playRoleNames: [String] { (play.referencedRoles + lock.withLock { includedRoles }).map(\.name) }

    /// `ansible_dependent_role_names`: every dependency of those roles, once each.
    var dependentRoleNames: [String] {
        var names: [String] = []
        func visit(_ role: Role) {
            for d in role.dependencies {
                if !names.contains(d.name) { names.append(d.name) }
                visit(d)
            }
        }
        (play.referencedRoles + lock.withLock { includedRoles }).forEach(visit)
        return names
    }
}
