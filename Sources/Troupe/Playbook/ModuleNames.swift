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

    /// Actions whose `_raw_params` stay raw even when they are one template (file names,
    /// commands, meta actions); for the others `module: "{{ d }}"` is the whole arguments.
    public static let keepsRawParams: Set<String> = freeForm.union([
        "include_vars", "include_tasks", "include_role", "import_tasks", "import_role", "set_fact", "group_by", "meta",
    ])

    /// ansible-core's is_possibly_template: the text holds a `{{`, `{%` or `{#` start.
    public static func isPossiblyTemplate(_ text: String) -> Bool {
        text.contains("{{") || text.contains("{%") || text.contains("{#")
    }

    /// ansible-core's is_possibly_all_template: the text (trimmed) is one `{{ … }}` expression
    /// or `{% … %}` block, so it may render to a non-string.
    public static func isPossiblyAllTemplate(_ text: String) -> Bool {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return (t.hasPrefix("{{") && t.hasSuffix("}}")) || (t.hasPrefix("{%") && t.hasSuffix("%}"))
    }
}
