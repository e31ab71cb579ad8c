/// Decides whether output is coloured, following ansible's rules: no colour unless stdout
/// is a terminal that supports it; `nocolor` (`ANSIBLE_NOCOLOR`, or `NO_COLOR` set to a
/// true value) turns it off; `force_color` (`ANSIBLE_FORCE_COLOR`) turns it on regardless.
public enum ColorPolicy {
    /// Whether colours are used.
    /// - Parameters:
    ///   - stdoutIsTTY: stdout is a terminal.
    ///   - noColor: the `nocolor` setting (already resolved from config/env), or nil to read the environment.
    ///   - forceColor: the `force_color` setting, or nil to read the environment.
    ///   - environment: consulted for `TERM` (a missing or `dumb` terminal has no colours) and,
    ///     when the settings are not given, for the colour variables.
    public static func colorEnabled(stdoutIsTTY: Bool, noColor: Bool? = nil, forceColor: Bool? = nil,
                                    environment: [String: String]) -> Bool {
        let force = forceColor ?? environment["ANSIBLE_FORCE_COLOR"].map { AnsibleBoolean.parse(.string($0)) } ?? false
        if force { return true }
        // ANSIBLE_NOCOLOR and NO_COLOR are two spellings of one setting; the later one wins.
        let disabled = noColor
            ?? (environment["NO_COLOR"] ?? environment["ANSIBLE_NOCOLOR"]).map { AnsibleBoolean.parse(.string($0)) }
            ?? false
        if disabled || !stdoutIsTTY { return false }
        guard let term = environment["TERM"], !term.isEmpty, term != "dumb" else { return false }
        return true
    }
}
