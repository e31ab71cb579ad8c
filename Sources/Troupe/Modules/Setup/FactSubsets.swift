import Foundation

/// Ansible's `gather_subset` rules: which fact collectors a subset specification selects.
///
/// Collectors are named as in Ansible (`platform`, `hardware`, `network`, ...). Each also
/// answers to the names of the facts it produces (`mounts` selects `hardware`), and some
/// collectors need others to run first (`network` needs `platform` and `distribution`).
enum FactSubsets {
    /// Collector name → the fact ids it also answers to (Ansible's `_fact_ids`).
    static let collectors: [String: [String]] = [
        "platform": ["system", "kernel", "kernel_version", "machine", "python_version", "architecture", "machine_id"],
        "distribution": ["distribution_version", "distribution_release", "distribution_major_version", "os_family"],
        "lsb": [], "selinux": [], "apparmor": [],
        "chroot": ["is_chroot"],
        "fips": [], "python": [],
        "caps": ["system_capabilities", "system_capabilities_enforced"],
        "pkg_mgr": [], "service_mgr": [], "cmdline": [], "date_time": [], "env": [], "loadavg": [],
        "ssh_pub_keys": ["ssh_host_pub_keys", "ssh_host_key_dsa_public", "ssh_host_key_rsa_public",
                         "ssh_host_key_ecdsa_public", "ssh_host_key_ed25519_public"],
        "user": ["user_id", "user_uid", "user_gid", "user_gecos", "user_dir", "user_shell",
                 "real_user_id", "effective_user_id", "effective_group_ids"],
        "systemd": [],
        "virtual": ["virtualization_type", "virtualization_role", "virtualization_tech_guest", "virtualization_tech_host"],
        "hardware": ["processor", "processor_cores", "processor_count", "mounts", "devices"],
        "dns": [], "fibre_channel_wwn": [],
        "network": ["interfaces", "default_ipv4", "default_ipv6", "all_ipv4_addresses", "all_ipv6_addresses"],
        "iscsi": [], "nvme": [], "local": [], "facter": [], "ohai": [],
    ]

    /// What `min` stands for (the setup module's minimal subset).
    static let minimal: Set<String> = [
        "apparmor", "caps", "cmdline", "date_time", "distribution", "dns", "env", "fips", "local",
        "lsb", "pkg_mgr", "platform", "python", "selinux", "service_mgr", "ssh_pub_keys", "user",
    ]

    /// Collectors whose results other collectors need.
    static let requirements: [String: [String]] = [
        "hardware": ["platform"],
        "network": ["distribution", "platform"],
        "service_mgr": ["platform", "distribution"],
        "pkg_mgr": ["distribution"],
    ]

    /// Every name `gather_subset` accepts besides `all` and `min`.
    static let validSubsets: Set<String> = {
        var names = Set(collectors.keys)
        for ids in collectors.values { names.formUnion(ids) }
        return names
    }()

    private static let collectorForFactID: [String: String] = {
        var map: [String: String] = [:]
        for (name, ids) in collectors {
            map[name] = name
            for id in ids { map[id] = name }
        }
        return map
    }()

    /// Resolves a subset specification to the set of collectors to run, dependencies included.
    /// Throws Ansible's "Bad subset" error for an unknown name that is not an exclusion.
    static func resolve(_ spec: [String]) throws -> Set<String> {
        let requested = spec.isEmpty ? ["all"] : spec
        var added = Set<String>()
        var excluded = Set<String>()
        var explicit = Set<String>()
        for entry in ["min"] + requested {
            switch entry {
            case "min": added.formUnion(minimal); continue
            case "all": added.formUnion(validSubsets); continue
            case "!min": excluded.formUnion(minimal); continue
            case "!all": excluded.formUnion(validSubsets.subtracting(minimal)); continue
            default: break
            }
            if entry.hasPrefix("!") {
                let name = String(entry.dropFirst())
                excluded.insert(name)
                excluded.formUnion(collectors[name] ?? [])
            } else {
                guard validSubsets.contains(entry) else {
                    throw TroupeError(.module, "Bad subset '\(entry)' given to Ansible. gather_subset options allowed: all, "
                        + validSubsets.sorted().joined(separator: ", "))
                }
                explicit.insert(entry)
                added.insert(entry)
            }
        }
        if added.isEmpty { added = validSubsets }
        added.subtract(excluded.subtracting(explicit))
        var result = Set(added.compactMap { collectorForFactID[$0] })
        var pending = Array(result)
        while let name = pending.popLast() {
            for dependency in requirements[name] ?? [] where !result.contains(dependency) {
                result.insert(dependency)
                pending.append(dependency)
            }
        }
        return result
    }
}
