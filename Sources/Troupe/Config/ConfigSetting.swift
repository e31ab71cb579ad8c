import Jinja

/// One configuration setting as Ansible defines it: a name, a value type, a default, the
/// environment variables and the `ansible.cfg` entries that can set it.
public struct ConfigSetting: Sendable, Hashable {
    /// How a raw text value is converted, mirroring Ansible's config types.
    public enum Kind: String, Sendable {
        /// yes/no/true/false/on/off/1/0/y/n/t/f; anything else is false (Ansible's non-strict boolean).
        case boolean
        /// A whole number; invalid text is a configuration error.
        case integer
        /// A floating-point number.
        case float
        /// Text, unquoted.
        case string
        /// Comma separated, items stripped and unquoted.
        case list
        /// A single path: `~` expanded, relative paths resolved against the config file's folder.
        case path
        /// Colon separated paths, each resolved like `path`.
        case pathspec
        /// Comma separated paths, each resolved like `path`.
        case pathlist
        /// Any value, passed through as text.
        case raw
    }

    /// An `ansible.cfg` location: `[section]` and key.
    public struct IniEntry: Sendable, Hashable {
        /// The ini `[section]` name, e.g. "defaults".
        public var section: String
        /// The key within the section, e.g. "forks".
        public var key: String
        /// Creates an ini location from a section and key.
        public init(_ section: String, _ key: String) {
            self.section = section
            self.key = key
        }
    }

    /// Ansible's constant name, e.g. `DEFAULT_FORKS`.
    public var name: String
    /// How raw text values for this setting are converted.
    public var kind: Kind
    /// The default as Ansible writes it; `~/.ansible` stands for `ANSIBLE_HOME`. Nil: no default.
    public var defaultValue: Value
    /// Environment variables, later ones win when several are set (as in Ansible).
    public var env: [String]
    /// ini entries, later ones win when several are set.
    public var ini: [IniEntry]

    /// Creates a setting definition.
    public init(_ name: String, _ kind: Kind, default defaultValue: Value = .null, env: [String] = [], ini: [IniEntry] = []) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.env = env
        self.ini = ini
    }

    /// Shorthand for a setting in `[defaults]` whose env var is `ANSIBLE_<KEY upper-cased>`.
    static func defaults(_ name: String, _ kind: Kind, _ key: String, default defaultValue: Value = .null, env: [String]? = nil) -> ConfigSetting {
        ConfigSetting(name, kind, default: defaultValue, env: env ?? ["ANSIBLE_" + key.uppercased()], ini: [IniEntry("defaults", key)])
    }
}

/// Where a configuration value came from.
public enum ConfigOrigin: Sendable, Hashable, CustomStringConvertible {
    /// The built-in default was used.
    case `default`
    /// Set by the named environment variable.
    case environment(String)
    /// Set in an `ansible.cfg` file, at `[section] key`.
    case file(path: String, section: String, key: String)
    /// Set programmatically, e.g. from the command line.
    case override

    /// Short form used in config dumps: "default", "env: NAME", the file path, or "override".
    public var description: String {
        switch self {
        case .default: return "default"
        case .environment(let name): return "env: \(name)"
        case .file(let path, _, _): return path
        case .override: return "override"
        }
    }
}
