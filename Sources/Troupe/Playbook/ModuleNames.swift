/// Module and action names: collection prefixes and the free-form modules.
public enum ModuleNames {
    /// Strips `ansible.builtin.` / `ansible.legacy.` so FQCNs resolve to builtins.
    public static func shortName(_ name: String) -> String {
        for prefix in ["ansible.builtin.", "ansible.legacy."] where name.hasPrefix(prefix) {
            return String(name.dropFirst(prefix.count))
        }
        return name
    }

    /// Modules whose free-form string is the command line: only the command options
    /// (`chdir=`, `creates=` …) are parsed out of it.
    public static let freeForm: Set<String> = ["command", "shell", "raw", "script", "win_command", "win_shell"]
    /// Modules that accept `_raw_params` at all (the rest reject extra free-form words).
    public static let rawParams: Set<String> = freeForm.union([
        "include_vars", "include_tasks", "include_role", "import_tasks", "import_role",
        "add_host", "group_by", "set_fact", "meta",
    ])
}
