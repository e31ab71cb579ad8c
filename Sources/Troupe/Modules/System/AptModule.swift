import Foundation
import Jinja

/// `apt`: installs, upgrades and removes Debian packages with apt-get and dpkg (no
/// python-apt): dpkg-query for what is installed, `apt-cache policy` for candidates.
public struct AptModule: RemoteModule {
    /// The module's name, `apt` (also reached as `ansible.builtin.apt`).
    public let name = "apt"
    /// Check mode is supported: apt-get runs with --simulate.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    static let zeroChanges = "\n0 upgraded, 0 newly installed, 0 to remove"
    static let environment = "DEBIAN_FRONTEND=noninteractive DEBIAN_PRIORITY=critical LANG=C LC_ALL=C LC_MESSAGES=C LC_CTYPE=C LANGUAGE=C; export DEBIAN_FRONTEND DEBIAN_PRIORITY LANG LC_ALL LC_MESSAGES LC_CTYPE LANGUAGE\n"

    /// Ansible's `apt` parameters.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("state", default: "present", choices: ["absent", "build-dep", "fixed", "latest", "present"]),
            .init("update_cache", .bool, aliases: ["update-cache"]), .init("update_cache_retries", .int, default: 5),
            .init("update_cache_retry_max_delay", .int, default: 12), .init("cache_valid_time", .int, default: 0),
            .init("purge", .bool, default: false), .init("package", .list, aliases: ["pkg", "name"], elements: .str),
            .init("deb", .path), .init("default_release", aliases: ["default-release"]),
            .init("install_recommends", .bool, aliases: ["install-recommends"]), .init("force", .bool, default: false),
            .init("upgrade", default: "no", choices: ["dist", "full", "no", "safe", "yes"]),
            .init("dpkg_options", default: "force-confdef,force-confold"), .init("autoremove", .bool, default: false),
            .init("autoclean", .bool, default: false), .init("fail_on_autoremove", .bool, default: false),
            .init("policy_rc_d", .int), .init("only_upgrade", .bool, default: false), .init("force_apt_get", .bool, default: false),
            .init("clean", .bool, default: false),
            .init("allow_unauthenticated", .bool, default: false, aliases: ["allow-unauthenticated"]),
            .init("allow_downgrade", .bool, default: false, aliases: ["allow-downgrade", "allow_downgrades", "allow-downgrades"]),
            .init("allow_change_held_packages", .bool, default: false), .init("lock_timeout", .int, default: 60),
            .init("auto_install_module_deps", .bool, default: true),
        ], mutuallyExclusive: [["deb", "package", "upgrade"]])
    }

    /// Ansible's `parse_diff`: apt-get's output between "Reading state information..." and
    /// the "N upgraded" line.
    static func parseDiff(_ output: String) -> Value {
        let lines = PythonText.splitLines(output)
        let start = (lines.firstIndex(of: "Resolving dependencies...") ?? lines.firstIndex(of: "Reading state information...") ?? -1) + 1
        let end = (lines.firstIndex { $0.range(of: "^[0-9]+ (packages )?upgraded", options: .regularExpression) != nil } ?? lines.count) + 1
        return ["prepared": .string(lines[min(start, lines.count)..<min(max(end, start), lines.count)].joined(separator: "\n"))]
    }

    /// Runs the requested cache update, upgrade, deb install, install or removal.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        if !["autoremove", "deb", "package", "update_cache", "upgrade"].contains(where: { key in
            key == "autoremove" || key == "upgrade" ? invocation.args.keys.contains { $0 == key } : args[key] != nil }) {
            throw ModuleFailure("one of the following is required: autoremove, deb, package, update_cache, upgrade")
        }
        var run = AptRun(args: args, shell: SystemShell(connection, invocation), check: invocation.checkMode, diff: invocation.diff)
        return .dict(try run.execute())
    }
}

/// One apt run: the parameters, the host and the apt-get command lines built from them.
struct AptRun {
    let args: OrderedDict
    let shell: SystemShell
    let check: Bool
    let diff: Bool

    var dpkgOptions: String {
        (args.string("dpkg_options") ?? "").split(separator: ",").map { "-o \"Dpkg::Options::=--\($0)\"" }.joined(separator: " ")
    }

    func aptGet(_ command: String) throws -> CommandOutput {
        try shell.script(AptModule.environment + command)
    }

    func diffValue(_ out: String) -> Value { diff ? AptModule.parseDiff(out) : .dict([:]) }

