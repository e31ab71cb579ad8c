/// ansible-core's internal `ansible._protomatter` test plugins, which its own integration
/// targets use to look at values the way the engine sees them. Troupe's values carry one
/// tag of those ansible-core has: trust (`.unsafe` is untrusted text, a vault value is
/// vaulted), so `tagged_with` answers for `TrustedAsTemplate` and `VaultedValue` only.
enum ProtomatterPlugins {
    static let prefix = "ansible._protomatter."

    static var filters: [String: Filter] {
        [
            // Values are plain data already; finalizing one changes nothing.
            prefix + "finalize": Filter { v, _, _ in v },
            // Marks a string trusted as a template (Troupe: an untrusted string becomes a plain one).
            prefix + "apply_trust": Filter { v, _, _ in
                if case .unsafe(let s) = v { return .string(s) }
                return v
            },
        ]
    }

    static var tests: [String: Test] {
        [prefix + "tagged_with": Test { v, a, _ in
            switch a.positional.first?.stringValue ?? a.keyword("tag_name")?.stringValue ?? "" {
            case "TrustedAsTemplate":
                if case .string = v { return true }
                return false
            case "VaultedValue":
                if case .vault = v { return true }
                return false
            default:
                return false
            }
        }]
    }
}
