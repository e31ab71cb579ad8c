import Foundation
import Jinja

/// Turns the sections printed by ``FactScript`` into Ansible's facts, with Ansible's names
/// (without the `ansible_` prefix), nesting and value types.
///
/// Each collector has its own method; a collector whose raw material is missing
/// (tool absent, file unreadable) leaves its facts out instead of failing.
struct FactParser {
    let sections: FactSections
    let collectors: Set<String>
    var facts = OrderedDict()

    init(sections: FactSections, collectors: Set<String>) {
        self.sections = sections
        self.collectors = collectors
    }

    /// Every fact the selected collectors produce, keys in Python sort order.
    mutating func parse() -> OrderedDict {
        // Order matters: later collectors read facts set by earlier ones (os_family, system).
        if collectors.contains("platform") { collectPlatform() }
        if collectors.contains("distribution") { collectDistribution() }
        if collectors.contains("lsb") { collectLSB() }
        if collectors.contains("selinux") { collectSELinux() }
        if collectors.contains("apparmor") { collectAppArmor() }
        if collectors.contains("chroot") { collectChroot() }
        if collectors.contains("fips") { facts["fips"] = .bool(sections.file("/proc/sys/crypto/fips_enabled") == "1") }
        if collectors.contains("caps") { collectCapabilities() }
        if collectors.contains("pkg_mgr") { collectPackageManager() }
        if collectors.contains("service_mgr") || collectors.contains("systemd") { collectServiceManager() }
        if collectors.contains("cmdline") { collectCommandLine() }
        if collectors.contains("date_time") { collectDateTime() }
        if collectors.contains("env") { collectEnvironment() }
        if collectors.contains("loadavg") { collectLoadAverage() }
        if collectors.contains("ssh_pub_keys") { collectSSHHostKeys() }
        if collectors.contains("user") { collectUser() }
        if collectors.contains("virtual") { collectVirtualization() }
        if collectors.contains("hardware") { collectHardware() }
        if collectors.contains("dns") { collectDNS() }
        if collectors.contains("network") { collectNetwork() }
        if collectors.contains("fibre_channel_wwn") { collectFibreChannel() }
        if collectors.contains("iscsi") { facts["iscsi_iqn"] = .string(iscsiInitiatorName()) }
        if collectors.contains("nvme") { facts["hostnqn"] = .string(sections.file("/etc/nvme/hostnqn") ?? "") }
        if collectors.contains("local") { facts["local"] = .dict(LocalFacts.parse(sections.localFacts)) }
        collectPython()
        if !collectors.contains("service_mgr") { facts.removeValue(forKey: "service_mgr") }
        return Self.sorted(facts)
    }

    static func sorted(_ dict: OrderedDict) -> OrderedDict {
        OrderedDict(dict.keys.sorted(by: Value.pythonStringLess).map { ($0, dict[$0]!) })
    }

    // MARK: - python

    /// `python` (python subset) and `python_version` (platform subset) from the probe's
    /// five lines: executable, version_info, python_version(), implementation, SSLContext.
    mutating func collectPython() {
        guard let raw = sections.command("python") else { return }
        let lines = raw.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 4 else { return }
        if collectors.contains("platform") { facts["python_version"] = .string(lines[2]) }
        guard collectors.contains("python") else { return }
        let info = lines[1].split(separator: " ").map(String.init)
        guard info.count == 5 else { return }
        let infoValues: [Value] = info.enumerated().map { i, part in i == 3 ? .string(part) : .int(Int(part) ?? 0) }
        var version = OrderedDict()
        for (key, value) in zip(["major", "minor", "micro", "releaselevel", "serial"], infoValues) { version[key] = value }
        var python = OrderedDict()
        python["executable"] = .string(lines[0])
        python["has_sslcontext"] = .bool(lines.count > 4 && lines[4] == "True")
        python["type"] = .string(lines[3] == "cpython" ? "CPython" : lines[3].capitalized)
        python["version"] = .dict(version)
        python["version_info"] = .list(infoValues)
        facts["python"] = .dict(python)
    }

    // MARK: - platform