    /// The cache's age stamp: apt's update-success stamp, else the lists directory.
    func cacheTime() throws -> Int {
        let out = try shell.script("stat -c %Y /var/lib/apt/periodic/update-success-stamp 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0")
        return Int(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    mutating func execute() throws -> OrderedDict {
        var cacheTime = try cacheTime()
        var updated = false
        let valid = args.int("cache_valid_time") ?? 0
        let packages = (args["package"]?.listValue?.compactMap(\.stringValue) ?? []).filter { $0 != "*" }.map { $0.trimmingCharacters(in: .whitespaces) }
        let upgrade = args.string("upgrade") ?? "no"
        if args.flag("update_cache") || valid > 0 {
            if Date().timeIntervalSince1970 > Double(cacheTime + valid) {
                if !check {
                    var failure = ""
                    var ok = false
                    for attempt in 0..<max(1, args.int("update_cache_retries") ?? 5) {
                        let out = try aptGet("apt-get update -q")
                        if out.succeeded { ok = true; break }
                        failure = out.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
                        Thread.sleep(forTimeInterval: min(pow(2, Double(attempt)), Double(args.int("update_cache_retry_max_delay") ?? 12)))
                    }
                    if !ok { throw ModuleFailure("Failed to update apt cache after \(args.int("update_cache_retries") ?? 5) retries: \(failure.isEmpty ? "unknown reason" : failure)") }
                }
                let after = try self.cacheTime()
                updated = check || after != cacheTime
                cacheTime = after
            }
            if packages.isEmpty && upgrade == "no" && args["deb"] == nil && (args["package"]?.listValue ?? []).isEmpty {
                return ["changed": .bool(updated), "cache_updated": .bool(updated), "cache_update_time": .int(cacheTime)]
            }
        }
        if upgrade != "no" { return try self.upgrade(upgrade) }
        if let deb = args.string("deb") {
            if args.string("state") != "present" { throw ModuleFailure("deb only supports state=present") }
            return try installDebs(deb)
        }
        let all = args["package"]?.listValue?.contains("*") ?? false
        if args.string("state") == "latest" && all {
            if !packages.isEmpty { throw ModuleFailure("unable to install additional packages when upgrading all installed packages") }
            return try self.upgrade("yes")
        }
        for p in packages where p.filter({ $0 == "=" }).count > 1 { throw ModuleFailure("invalid package spec: \(p)") }
        if packages.isEmpty {
            for operation in ["autoclean", "autoremove"] where args.flag(operation) { return try cleanup(operation) }
        }
        var result: OrderedDict
        switch args.string("state") ?? "present" {
        case "absent": return try remove(packages)
        default: result = try install(packages)
        }
        result["cache_updated"] = .bool(updated)
        result["cache_update_time"] = .int(cacheTime)
        return result
    }

    /// (name, comparison, version) from `name`, `name=1.0` or `name>=1.0`.
    static func split(_ spec: String) -> (String, String?, String?) {
        if let r = spec.range(of: ">=") { return (String(spec[..<r.lowerBound]), ">=", String(spec[r.upperBound...])) }
        if let i = spec.firstIndex(of: "=") { return (String(spec[..<i]), "=", String(spec[spec.index(after: i)...])) }
        return (spec, nil, nil)
    }

    struct Status { var installed: String?; var configFiles: Bool; var candidate: String?; var known: Bool }

    /// Installed version (dpkg) and candidate (apt-cache policy) of each package, one round trip.
    func status(_ names: [String], candidates: Bool = false) throws -> [String: Status] {
        guard !names.isEmpty else { return [:] }
        let list = names.map(shellQuote).joined(separator: " ")
        // apt-cache is slow (it loads the whole cache): ask it only about packages that are
        // not installed, or when the newest version matters.
        let always = candidates ? "1" : ""
        let out = try aptGet("""
        for n in \(list); do
          s=$(dpkg-query -W -f='${db:Status-Abbrev}|${Version}' "$n" 2>/dev/null); c=""
          case "$s" in ii*|hi*) [ -n "\(always)" ] && c=$(apt-cache policy "$n" 2>/dev/null | awk '/Candidate:/{print $2; exit}') ;;
            *) c=$(apt-cache policy "$n" 2>/dev/null | awk '/Candidate:/{print $2; exit}') ;; esac
          printf '%s|%s|%s\\n' "$n" "$s" "$c"
        done
        """)
        var result: [String: Status] = [:]
        for line in PythonText.splitLines(out.stdout) {
            // name|abbrev|version|candidate; a package dpkg has never seen prints no
            // abbrev|version pair at all, so the line is name||candidate.
            var f = line.components(separatedBy: "|")
            if f.count == 3 { f.insert("", at: 2) }
            guard f.count >= 4 else { continue }
            let abbrev = f[1].trimmingCharacters(in: .whitespaces)
            let installed = abbrev.count >= 2 && "ih".contains(abbrev.first!) && abbrev.dropFirst().first == "i" ? f[2] : nil
            let candidate = f[3].isEmpty || f[3] == "(none)" ? nil : f[3]
            result[f[0]] = Status(installed: installed, configFiles: abbrev.hasPrefix("rc") || installed != nil,
                                  candidate: candidate, known: candidate != nil || !abbrev.isEmpty)
        }
        return result
    }

    /// fnmatch patterns (`*`, `?`, `[`) expanded against the package names apt knows.
    func expand(_ specs: [String]) throws -> [String] {
        var out: [String] = []
        for spec in specs {
            let (name, _, _) = Self.split(spec)
            guard name.contains(where: { "*?[".contains($0) }) else { out.append(spec); continue }
            let regex = "^" + NSRegularExpression.escapedPattern(for: name).replacingOccurrences(of: "\\*", with: ".*")
                .replacingOccurrences(of: "\\?", with: ".").replacingOccurrences(of: "\\[", with: "[").replacingOccurrences(of: "\\]", with: "]") + "$"
            let names = PythonText.splitLines(try shell.script("apt-cache pkgnames 2>/dev/null").stdout)
            let matched = names.filter { $0.range(of: regex, options: .regularExpression) != nil }.sorted()
            if matched.isEmpty { throw ModuleFailure("No package(s) matching '\(name)' available") }
            out += matched
        }
        return out
    }

    private func commonFlags() -> String {
        var flags = ""
        if args.flag("force") { flags += " --force-yes" }
        if args.flag("fail_on_autoremove") { flags += " --no-remove" }
        if args.flag("only_upgrade") { flags += " --only-upgrade" }
        if check { flags += " --simulate" }
        return flags
    }

    private func suffixFlags() -> String {
        var flags = ""
        if let release = args.string("default_release") { flags += " -t \(shellQuote(release))" }
        if let recommends = args["install_recommends"].flatMap(ArgumentSpec.boolean) { flags += " -o APT::Install-Recommends=\(recommends ? "yes" : "no")" }
        if args.flag("allow_unauthenticated") { flags += " --allow-unauthenticated" }
        if args.flag("allow_downgrade") { flags += " --allow-downgrades" }
        if args.flag("allow_change_held_packages") { flags += " --allow-change-held-packages" }
        return flags
    }

    func install(_ specs: [String]) throws -> OrderedDict {
        let expanded = try expand(specs)
        let names = expanded.map { Self.split($0).0 }
        let latest = args.string("state") == "latest"
        let states = try status(names, candidates: latest)
        var targets: [String] = []
        for spec in expanded {
            let (name, comparison, version) = Self.split(spec)
            guard let s = states[name], s.known else { throw ModuleFailure("No package matching '\(name)' is available") }
            if s.installed == nil && args.flag("only_upgrade") { continue }
            if s.installed == nil && s.candidate == nil { return ["failed": true, "msg": .string("no available installation candidate for \(spec)")] }
            if let version, comparison == "=" {
                if s.installed != version { targets.append("\(name)=\(version)") }
            } else if s.installed == nil || (latest && s.candidate != nil && s.candidate != s.installed) {
                targets.append(version.map { "\(name)=\($0)" } ?? name)
            }
        }
        guard !targets.isEmpty else {
            if !check { try markManual(names) }
            return ["changed": false]
        }
        var command = "apt-get -y \(dpkgOptions)\(commonFlags())"
        if args.flag("autoremove") { command += " --auto-remove" }
        if args.string("state") == "fixed" { command += " --fix-broken" }
        command += " \(args.string("state") == "build-dep" ? "build-dep" : "install") " + targets.map(shellQuote).joined(separator: " ") + suffixFlags()
        let out = try aptGet(command)
        if out.rc != 0 {
            throw ModuleFailure("'\(command)' failed: \(out.stderr)", ["stdout": .string(out.stdout), "stderr": .string(out.stderr), "rc": .int(out.rc)])
        }
        if !check { try markManual(names) }
        return ["changed": true, "stdout": .string(out.stdout), "stderr": .string(out.stderr), "diff": diffValue(out.stdout)]
    }

    /// `apt-mark manual` for the packages apt has marked as automatically installed (read
    /// from extended_states, so the slow apt-mark runs only when it changes something).
    func markManual(_ names: [String]) throws {
        guard !names.isEmpty else { return }
        let auto = try shell.script("awk '/^Package:/{p=$2} /^Auto-Installed: 1/{print p}' /var/lib/apt/extended_states 2>/dev/null").stdout
        let marked = Set(PythonText.splitLines(auto))
        let wanted = names.filter { marked.contains($0) }
        if !wanted.isEmpty { try shell.run(["apt-mark", "manual"] + wanted) }
    }

    func remove(_ specs: [String]) throws -> OrderedDict {
        let expanded = try expand(specs)
        let states = try status(expanded.map { Self.split($0).0 })
        let purge = args.flag("purge")
        let targets = expanded.filter { spec in
            guard let s = states[Self.split(spec).0] else { return false }
            return s.installed != nil || (s.configFiles && purge)
        }
        guard !targets.isEmpty else { return ["changed": false] }
        var command = "apt-get -q -y \(dpkgOptions)"
        if purge { command += " --purge" }
        if args.flag("force") { command += " --force-yes" }
        if args.flag("autoremove") { command += " --auto-remove" }
        if check { command += " --simulate" }
        if args.flag("allow_change_held_packages") { command += " --allow-change-held-packages" }
        command += " remove " + targets.map(shellQuote).joined(separator: " ")
        let out = try aptGet(command)
        if out.rc != 0 {
            throw ModuleFailure("'apt-get remove \(targets.map { "'\($0)'" }.joined(separator: " "))' failed: \(out.stderr)",
                                ["stdout": .string(out.stdout), "stderr": .string(out.stderr), "rc": .int(out.rc)])
        }
        return ["changed": true, "stdout": .string(out.stdout), "stderr": .string(out.stderr), "diff": diffValue(out.stdout)]
    }

    func installDebs(_ debs: String) throws -> OrderedDict {
        var toInstall: [String] = []
        for deb in debs.split(separator: ",").map(String.init) {
            let fields = try shell.script("dpkg --field \(shellQuote(deb)) Package Version")
            guard fields.succeeded else { throw ModuleFailure("dpkg --field \(deb) Package failed", ["stdout": .string(fields.stdout), "stderr": .string(fields.stderr)]) }
            var package = "", version = ""
            for line in PythonText.splitLines(fields.stdout) {
                if line.hasPrefix("Package: ") { package = String(line.dropFirst(9)) }
                if line.hasPrefix("Version: ") { version = String(line.dropFirst(9)) }
            }
            if let installed = try status([package])[package]?.installed,
               try shell.run(["dpkg", "--compare-versions", installed, "eq", version]).succeeded {
                continue
            }
            toInstall.append(deb)
        }
        guard !toInstall.isEmpty else { return ["changed": false, "stdout": "", "stderr": "", "diff": ""] }
        var options = (args.string("dpkg_options") ?? "").split(separator: ",").map { "--\($0)" }.joined(separator: " ")
        if check { options += " --simulate" }
        if args.flag("force") { options += " --force-all" }
        let command = "dpkg \(options) -i " + toInstall.map(shellQuote).joined(separator: " ")
        let out = try aptGet(command)
        guard out.succeeded else { throw ModuleFailure("\(command) failed", ["stdout": .string(out.stdout), "stderr": .string(out.stderr)]) }
        return ["changed": true, "stdout": .string(out.stdout), "stderr": .string(out.stderr), "diff": AptModule.parseDiff(out.stdout)]
    }

    func cleanup(_ operation: String) throws -> OrderedDict {
        var command = "apt-get -y \(dpkgOptions)"
        if args.flag("purge") { command += " --purge" }
        if args.flag("force") { command += " --force-yes" }
        command += " \(operation)"
        if check { command += " --simulate" }
        let out = try aptGet(command)
        if out.rc != 0 { throw ModuleFailure("'apt-get \(operation)' failed: \(out.stderr)", ["stdout": .string(out.stdout), "stderr": .string(out.stderr), "rc": .int(out.rc)]) }
        let marker = operation == "autoremove" ? "The following packages will be REMOVED" : "Del "
        return ["changed": .bool(out.stdout.contains(marker)), "stdout": .string(out.stdout), "stderr": .string(out.stderr), "diff": diffValue(out.stdout)]
    }

    func upgrade(_ mode: String) throws -> OrderedDict {
        let verb = mode == "dist" || mode == "full" ? "dist-upgrade" : "upgrade --with-new-pkgs"
        var command = "apt-get -y \(dpkgOptions)\(args.flag("force") ? " --force-yes" : "")\(check ? " --simulate" : "")"
        if args.flag("autoremove") { command += " --auto-remove" }
        if args.flag("fail_on_autoremove") { command += " --no-remove" }
        if args.flag("allow_unauthenticated") { command += " --allow-unauthenticated" }
        if args.flag("allow_downgrade") { command += " --allow-downgrades" }
        command += " \(verb)"
        let out = try aptGet(command)
        if out.rc != 0 { throw ModuleFailure("'apt-get \(verb)' failed: \(out.stderr)", ["stdout": .string(out.stdout), "rc": .int(out.rc)]) }
        let changed = !out.stdout.contains(AptModule.zeroChanges)
        var result: OrderedDict = ["changed": .bool(changed), "msg": .string(out.stdout), "stdout": .string(out.stdout), "stderr": .string(out.stderr)]
        if changed { result["diff"] = diffValue(out.stdout) }
        return result
    }
}
