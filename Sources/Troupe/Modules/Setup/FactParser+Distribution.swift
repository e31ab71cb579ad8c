import Foundation
import Jinja

/// Distribution, LSB and package/service manager facts.
extension FactParser {
    /// Ansible's distribution name for an os-release `ID`, where plain capitalisation is wrong.
    static let distributionNames: [String: String] = [
        "rhel": "RedHat", "centos": "CentOS", "rocky": "Rocky", "almalinux": "AlmaLinux", "ol": "OracleLinux",
        "amzn": "Amazon", "fedora": "Fedora", "debian": "Debian", "ubuntu": "Ubuntu", "alpine": "Alpine",
        "arch": "Archlinux", "archarm": "Archlinux", "gentoo": "Gentoo", "opensuse-leap": "openSUSE Leap",
        "opensuse-tumbleweed": "openSUSE Tumbleweed", "opensuse": "openSUSE", "opensuse-microos": "openSUSE MicroOS",
        "sles": "SLES", "sles_sap": "SLES_SAP", "sled": "SLED", "linuxmint": "Linux Mint", "kali": "Kali",
        "pop": "Pop!_OS", "cloudlinux": "CloudLinux", "euleros": "EulerOS", "openeuler": "openEuler",
        "virtuozzo": "Virtuozzo", "clear-linux-os": "ClearLinux", "flatcar": "Flatcar", "devuan": "Devuan",
        "raspbian": "Debian", "nixos": "NixOS",
    ]

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
        let osReleasePath = sections.files["/etc/os-release"] != nil ? "/etc/os-release" : "/usr/lib/os-release"
        let osReleaseText = sections.file(osReleasePath) ?? ""
        let osRelease = KeyValueFile(osReleaseText)
        let id = (osRelease["ID"] ?? "").lowercased()

        // The guess, from os-release alone.
        var name = Self.distributionNames[id] ?? (id.isEmpty ? "OtherLinux" : Self.capitalized(id))
        var version = osRelease["VERSION_ID"] ?? ""
        if id == "debian", let full = sections.file("/etc/debian_version"), full.first?.isNumber == true {
            version = full
        }
        if id == "centos", let text = sections.file("/etc/centos-release"),
           let match = text.range(of: #"\d+(\.\d+)*"#, options: .regularExpression) {
            version = text[match].split(separator: ".").prefix(2).joined(separator: ".")
        }
        var release = osRelease["VERSION_CODENAME"] ?? osRelease["UBUNTU_CODENAME"]
        if release == nil, let parenthesised = Self.parenthesised(osRelease["VERSION"] ?? "") { release = parenthesised }
        var result: OrderedDict = .of([
            "distribution": .string(name),
            "distribution_version": .string(version.isEmpty ? "NA" : version),
            "distribution_release": .string(release.flatMap { $0.isEmpty ? nil : $0 } ?? "NA"),
        ])
        var major = String(version.split(separator: ".", omittingEmptySubsequences: false).first ?? "")
        var minor: String?

        // The distribution file that identifies the system, in Ansible's search order.
        func found(_ variety: String, _ path: String) {
            result["distribution_file_path"] = .string(path)
            result["distribution_file_variety"] = .string(variety)
            result["distribution_file_parsed"] = true
        }
        if let text = sections.file("/etc/oracle-release"), text.contains("Oracle Linux") {
            name = "OracleLinux"; found("OracleLinux", "/etc/oracle-release")
        } else if let text = sections.file("/etc/centos-release"), text.contains("CentOS Stream") {
            name = "CentOS"; result["distribution_release"] = "Stream"; found("CentOS", "/etc/centos-release")
        } else if let text = sections.file("/etc/redhat-release") {
            name = text.contains("Red Hat") ? "RedHat" : String(text.split(separator: " ").first ?? "RedHat")
            if let codename = Self.parenthesised(text) { result["distribution_release"] = .string(codename) }
            found("RedHat", "/etc/redhat-release")
        } else if osReleaseText.contains("Amazon") {
            name = "Amazon"; found("Amazon", osReleasePath)
        } else if let text = sections.file("/etc/alpine-release") {
            name = "Alpine"
            version = text
            result["distribution_version"] = .string(text)
            major = String(text.split(separator: ".").first ?? "")
            found("Alpine", "/etc/alpine-release")
        } else if sections.exists("/etc/arch-release") {
            name = "Archlinux"; found("Archlinux", "/etc/arch-release")
        } else if osReleaseText.lowercased().contains("suse") {
            found("SUSE", osReleasePath)
        } else if sections.file("/etc/gentoo-release") != nil {
            name = "Gentoo"; found("Gentoo", "/etc/gentoo-release")
        } else if osReleaseText.contains("Debian") || osReleaseText.contains("Raspbian") {
            name = "Debian"
            if let codename = Self.parenthesised(osRelease["PRETTY_NAME"] ?? "") { result["distribution_release"] = .string(codename) }
            if let full = sections.file("/etc/debian_version"),
               let match = full.range(of: #"(\d+)\.(\d+)"#, options: .regularExpression) {
                minor = String(full[match].split(separator: ".").last ?? "")
            }
            found("Debian", osReleasePath)
        } else if osReleaseText.contains("Ubuntu") {
            name = "Ubuntu"; found("Debian", osReleasePath)
        } else if osReleaseText.contains("Mint") {
            name = "Linux Mint"; found("Debian", osReleasePath)
        } else if osReleaseText.contains("Kali") {
            name = "Kali"; found("Debian", osReleasePath)
        } else if !osReleaseText.isEmpty {
            if let pretty = osRelease["NAME"], id.isEmpty { name = pretty }
            found("NA", osReleasePath)
        }
        result["distribution"] = .string(name)
        result["distribution_major_version"] = .string(major.isEmpty ? "NA" : major)
        if let minor { result["distribution_minor_version"] = .string(minor) }
        result["os_family"] = .string(Self.osFamilies[name] ?? name)
        facts.merge(result)
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
            let osRelease = KeyValueFile(sections.file("/etc/os-release") ?? sections.file("/usr/lib/os-release") ?? "")
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
            let file = KeyValueFile(text)
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
