import Foundation
import Jinja

/// `dnf` (also `yum`, which ansible-core 2.19 runs as dnf): installs, upgrades and removes
/// RPM packages with the dnf command line; `rpm -q` says what is installed and
/// `dnf check-update` what can be upgraded.
public struct DnfModule: RemoteModule {
    /// `dnf` or `yum`.
    public let name: String
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the module under one of its names.
    public init(name: String = "dnf") { self.name = name }

    /// Ansible's shared yum/dnf parameters plus `use_backend`.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("allow_downgrade", .bool, default: false), .init("allowerasing", .bool, default: false),
            .init("autoremove", .bool, default: false), .init("best", .bool), .init("bugfix", .bool, default: false),
            .init("cacheonly", .bool, default: false), .init("conf_file"), .init("disable_excludes"),
            .init("disable_gpg_check", .bool, default: false), .init("disable_plugin", .list, default: [], elements: .str),
            .init("disablerepo", .list, default: [], elements: .str), .init("download_only", .bool, default: false),
            .init("download_dir"), .init("enable_plugin", .list, default: [], elements: .str),
            .init("enablerepo", .list, default: [], elements: .str), .init("exclude", .list, default: [], elements: .str),
            .init("installroot", default: "/"), .init("install_repoquery", .bool, default: true),
            .init("install_weak_deps", .bool, default: true), .init("list"),
            .init("name", .list, default: [], aliases: ["pkg"], elements: .str), .init("nobest", .bool), .init("releasever"),
            .init("security", .bool, default: false), .init("skip_broken", .bool, default: false),
            .init("state", choices: ["absent", "installed", "latest", "present", "removed"]),
            .init("update_cache", .bool, default: false, aliases: ["expire-cache"]), .init("update_only", .bool, default: false),
            .init("validate_certs", .bool, default: true), .init("sslverify", .bool, default: true),
            .init("lock_timeout", .int, default: 30),
            .init("use_backend", default: "auto", choices: ["auto", "dnf", "yum", "yum4", "dnf4", "dnf5"]),
        ], mutuallyExclusive: [["name", "list"], ["best", "nobest"]])
    }

    /// dnf's options for the parameters that map to command-line flags.
    private func options(_ args: OrderedDict) -> [String] {
        var o: [String] = []
        if let conf = args.string("conf_file") { o += ["--config", conf] }
        for r in args["disablerepo"]?.listValue?.compactMap(\.stringValue) ?? [] { o.append("--disablerepo=\(r)") }
        for r in args["enablerepo"]?.listValue?.compactMap(\.stringValue) ?? [] { o.append("--enablerepo=\(r)") }
        for p in args["disable_plugin"]?.listValue?.compactMap(\.stringValue) ?? [] { o.append("--disableplugin=\(p)") }
        for p in args["enable_plugin"]?.listValue?.compactMap(\.stringValue) ?? [] { o.append("--enableplugin=\(p)") }
        for e in args["exclude"]?.listValue?.compactMap(\.stringValue) ?? [] { o.append("--exclude=\(e)") }
        if let root = args.string("installroot"), root != "/" { o.append("--installroot=\(root)") }
        if let release = args.string("releasever") { o.append("--releasever=\(release)") }
        if let disable = args.string("disable_excludes") { o.append("--disableexcludes=\(disable)") }
        if args.flag("disable_gpg_check") { o.append("--nogpgcheck") }
        if args.flag("cacheonly") { o.append("--cacheonly") }
        if args.flag("allowerasing") { o.append("--allowerasing") }
        if args["best"].flatMap(ArgumentSpec.boolean) == true { o.append("--best") }
        if args["nobest"].flatMap(ArgumentSpec.boolean) == true { o.append("--nobest") }
        if args.flag("skip_broken") { o.append("--skip-broken") }
        if args.flag("security") { o.append("--security") }
        if args.flag("bugfix") { o.append("--bugfix") }
        if !args.flag("install_weak_deps") { o.append("--setopt=install_weak_deps=False") }
        if !args.flag("sslverify") || !args.flag("validate_certs") { o.append("--setopt=sslverify=False") }
        if args.flag("download_only") { o.append("--downloadonly") }
        if let dir = args.string("download_dir") { o.append("--downloaddir=\(dir)") }
        return o
    }

    /// Installs, upgrades or removes the named packages; reports dnf's `results` lines.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let names = args["name"]?.listValue?.compactMap(\.stringValue).flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        if names.isEmpty && args["list"] == nil && !args.flag("update_cache") && !args.flag("autoremove") {
            throw ModuleFailure("one of the following is required: name, list, update_cache")
        }
        let shell = SystemShell(connection, invocation)
        let dnf = try shell.which("dnf") ?? shell.which("dnf5") ?? shell.which("yum")
        guard let dnf else { throw ModuleFailure("Could not find dnf, dnf5 or yum on the host.") }
        let check = invocation.checkMode
        let opts = options(args)
        func run(_ verb: [String], _ packages: [String]) throws -> CommandOutput {
            let out = try shell.script("LANG=C LC_ALL=C; export LANG LC_ALL\n" + SystemShell.commandLine([dnf, "-y"] + opts + verb + packages))
            if !out.succeeded {
                throw ModuleFailure(out.stderr.isEmpty ? out.stdout : out.stderr, ["rc": .int(out.rc), "results": .list([])])
            }
            return out
        }
        if let list = args.string("list") {
            let out = try shell.script("LANG=C LC_ALL=C \(shellQuote(dnf)) -q list \(list == "installed" || list == "available" || list == "updates" ? list : shellQuote(list))")
            let rows = PythonText.splitLines(out.stdout).compactMap { line -> Value? in
                let f = PythonText.whitespaceSplit(line)
                guard f.count >= 3, f[0].contains(".") else { return nil }
                let dot = f[0].lastIndex(of: ".")!
                return ["name": .string(String(f[0][..<dot])), "arch": .string(String(f[0][f[0].index(after: dot)...])),
                        "version": .string(f[1]), "repo": .string(f[2]), "yumstate": .string(f[2].hasPrefix("@") ? "installed" : "available")]
            }
            return ["changed": false, "msg": "", "results": .list(rows), "rc": 0]
        }
        if args.flag("update_cache") && !check { _ = try run(["makecache"], []) }
        if names.isEmpty {
            if args.flag("autoremove") {
                let out = check ? CommandOutput(rc: 0, stdout: "", stderr: "") : try run(["autoremove"], [])
                let removed = PythonText.splitLines(out.stdout).contains { $0.hasPrefix("Removed") || $0.hasPrefix("Removing") }
                return ["changed": .bool(removed), "msg": .string(removed ? "" : "Nothing to do"), "results": .list([]), "rc": 0]
            }
            return ["changed": false, "msg": "Cache updated", "results": .list([]), "rc": 0]
        }
        var state = args.string("state") ?? (args.flag("autoremove") ? "absent" : "present")
        if state == "installed" { state = "present" }
        if state == "removed" { state = "absent" }
        // One rpm query for all names: NAME, then the installed NEVRA or nothing.
        let query = names.map { "printf '%s\\t%s\\n' \(shellQuote($0)) \"$(rpm -q --qf '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n' --whatprovides \(shellQuote($0)) 2>/dev/null | head -n1)\"" }
        var installed: [String: String] = [:]
        for line in PythonText.splitLines(try shell.script(query.joined(separator: "\n")).stdout) {
            let f = line.components(separatedBy: "\t")
            if f.count == 2, !f[1].isEmpty, !f[1].contains("no package provides"), !f[1].contains("is not installed") { installed[f[0]] = f[1] }
        }
        var results: [Value] = []
        var changed = false
        switch state {
        case "absent":
            let targets = names.filter { installed[$0] != nil }
            if !targets.isEmpty {
                changed = true
                results = targets.map { .string("Removed: \(installed[$0]!)") }
                if !check { _ = try run(["remove"], targets) }
            }
        case "latest":
            let missing = names.filter { installed[$0] == nil }
            var upgradable: [String] = []
            for name in names where installed[name] != nil {
                let out = try shell.script("LANG=C LC_ALL=C \(SystemShell.commandLine([dnf, "-q", "check-update"] + opts + [name]))")
                if out.rc == 100 { upgradable.append(name) }
            }
            if !missing.isEmpty && args.flag("update_only") == false {
                changed = true
                results += missing.map { .string("Installed: \($0)") }
                if !check { _ = try run(["install"], missing) }
            }
            if !upgradable.isEmpty {
                changed = true
                results += upgradable.map { .string("Upgraded: \($0)") }
                if !check { _ = try run(["upgrade"], upgradable) }
            }
        default:
            let missing = names.filter { installed[$0] == nil }
            if !missing.isEmpty {
                changed = true
                results = missing.map { .string("Installed: \($0)") }
                if !check { _ = try run(args.flag("allow_downgrade") ? ["install", "--allowerasing"] : ["install"], missing) }
            }
        }
        if changed && !check && state != "absent" {
            // Name the installed packages the way dnf reports them (name-version-release.arch).
            let after = try shell.script(names.map { "rpm -q --qf '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n' --whatprovides \(shellQuote($0)) 2>/dev/null | head -n1" }.joined(separator: "\n"))
            let nevras = PythonText.splitLines(after.stdout)
            results = results.enumerated().map { i, v in
                guard let text = v.stringValue, let colon = text.firstIndex(of: ":"),
                      let index = names.firstIndex(of: String(text[text.index(colon, offsetBy: 2)...])), index < nevras.count else { return v }
                return .string(String(text[..<colon]) + ": " + nevras[index])
            }
        }
        if changed && !check && args.flag("autoremove") && state == "absent" { _ = try run(["autoremove"], []) }
        if check && changed {
            return ["changed": true, "msg": "Check mode: No changes made, but would have if not in check mode", "results": .list(results), "rc": 0]
        }
        return ["changed": .bool(changed), "msg": .string(changed ? "" : "Nothing to do"), "results": .list(results), "rc": 0]
    }
}
