import Foundation
import Jinja

/// Distribution, LSB and package/service manager facts.
extension FactParser {
    /// Distribution name → os_family (Ansible's OS_FAMILY_MAP, Linux part).
    static let osFamilies: [String: String] = {
        let families: [String: [String]] = [
            "RedHat": ["RedHat", "RHEL", "Fedora", "CentOS", "Scientific", "SLC", "Ascendos", "CloudLinux", "PSBM",
                       "OracleLinux", "OVS", "OEL", "Amazon", "Amzn", "Virtuozzo", "XenServer", "Alibaba", "EulerOS",
                       "openEuler", "AlmaLinux", "Rocky", "TencentOS", "EuroLinux", "Kylin Linux Advanced Server", "MIRACLE"],
            "Debian": ["Debian", "Ubuntu", "Raspbian", "Neon", "KDE neon", "Linux Mint", "SteamOS", "Devuan", "Kali",
                       "Cumulus Linux", "Pop!_OS", "Parrot", "Pardus GNU/Linux", "Uos", "Deepin", "OSMC", "Linux Mint Debian Edition"],
            "Suse": ["SuSE", "SLES", "SLED", "openSUSE", "openSUSE Tumbleweed", "SLES_SAP", "SUSE_LINUX", "openSUSE Leap",
                     "ALP-Dolomite", "SL-Micro", "openSUSE MicroOS"],
            "Archlinux": ["Archlinux", "Antergos", "Manjaro"],
            "Mandrake": ["Mandrake", "Mandriva"],
            "Slackware": ["Slackware"], "Altlinux": ["Altlinux"], "SMGL": ["SMGL"],
            "Gentoo": ["Gentoo", "Funtoo"], "Alpine": ["Alpine"],
            "Flatcar": ["Flatcar"], "ClearLinux": ["ClearLinux"], "Coreos": ["Coreos"], "OpenWrt": ["OpenWrt"],
        ]
        var map: [String: String] = [:]
        for (family, names) in families { for name in names { map[name] = family } }
        return map
    }()

    /// Python's `str.capitalize()`.
    static func capitalized(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst().lowercased()
    }

    mutating func collectDistribution() {
        let osReleaseText = sections.file("/etc/os-release") ?? ""
        let osRelease = FactKeyValueFile(osReleaseText.isEmpty ? (sections.file("/usr/lib/os-release") ?? "") : osReleaseText)
        let id = (osRelease["ID"] ?? "").lowercased()

        // The guess, as the `distro` library reads os-release.
        var guessName = Self.capitalized(id)
        if guessName == "Amzn" { guessName = "Amazon" } else if guessName == "Rhel" { guessName = "Redhat" }
        var version = osRelease["VERSION_ID"] ?? ""
        if id == "debian", let full = sections.file("/etc/debian_version"), full.first?.isNumber == true,
           full.hasPrefix(version), full.split(separator: ".").allSatisfy({ $0.allSatisfy(\.isNumber) }) {
            version = full
        }
        if id == "centos", let text = sections.file("/etc/centos-release"),
           let match = text.range(of: #"\d+(\.\d+)+"#, options: .regularExpression) {
            version = text[match].split(separator: ".").prefix(2).joined(separator: ".")
        }
        var release: String?
        if let codename = osRelease["VERSION_CODENAME"] ?? osRelease["UBUNTU_CODENAME"] {
            release = codename
        } else if let parenthesised = Self.parenthesised(osRelease["VERSION"] ?? "") {
            release = parenthesised
        }
        var result = OrderedDict.factDict([
            "distribution": .string(guessName.isEmpty ? "OtherLinux" : guessName),
            "distribution_version": .string(version.isEmpty ? "NA" : version),
            "distribution_release": .string(release ?? "NA"),
        ])
        let guessedVersion = version.isEmpty ? "NA" : version
        result["distribution_major_version"] = .string(String(guessedVersion.split(separator: ".", omittingEmptySubsequences: false).first ?? "NA"))

        if let parsed = distributionFileFacts(osReleaseText: osReleaseText, guessedRelease: result["distribution_release"]?.stringValue ?? "NA",
                                              guessedVersion: guessedVersion) {
            result.merge(parsed)
        }
        let name = result["distribution"]?.stringValue ?? "OtherLinux"
        result["os_family"] = .string(Self.osFamilies[name] ?? name)
        facts.merge(result)
    }

