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
    /// `ansible_play_hosts`: hosts of the play that have not failed.
    public internal(set) var activeHosts: [String]
    /// Variables from `vars_files`, merged in order.
    public internal(set) var varsFiles = OrderedDict()
    /// Answers to `vars_prompt`.
    public internal(set) var promptVars = OrderedDict()
    /// `playbook_dir`: directory of the playbook file the play came from.
    public let playbookDirectory: String
    /// Every role's `vars/` and `defaults/`, visible to the whole play (roles are not
    /// private by default in Ansible).
    public let roleVars: OrderedDict
    /// Every role's `defaults/`, merged; the lowest-precedence play variables.
    public let roleDefaults: OrderedDict

    init(play: Play, options: ExecutionOptions, hosts: [String], playbookDirectory: String) {
        var vars = OrderedDict(), defaults = OrderedDict()
        for role in play.allRoles {
            vars.merge(role.vars)
            defaults.merge(role.defaults)
        }
        self.roleVars = vars
        self.roleDefaults = defaults
        self.play = play
        self.options = options
        self.allHosts = hosts
        self.batchHosts = hosts
        self.activeHosts = hosts
        self.playbookDirectory = playbookDirectory
    }
}