    mutating func collectPlatform() {
        var uname = FactOutputLines(sections.command("uname_all"))
        let system = sections.file("/proc/sys/kernel/ostype") ?? uname.next() ?? "Linux"
        facts["system"] = .string(system)
        if let kernel = sections.file("/proc/sys/kernel/osrelease") ?? uname.at(1) { facts["kernel"] = .string(kernel) }
        if let version = sections.file("/proc/sys/kernel/version") ?? uname.at(2) { facts["kernel_version"] = .string(version) }
        let machine = sections.command("uname_m") ?? ""
        facts["machine"] = .string(machine)
        let node = sections.file("/proc/sys/kernel/hostname") ?? uname.at(3) ?? ""
        facts["nodename"] = .string(node)
        facts["hostname"] = .string(String(node.split(separator: ".", omittingEmptySubsequences: false).first ?? ""))
        var forward = sections.command("hosts")
        if forward == nil, let hosts = sections.files["/etc/hosts"] {
            // No getent: the /etc/hosts line naming this node stands in for the resolver.
            let entries = hosts.split(separator: "\n").map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "" }
            forward = entries.first { entry in
                entry.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().contains { $0 == node }
            }.map(String.init)
        }
        let fqdn = Self.fullyQualifiedName(node: node, forward: forward, reverse: sections.command("hosts_reverse"))
        facts["fqdn"] = .string(fqdn)
        facts["domain"] = .string(fqdn.split(separator: ".", omittingEmptySubsequences: false).dropFirst().joined(separator: "."))
        let bits = sections.command("long_bit") ?? (machine.hasSuffix("64") || machine == "s390x" ? "64" : "32")
        facts["userspace_bits"] = .string(bits)
        if machine == "x86_64" || machine.range(of: #"i([3456]86|86pc)"#, options: .regularExpression) != nil {
            facts["architecture"] = .string(machine == "x86_64" ? machine : "i386")
            if bits == "64" { facts["userspace_architecture"] = "x86_64" } else if bits == "32" { facts["userspace_architecture"] = "i386" }
        } else {
            facts["architecture"] = .string(machine)
        }
        let machineID = sections.file("/var/lib/dbus/machine-id") ?? sections.file("/etc/machine-id")
        if let id = machineID?.split(separator: "\n").first, !id.isEmpty { facts["machine_id"] = .string(String(id)) }
    }

    /// Python's `socket.getfqdn()`: the first name containing a dot among the reverse
    /// lookup's canonical name and aliases, else the canonical name, else the node name.
    static func fullyQualifiedName(node: String, forward: String?, reverse: String?) -> String {
        guard let line = (reverse ?? forward)?.split(separator: "\n").first else { return node }
        let names = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().map(String.init)
        guard let canonical = names.first else { return node }
        return names.first(where: { $0.contains(".") }) ?? canonical
    }

    // MARK: - security

    mutating func collectSELinux() {
        guard sections.exists("/sys/fs/selinux"), let enforce = sections.file("/sys/fs/selinux/enforce") else {
            facts["selinux"] = ["status": "disabled"]
            facts["selinux_python_present"] = true
            return
        }
        var selinux: OrderedDict = .factDict(["status": "enabled"])
        if let version = sections.file("/sys/fs/selinux/policyvers").flatMap({ Int($0) }) { selinux["policyvers"] = .int(version) }
        let config = FactKeyValueFile(sections.file("/etc/selinux/config") ?? "")
        if let mode = config["SELINUX"] { selinux["config_mode"] = .string(mode) }
        selinux["mode"] = enforce == "1" ? "enforcing" : "permissive"
        if let type = config["SELINUXTYPE"] { selinux["type"] = .string(type) }
        facts["selinux"] = .dict(selinux)
        // Not a Python library here: true means the status above was actually determined.
        facts["selinux_python_present"] = true
    }

    mutating func collectAppArmor() {
        facts["apparmor"] = ["status": sections.exists("/sys/kernel/security/apparmor") ? "enabled" : "disabled"]
    }

    mutating func collectChroot() {
        if let marker = sections.command("chroot_env"), !marker.isEmpty {
            facts["is_chroot"] = true
            return
        }
        let stats = FactOutputLines(sections.command("chroot_stat")).lines
        if stats.count >= 2 {
            facts["is_chroot"] = .bool(stats[0] != stats[1])
        } else if let root = stats.first, let inode = root.split(separator: " ").last.flatMap({ Int($0) }) {
            let fsType = sections.command("chroot_fstype") ?? ""
            let expected = fsType.contains("btrfs") ? 256 : fsType.contains("xfs") ? 128 : 2
            facts["is_chroot"] = .bool(inode != expected)
        }
    }

    mutating func collectCapabilities() {
        guard let output = sections.command("capsh") else {
            facts["system_capabilities_enforced"] = "N/A"
            facts["system_capabilities"] = "N/A"
            return
        }
        var enforced = "NA"
        var capabilities: [Value] = []
        for line in output.split(separator: "\n") where line.hasPrefix("Current:") {
            let value = line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if value == "=ep" {
                enforced = "False"
            } else {
                enforced = "True"
                let afterEquals = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first ?? ""
                capabilities = afterEquals.split(separator: ",", omittingEmptySubsequences: false)
                    .map { .string($0.trimmingCharacters(in: .whitespaces)) }
            }
        }
        facts["system_capabilities_enforced"] = .string(enforced)
        facts["system_capabilities"] = .list(capabilities)
    }

    // MARK: - general

    mutating func collectCommandLine() {
        guard let data = sections.file("/proc/cmdline"), !data.isEmpty else { return }
        var flat = OrderedDict(), grouped = OrderedDict()
        for piece in Self.splitKeepingQuotes(data) {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else {
                flat[piece] = true
                grouped[piece] = true
                continue
            }
            let (key, value) = (parts[0], Value.string(parts[1]))
            flat[key] = value
            switch grouped[key] {
            case .list(var items)?: items.append(value); grouped[key] = .list(items)
            case let existing? where existing != .bool(true): grouped[key] = .list([existing, value])
            default: grouped[key] = value
            }
        }
        facts["cmdline"] = .dict(Self.sorted(flat))
        facts["proc_cmdline"] = .dict(Self.sorted(grouped))
    }

    /// `shlex.split(posix=False)`: whitespace-separated words where quoted runs keep
    /// their quotes and may contain spaces.
    static func splitKeepingQuotes(_ text: String) -> [String] {
        var words: [String] = [], current = "", quote: Character?
        for character in text {
            if let open = quote {
                current.append(character)
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
                current.append(character)
            } else if character.isWhitespace {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    mutating func collectEnvironment() {
        var env = OrderedDict()
        if let raw = sections.commands["env0"], raw.contains("\0") {
            for entry in raw.split(separator: "\0") {
                let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty, !parts[0].contains("\n") else { continue }
                env[String(parts[0])] = .string(String(parts[1]))
            }
        } else if let raw = sections.commands["env"] {
            // Without `env -0` a value's continuation lines are told apart by the missing `=`.
            var lastKey: String?
            for line in raw.split(separator: "\n", omittingEmptySubsequences: false) {
                let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2, parts[0].range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) != nil {
                    lastKey = String(parts[0])
                    env[String(parts[0])] = .string(String(parts[1]))
                } else if let key = lastKey, let previous = env[key]?.stringValue, !line.isEmpty {
                    env[key] = .string(previous + "\n" + line)
                }
            }
        } else {
            return
        }
        env.removeValue(forKey: "_")
        facts["env"] = .dict(Self.sorted(env))
    }

    mutating func collectLoadAverage() {
        let fields = (sections.file("/proc/loadavg") ?? "").split(separator: " ")
        guard fields.count >= 3, let one = Double(fields[0]), let five = Double(fields[1]), let fifteen = Double(fields[2]) else { return }
        facts["loadavg"] = ["1m": .float(one), "5m": .float(five), "15m": .float(fifteen)]
    }

    mutating func collectSSHHostKeys() {
        for algorithm in ["dsa", "rsa", "ecdsa", "ed25519"] {
            guard let content = sections.file("/etc/ssh/ssh_host_\(algorithm)_key.pub") else { continue }
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2 else { continue }
            facts["ssh_host_key_\(algorithm)_public"] = .string(String(words[1]))
            facts["ssh_host_key_\(algorithm)_public_keytype"] = .string(String(words[0]))
        }
    }

    mutating func collectUser() {
        var ids: [String: Int] = [:]
        for line in (sections.files["/proc/self/status"] ?? "").split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 3 else { continue }
            if words[0] == "Uid:" { ids["ruid"] = Int(words[1]); ids["euid"] = Int(words[2]) }
            if words[0] == "Gid:" { ids["rgid"] = Int(words[1]); ids["egid"] = Int(words[2]) }
        }
        let info = FactKeyValueFile(sections.commands["ids"] ?? "")
        for key in ["ruid", "euid", "rgid", "egid"] where ids[key] == nil {
            ids[key] = info[key].flatMap { Int($0) }
        }
        let entry = (sections.command("passwd") ?? "").split(separator: "\n").first
            .map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) } ?? []
        let loginName = info["name"].flatMap { $0.isEmpty ? nil : $0 }
        if let name = loginName ?? (entry.count >= 7 ? entry[0] : nil) { facts["user_id"] = .string(name) }
        if entry.count >= 7 {
            if let uid = Int(entry[2]) { facts["user_uid"] = .int(uid) }
            if let gid = Int(entry[3]) { facts["user_gid"] = .int(gid) }
            facts["user_gecos"] = .string(entry[4])
            facts["user_dir"] = .string(entry[5])
            facts["user_shell"] = .string(entry[6])
        }
        if let ruid = ids["ruid"] { facts["real_user_id"] = .int(ruid) }
        if let euid = ids["euid"] { facts["effective_user_id"] = .int(euid) }
        if let rgid = ids["rgid"] {
            facts["real_group_id"] = .int(rgid)
            // Ansible reports the real group id here too (os.getgid()); match it.
            facts["effective_group_id"] = .int(rgid)
        }
    }

    mutating func collectDNS() {
        var dns = OrderedDict()
        for rawLine in (sections.file("/etc/resolv.conf") ?? "").split(separator: "\n") {
            let line = String(rawLine)
            if line.hasPrefix("#") || line.hasPrefix(";") { continue }
            let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = tokens.first else { continue }
            let rest = tokens.dropFirst().map { Value.string($0) }
            switch keyword {
            case "nameserver": dns["nameservers"] = .list((dns["nameservers"]?.listValue ?? []) + rest)
            case "domain": if let first = rest.first { dns["domain"] = first }
            case "search": dns["search"] = .list(rest)
            case "sortlist": dns["sortlist"] = .list(rest)
            case "options":
                var options = OrderedDict()
                for option in tokens.dropFirst() {
                    let parts = option.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                    options[String(parts[0])] = parts.count == 2 && !parts[1].isEmpty ? .string(String(parts[1])) : true
                }
                dns["options"] = .dict(options)
            default: break
            }
        }
        facts["dns"] = .dict(dns)
    }

    func iscsiInitiatorName() -> String {
        for line in (sections.file("/etc/iscsi/initiatorname.iscsi") ?? "").split(separator: "\n") where line.hasPrefix("InitiatorName=") {
            return String(line.dropFirst("InitiatorName=".count)).trimmingCharacters(in: .whitespaces)
        }
        return ""
    }

    mutating func collectFibreChannel() {
        let names = sections.files.keys.filter { $0.hasPrefix("/sys/class/fc_host/") && $0.hasSuffix("/port_name") }.sorted()
        facts["fibre_channel_wwn"] = .list(names.compactMap { path in
            sections.file(path).map { .string($0.hasPrefix("0x") ? String($0.dropFirst(2)) : $0) }
        })
    }
}

/// The non-empty lines of a command's output, with positional access.
struct FactOutputLines {
    var lines: [String]
    private var index = 0
    init(_ text: String?) { lines = FactOutputLines.split(text) }
    static func split(_ text: String?) -> [String] {
        (text ?? "").split(separator: "\n").map(String.init)
    }
    mutating func next() -> String? {
        defer { index += 1 }
        return index < lines.count ? lines[index] : nil
    }
    func at(_ position: Int) -> String? { position < lines.count ? lines[position] : nil }
}

/// `KEY=value` lines (os-release, selinux config), values unquoted.
struct FactKeyValueFile {
    private(set) var values: [String: String] = [:]
    init(_ text: String) {
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = String(trimmed[..<equals]).trimmingCharacters(in: .whitespaces)
            var value = String(trimmed[trimmed.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
                    .replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\$", with: "$")
            }
            values[key] = value
        }
    }
    subscript(key: String) -> String? { values[key] }
}
