import Foundation
import Jinja

/// What variables and tasks see of the play being run: which hosts are in it, which are
/// still active, the loaded `vars_files`, the public roles' variables.
///
/// An immutable snapshot. The strategy thread owns the play's mutable state
/// (``PlayState``) and hands each host-task the snapshot current when the task was
/// queued, so a host-task thread never reads a list the strategy is changing; this is
/// also ansible-core's semantics (`ansible_play_hosts` is computed when the task is
/// queued).
public final class PlayContext: @unchecked Sendable {
    // @unchecked: every stored property is a `let` of a value type, except `play`, which
    // is not changed after parsing but for `include_role` handlers (behind its own lock).
    /// The play being run.
    public let play: Play
    /// The run's options.
    public let options: ExecutionOptions
    /// `ansible_play_hosts_all`: every host the play targets.
    public let allHosts: [String]
    /// `ansible_play_batch`: the hosts of the current serial batch that have not failed.
    public let batchHosts: [String]
    /// `ansible_play_hosts`: hosts of the play that have not failed.
    public let activeHosts: [String]
    /// Hosts that failed or became unreachable in earlier serial batches of this play.
    let hostsLostInEarlierBatches: Set<String>
    /// `ansible_play_hosts`: every host of the play, across serial batches, that has not
    /// failed; `ansible_play_batch` is the current batch's share of it.
    var playHostsStillActive: [String] {
        allHosts.filter { batchHosts.contains($0) ? activeHosts.contains($0) : !hostsLostInEarlierBatches.contains($0) }
    }
    /// Variables from `vars_files`, merged in order, per host (entries are templated with
    /// each host's variables).
    let varsFilesByHost: [String: OrderedDict]
    /// What `vars_files` gave `host` (a host added during the play gets the first host's).
    public func varsFiles(for host: String) -> OrderedDict {
        varsFilesByHost[host] ?? allHosts.first.flatMap { varsFilesByHost[$0] } ?? OrderedDict()
    }
    /// Answers to `vars_prompt`.
    public let promptVars: OrderedDict
    /// `playbook_dir`: directory of the playbook file the play came from.
    public let playbookDirectory: String
    /// The `vars/` of every public role (`roles:`, `import_role`, `include_role` with
    /// `public: true` once included), visible to the whole play.
    public let roleVars: OrderedDict
    /// The `defaults/` of every public role, merged; the lowest-precedence play variables.
    public let roleDefaults: OrderedDict
    /// `ansible_play_role_names` (and `role_names`): roles the play names, then included ones.
    let playRoleNames: [String]
    /// `ansible_dependent_role_names`: every dependency of those roles, once each.
    let dependentRoleNames: [String]

    init(_ state: PlayState) {
        play = state.play
        options = state.options
        allHosts = state.allHosts
        batchHosts = state.batchHosts
        activeHosts = state.activeHosts
        hostsLostInEarlierBatches = state.hostsLostInEarlierBatches
        varsFilesByHost = state.varsFiles
        promptVars = state.promptVars
        playbookDirectory = state.playbookDirectory
        roleVars = state.publicVars
        roleDefaults = state.publicDefaults
        let roles = state.play.referencedRoles + state.includedRoles
        playRoleNames = roles.map(\.name)
        var names: [String] = []
        func visit(_ role: Role) {
            for d in role.dependencies {
                if !names.contains(d.name) { names.append(d.name) }
                visit(d)
            }
        }
        roles.forEach(visit)
        dependentRoleNames = names
    }
}

/// The mutable state of the play being run: host lists, `vars_files`, prompt answers and
/// roles placed so far. Owned by one thread — the one running the play (the
/// ``TaskQueueManager`` and then its strategy); host-task threads only ever see
/// ``snapshot``. Not `Sendable` on purpose.
final class PlayState {
    let play: Play
    let options: ExecutionOptions
    let playbookDirectory: String
    var allHosts: [String] { didSet { cached = nil } }
    var batchHosts: [String] { didSet { cached = nil } }
    var activeHosts: [String] { didSet { cached = nil } }
    var hostsLostInEarlierBatches = Set<String>() { didSet { cached = nil } }
    var varsFiles: [String: OrderedDict] = [:] { didSet { cached = nil } }
    /// Templates and loads the play's `vars_files` for one host with what is known of it
    /// now; the strategy calls it again once the host's facts arrive, as ansible-core
    /// templates them for every task (`vars/{{ ansible_os_family }}.yml`).
    var loadVarsFiles: ((String, PlayContext) throws -> OrderedDict)?
    var promptVars = OrderedDict() { didSet { cached = nil } }
    private(set) var publicVars = OrderedDict()
    private(set) var publicDefaults = OrderedDict()
    private(set) var includedRoles: [Role] = []
    private var cached: PlayContext?

    init(play: Play, options: ExecutionOptions, hosts: [String], playbookDirectory: String) {
        for role in play.allRoles {
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

    /// The state as it is now, for host-tasks and variable scopes; rebuilt only after a
    /// change.
    var snapshot: PlayContext {
        if let cached { return cached }
        let fresh = PlayContext(self)
        cached = fresh
        return fresh
    }

    /// `include_role` with `public: true`: the role's variables reach the rest of the play.
    func expose(_ role: Role) {
        for r in role.dependencies + [role] {
            publicVars.merge(r.vars)
            publicDefaults.merge(r.defaults)
        }
        cached = nil
    }

    /// `include_role`: the role's blocks, its dependencies first (those already completed on
    /// a host are skipped there at run time). The role counts among the play's roles from
    /// now on (`ansible_play_role_names`).
    func includedRoleBlocks(_ role: Role) -> [BlockItem] {
        includedRoles.append(role)
        cached = nil
        return role.blocksWithDependencies()
    }
}
