/// Module and action names: collection prefixes and the free-form modules.
public enum ModuleNames {
    /// Strips `ansible.builtin.` / `ansible.legacy.` so FQCNs resolve to builtins.
    public static func shortName(_ name: String) -> String {
        if let native = collectionAliases[name] { return native }
        for prefix in ["ansible.builtin.", "ansible.legacy."] where name.hasPrefix(prefix) {
            return String(name.dropFirst(prefix.count))
        }
        return name
    }

    /// Collection modules Troupe implements natively: their collection names resolve to the
    /// native module (ansible-core moved these out of the builtins into ansible.posix).
    public static let collectionAliases: [String: String] = [
        "ansible.posix.mount": "mount", "ansible.posix.sysctl": "sysctl", "ansible.posix.authorized_key": "authorized_key",
    ]

    /// Modules whose free-form string is the command line: only the command options
    /// (`chdir=`, `creates=` …) are parsed out of it.
    public static let freeForm: Set<String> = ["command", "shell", "raw", "script", "win_command", "win_shell"]
    /// Modules that accept `_raw_params` at all (the rest reject extra free-form words).
    public static let rawParams: Set<String> = freeForm.union([
        "include_vars", "include_tasks", "include_role", "import_tasks", "import_role",
        "add_host", "group_by", "set_fact", "meta",
    ])
}