    /// Ansible's walk over distribution files: the first file that exists and parses names
    /// the distribution and may refine version and release.
    func distributionFileFacts(osReleaseText: String, guessedRelease: String, guessedVersion: String) -> OrderedDict? {
        func nonEmpty(_ path: String) -> String? {
            guard let text = sections.file(path), !text.isEmpty else { return nil }
            return text.trimmingCharacters(in: CharacterSet(charactersIn: "'\"\\"))
        }
        func found(_ variety: String, _ path: String, _ extra: KeyValuePairs<String, Value> = [:]) -> OrderedDict {
            var facts = OrderedDict.factDict(["distribution": .string(variety), "distribution_file_path": .string(path),
                                        "distribution_file_variety": .string(variety), "distribution_file_parsed": true])
            facts.merge(OrderedDict.factDict(extra))
            return facts
        }
        func bySearchString(_ variety: String, _ path: String, _ needle: String) -> OrderedDict? {
            guard let text = nonEmpty(path) else { return nil }
            if text.contains(needle) {
                return found(variety, path, ["distribution_file_search_string": .string(needle)])
            }
            return found(variety, path, ["distribution": .string(String(text.split(separator: " ").first ?? ""))])
        }
        func firstMatch(_ pattern: String, in text: String) -> String? {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]),
                  let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                  match.numberOfRanges > 1, let range = Range(match.range(at: 1), in: text) else { return nil }
            return String(text[range])
        }
        if let result = bySearchString("Altlinux", "/etc/altlinux-release", "ALT") { return result }
        if let result = bySearchString("OracleLinux", "/etc/oracle-release", "Oracle Linux") { return result }
        if let text = nonEmpty("/etc/centos-release") {
            if text.contains("CentOS Stream") { return found("CentOS", "/etc/centos-release", ["distribution_release": "Stream"]) }
            if text.contains("TencentOS Server") {
                return found("CentOS", "/etc/centos-release", ["distribution": "TencentOS"])
            }
        }
        if let result = bySearchString("RedHat", "/etc/redhat-release", "Red Hat") { return result }
        if sections.exists("/etc/vmware-release") {
            return OrderedDict.factDict(["distribution": "VMwareESX", "distribution_file_path": "/etc/vmware-release",
                                   "distribution_file_variety": "VMwareESX"])
        }
        if let text = nonEmpty("/etc/openwrt_release"), text.contains("OpenWrt") {
            var result = found("OpenWrt", "/etc/openwrt_release")
            if let value = firstMatch(#"DISTRIB_RELEASE="(.*)""#, in: text) { result["distribution_version"] = .string(value) }
            if let value = firstMatch(#"DISTRIB_CODENAME="(.*)""#, in: text) { result["distribution_release"] = .string(value) }
            return result
        }
        if let text = nonEmpty("/etc/os-release"), text.contains("Amazon") {
            var result = found("Amazon", "/etc/os-release")
            if let value = firstMatch(#"VERSION_ID="(.*)""#, in: text) {
                let parts = value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                result["distribution_version"] = .string(value)
                result["distribution_major_version"] = .string(parts[0])
                result["distribution_minor_version"] = .string(parts.count > 1 ? parts[1] : "NA")
            }
            return result
        }
        if let text = nonEmpty("/etc/system-release"), text.contains("Amazon") {
            let number = text.split(separator: " ").first { $0.allSatisfy(\.isNumber) }
            return found("Amazon", "/etc/system-release", ["distribution_version": .string(number.map(String.init) ?? "NA")])
        }
        if let text = nonEmpty("/etc/alpine-release") {
            return found("Alpine", "/etc/alpine-release", ["distribution_version": .string(text)])
        }
        if sections.exists("/etc/arch-release") {
            return OrderedDict.factDict(["distribution": "Archlinux", "distribution_file_path": "/etc/arch-release",
                                   "distribution_file_variety": "Archlinux"])
        }
        let osRelease = nonEmpty("/etc/os-release")
        if let text = osRelease, text.contains("Arch Linux") { return found("Archlinux", "/etc/os-release") }
        if let text = osRelease, text.lowercased().contains("suse") {
            var result = found("SUSE", "/etc/os-release")
            if let name = firstMatch("^NAME=(.*)", in: text) { result["distribution"] = .string(name.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) }
            if let value = firstMatch(#"^VERSION_ID="?([0-9]+\.?[0-9]*)"?"#, in: text) {
                result["distribution_version"] = .string(value)
                result["distribution_major_version"] = .string(String(value.split(separator: ".").first ?? ""))
            }
            let lowered = text.lowercased()
            if lowered.contains("open") || lowered.contains("enterprise") {
                if let minor = firstMatch(#"^VERSION_ID="?[0-9]+\.?([0-9]*)"?"#, in: text) {
                    result["distribution_release"] = .string(minor.isEmpty && !lowered.contains("open") ? "0" : minor)
                }
            }
            if let variant = firstMatch(#"^VARIANT_ID="?([^"\n]*)"?"#, in: text) {
                if variant == "server-sap" || variant == "sles-sap" { result["distribution"] = "SLES_SAP" }
                else if variant == "transactional" { result["distribution"] = "SL-Micro" }
            }
            return result
        }
        for path in ["/etc/os-release", "/etc/lsb-release"] {
            if let text = nonEmpty(path), let result = debianFacts(text, path: path, guessedRelease: guessedRelease) { return result }
        }
        if let text = nonEmpty("/etc/lsb-release"), text.contains("Mandriva") {
            var result = found("Mandriva", "/etc/lsb-release")
            if let value = firstMatch(#"DISTRIB_RELEASE="(.*)""#, in: text) { result["distribution_version"] = .string(value) }
            if let value = firstMatch(#"DISTRIB_CODENAME="(.*)""#, in: text) { result["distribution_release"] = .string(value) }
            return result
        }
        if let text = nonEmpty("/usr/lib/os-release"), let name = firstMatch(#"NAME="(.*)""#, in: text), name.contains("Clear Linux") {
            var result = found("ClearLinux", "/usr/lib/os-release", ["distribution": .string(name)])
            if let value = firstMatch("VERSION_ID=(.*)", in: text) {
                result["distribution_major_version"] = .string(value)
                result["distribution_version"] = .string(value)
            }
            if let value = firstMatch("ID=(.*)", in: text) { result["distribution_release"] = .string(value) }
            return result
        }
        if let text = osRelease, FactKeyValueFile(text)["ID"]?.lowercased() == "flatcar" {
            var result = found("Flatcar", "/etc/os-release")
            if let value = firstMatch("VERSION=(.*)", in: text)?.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) {
                result["distribution_version"] = .string(value)
                result["distribution_major_version"] = .string(String(value.split(separator: ".").first ?? ""))
            }
            return result
        }
        if let text = osRelease {
            var result = found("NA", "/etc/os-release")
            if let name = firstMatch("^NAME=(.*)", in: text) { result["distribution"] = .string(name.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) }
            if guessedVersion == "NA", let value = firstMatch("^VERSION=(.*)", in: text) {
                result["distribution_version"] = .string(value.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
            }
            return result
        }
        return nil
    }

    /// Ansible's Debian-family parser for os-release or lsb-release content; nil when the
    /// text names none of the family.
    func debianFacts(_ text: String, path: String, guessedRelease: String) -> OrderedDict? {
        var result = OrderedDict.factDict(["distribution_file_path": .string(path), "distribution_file_variety": "Debian",
                                     "distribution_file_parsed": true])
        func value(_ pattern: String) -> String? {
            guard let range = text.range(of: pattern, options: .regularExpression) else { return nil }
            let match = String(text[range])
            guard let equals = match.firstIndex(of: "=") else { return nil }
            return match[match.index(after: equals)...].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        if text.contains("Debian") || text.contains("Raspbian") {
            result["distribution"] = "Debian"
            if let pretty = value(#"PRETTY_NAME=[^\n]*"#), let codename = Self.parenthesised(pretty) {
                result["distribution_release"] = .string(codename)
            }
            if let full = sections.file("/etc/debian_version"),
               let match = full.range(of: #"(\d+)\.(\d+)"#, options: .regularExpression) {
                result["distribution_minor_version"] = .string(String(full[match].split(separator: ".").last ?? ""))
            }
        } else if text.contains("Ubuntu") {
            result["distribution"] = "Ubuntu"
        } else if text.contains("SteamOS") {
            result["distribution"] = "SteamOS"
        } else if text.contains("Kali") || text.contains("Parrot") {
            result["distribution"] = text.contains("Kali") ? "Kali" : "Parrot"
            if let release = value(#"DISTRIB_RELEASE=[^\n]*"#) { result["distribution_release"] = .string(release) }
        } else if text.contains("Devuan") {
            result["distribution"] = "Devuan"
            if let version = value(#"VERSION_ID="[^\n]*""#) {
                result["distribution_version"] = .string(version)
                result["distribution_major_version"] = .string(version)
            }
        } else if text.contains("Mint") {
            result["distribution"] = "Linux Mint"
            if let version = value(#"VERSION_ID="[^\n]*""#) {
                result["distribution_version"] = .string(version)
                result["distribution_major_version"] = .string(String(version.split(separator: ".").first ?? ""))
            }
        } else if text.contains("LMDE") {
            result["distribution"] = "Linux Mint Debian Edition"
        } else {
            return nil
        }
        return result
    }

    /// The text inside the first parentheses: "12 (bookworm)" → "bookworm".
    static func parenthesised(_ text: String) -> String? {
        guard let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") else { return nil }
        let inner = text[text.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
        return inner.isEmpty ? nil : inner
    }

    mutating func collectLSB() {
        var lsb = OrderedDict()
        if sections.exists("@lsb_minimal") {
            // What lsb-release-minimal prints, computed from the os-release file it reads.
            let osRelease = FactKeyValueFile(sections.file("/etc/os-release") ?? sections.file("/usr/lib/os-release") ?? "")
            let rawID = osRelease["ID"] ?? ""
            var id = rawID.prefix(1).uppercased() + rawID.dropFirst()
            if let name = osRelease["NAME"], name.lowercased() == id.lowercased() { id = name }
            func value(_ text: String?) -> Value { .string(text.flatMap { $0.isEmpty ? nil : $0 } ?? "n/a") }
            lsb["id"] = value(id)
            lsb["description"] = value(osRelease["PRETTY_NAME"])
            lsb["release"] = value(osRelease["VERSION_ID"])
            lsb["codename"] = value(osRelease["VERSION_CODENAME"])
        } else if let output = sections.command("lsb_release") {
            let keys = ["Distributor ID": "id", "Description": "description", "Release": "release", "Codename": "codename"]
            for line in output.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, let key = keys[parts[0].trimmingCharacters(in: .whitespaces)] else { continue }
                lsb[key] = .string(parts[1].trimmingCharacters(in: .whitespaces))
            }
        } else if let text = sections.file("/etc/lsb-release") {
            let file = FactKeyValueFile(text)
            let keys = ["DISTRIB_ID": "id", "DISTRIB_RELEASE": "release", "DISTRIB_DESCRIPTION": "description", "DISTRIB_CODENAME": "codename"]
            for (fileKey, key) in keys.sorted(by: { $0.key < $1.key }) {
                if let value = file[fileKey] { lsb[key] = .string(value) }
            }
        }
        if let release = lsb["release"]?.stringValue {
            lsb["major_release"] = .string(String(release.split(separator: ".", omittingEmptySubsequences: false).first ?? ""))
        }
        facts["lsb"] = .dict(Self.sorted(lsb))
    }

    /// Ansible's package manager table: the last existing path wins, then family rules.
    static let packageManagers: [(path: String, name: String)] = [
        ("/usr/bin/rpm-ostree", "atomic_container"), ("/usr/bin/yum", "dnf"), ("/usr/bin/dnf-3", "dnf"),
        ("/usr/bin/dnf5", "dnf5"), ("/usr/bin/apt-get", "apt"), ("/usr/bin/zypper", "zypper"),
        ("/usr/sbin/urpmi", "urpmi"), ("/usr/bin/pacman", "pacman"), ("/bin/opkg", "opkg"),
        ("/usr/pkg/bin/pkgin", "pkgin"), ("/opt/local/bin/pkgin", "pkgin"), ("/opt/tools/bin/pkgin", "pkgin"),
        ("/opt/local/bin/port", "macports"), ("/usr/local/bin/brew", "homebrew"), ("/opt/homebrew/bin/brew", "homebrew"),
        ("/sbin/apk", "apk"), ("/usr/sbin/pkg", "pkgng"), ("/usr/sbin/swlist", "swdepot"), ("/usr/bin/emerge", "portage"),
        ("/usr/sbin/pkgadd", "svr4pkg"), ("/usr/bin/pkg", "pkg5"), ("/usr/bin/xbps-install", "xbps"),
        ("/usr/local/sbin/pkg", "pkgng"), ("/usr/bin/swupd", "swupd"), ("/usr/sbin/sorcery", "sorcery"),
        ("/usr/bin/installp", "installp"),
    ]

    mutating func collectPackageManager() {
        let family = facts["os_family"]?.stringValue ?? ""
        var manager = "unknown"
        for entry in Self.packageManagers where sections.exists(entry.path) {
            if family == "Altlinux" && entry.path == "/usr/bin/pkg" { continue }
            manager = entry.name
        }
        if family == "RedHat" {
            manager = "unknown"
            if sections.exists("/run/ostree-booted") {
                manager = "atomic_container"
            } else {
                for path in ["/usr/bin/dnf", "/usr/bin/microdnf"] where sections.exists(path) {
                    let target = sections.command("realpath:\(path)") ?? path
                    manager = target == "/usr/bin/dnf5" ? "dnf5" : "dnf"
                    break
                }
            }
        } else if family == "Debian" {
            manager = "apt"
        } else if family == "Altlinux" && manager == "apt" {
            manager = "apt_rpm"
        }
        if manager == "apt" && sections.command("apt_rpm") == "yes" { manager = "apt_rpm" }
        facts["pkg_mgr"] = .string(manager)
    }

    mutating func collectServiceManager() {
        let aliases = ["procd": "openwrt_init", "runit-init": "runit", "svscan": "svc", "openrc-init": "openrc"]
        var processOne = sections.file("/proc/1/comm")
        if processOne == nil, let ps = sections.command("ps1"), ps != "COMMAND",
           ps.range(of: #"^ *[0-9]+ "#, options: .regularExpression) == nil {
            processOne = ps
        }
        if processOne == nil { processOne = sections.command("sbin_init") }
        if let value = processOne {
            let base = String(value.split(separator: "/").last ?? "").trimmingCharacters(in: .whitespaces)
            processOne = (base == "init" || base.hasSuffix("sh") || base.isEmpty) ? nil : base
        }
        let systemctl = sections.exists("@systemctl")
        let manager: String
        if let name = processOne {
            manager = aliases[name] ?? name
        } else if facts["distribution"]?.stringValue == "OpenWrt" {
            manager = "openwrt_init"
        } else if systemctl && ["/run/systemd/system/", "/dev/.run/systemd/", "/dev/.systemd/"].contains(where: sections.exists) {
            manager = "systemd"
        } else if sections.exists("@initctl") && sections.exists("/etc/init/") {
            manager = "upstart"
        } else if sections.exists("/sbin/openrc") {
            manager = "openrc"
        } else if systemctl && sections.command("sbin_init").map({ $0.split(separator: "/").last == "systemd" }) == true {
            manager = "systemd"
        } else if sections.exists("/etc/init.d/") {
            manager = "sysvinit"
        } else if sections.exists("/etc/dinit.d/") {
            manager = "dinit"
        } else {
            manager = "service"
        }
        facts["service_mgr"] = .string(manager)
        if collectors.contains("systemd"), let output = sections.command("systemd_version") {
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            let words = lines.first?.split(separator: " ") ?? []
            if words.count > 1, let version = Int(words[1]) {
                facts["systemd"] = ["features": .string(lines.count > 1 ? String(lines[1]) : ""), "version": .int(version)]
            }
        }
    }
}
