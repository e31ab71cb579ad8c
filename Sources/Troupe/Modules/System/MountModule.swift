import Foundation
import Jinja

/// `mount` (ansible.posix): keeps an fstab entry and the mount state of a path in line
/// (Linux `mount`/`umount`, `-T` for an alternative fstab).
public struct MountModule: RemoteModule {
    /// The module's name, `mount` (also reached as `ansible.posix.mount`).
    public let name = "mount"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// ansible.posix's `mount` parameters.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("boot", .bool, default: true), .init("dump", default: "0"), .init("fstab"), .init("fstype"),
            .init("path", .path, required: true, aliases: ["name"]), .init("opts"), .init("opts_no_log", .bool, default: false),
            .init("passno", default: "0"), .init("src", .path), .init("backup", .bool, default: false),
            .init("state", required: true, choices: ["absent", "absent_from_fstab", "mounted", "present", "unmounted", "remounted", "ephemeral"]),
        ])
    }

    /// One run: the merged entry (`args` as Ansible reports them) and the host.
    struct Run {
        var entry: OrderedDict
        let params: OrderedDict
        let shell: SystemShell
        let check: Bool
        var state: String { params.string("state") ?? "" }
        var fstab: String { entry.string("fstab") ?? "/etc/fstab" }
        var path: String { entry.string("name") ?? "" }
    }

    /// Edits the fstab entry and mounts, unmounts or remounts as `state` asks.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let state = args.string("state") ?? ""
        if ["mounted", "present", "ephemeral"].contains(state) {
            let missing = ["src", "fstype"].filter { args[$0] == nil }
            if !missing.isEmpty { throw ModuleFailure("state is \(state) but all of the following are missing: \(missing.joined(separator: ", "))") }
        }
        var entry: OrderedDict = ["name": .string(args.string("path") ?? ""), "opts": "defaults", "dump": "0", "passno": "0",
                                  "fstab": .string(args.string("fstab") ?? "/etc/fstab"), "boot": "yes"]
        for key in ["src", "fstype", "passno", "opts", "dump", "fstab"] { if let v = args[key] { entry[key] = v } }
        var warnings: [String] = []
        var opts = (entry.string("opts") ?? "").components(separatedBy: ",")
        if args.flag("boot") && opts.contains("noauto") {
            warnings.append("Ignore the 'boot' due to 'opts' contains 'noauto'.")
        } else if !args.flag("boot") {
            entry["boot"] = "no"
            opts.append("noauto")
            entry["opts"] = .string(opts.joined(separator: ","))
        }
        entry["backup_file"] = ""
        var run = Run(entry: entry, params: args, shell: SystemShell(connection, invocation), check: invocation.checkMode)
        if state != "ephemeral" {
            let f = shellQuote(run.fstab)
            let out = try run.shell.script("[ -e \(f) ] || { mkdir -p -- \"$(dirname -- \(f))\" && : >> \(f); }")
            if !out.succeeded { throw ModuleFailure("Failed to open \(run.fstab) due to \(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines))") }
        }
        let changed = try run.apply()
        var result: OrderedDict = ["changed": .bool(changed)]
        for (k, v) in run.entry { result[k] = v }
        if !warnings.isEmpty { result["warnings"] = .list(warnings.map { .string($0) }) }
        return .dict(result)
    }
}

extension MountModule.Run {
    static func escape(_ v: String) -> String {
        v.replacingOccurrences(of: "\\", with: "\\134").replacingOccurrences(of: " ", with: "\\040").replacingOccurrences(of: "&", with: "\\046")
    }

    mutating func apply() throws -> Bool {
        switch state {
        case "absent_from_fstab":
            return try unset()
        case "absent":
            let changed = try unset()
            if changed && !check {
                if try isMounted() { try expectSuccess(umount(), "Error unmounting \(path)") }
                let out = try shell.script("[ -e \(shellQuote(path)) ] || exit 0; rmdir -- \(shellQuote(path))")
                if !out.succeeded { throw ModuleFailure("Error rmdir \(path): \(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines))") }
            }
            return changed
        case "unmounted":
            guard try isMounted() else { return false }
            if !check { try expectSuccess(umount(), "Error unmounting \(path)") }
            return true
        case "mounted", "ephemeral":
            var created: [String] = []
            if !check {
                let out = try shell.script("""
                p=\(shellQuote(path)); c=""
                for d in $(echo "$p" | tr '/' ' '); do c="$c/$d"; [ -e "$c" ] || { mkdir -- "$c" || exit 1; echo "$c"; }; done
                """)
                if !out.succeeded { throw ModuleFailure("Error making dir \(path): \(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines))") }
                created = PythonText.splitLines(out.stdout)
            }
            var changed = false
            var oldLines: [String] = []
            if state != "ephemeral" { (oldLines, changed) = try set() }
            var failure: String?
            if try isMounted() {
                if changed && !check { failure = try remount() }
                if state == "ephemeral" {
                    guard try sameSource() else {
                        throw ModuleFailure("Ephemeral mount point is already mounted with a different source than the specified one. Failing in order to prevent an unwanted unmount or override operation. Try replacing this command with a \"state: unmounted\" followed by a \"state: ephemeral\", or use a different destination path.")
                    }
                    changed = true
                    if !check { failure = try remount() }
                }
            } else {
                changed = true
                if !check { failure = try mount() }
            }
            if let failure {
                if state != "ephemeral" { _ = try? writeFstab(oldLines, backup: false) }
                for dir in created.reversed() { _ = try? shell.script("rmdir -- \(shellQuote(dir))") }
                throw ModuleFailure("Error mounting \(path): \(failure)")
            }
            return changed
        case "present":
            return try set().changed
        case "remounted":
            if !check, let failure = try remount() { throw ModuleFailure("Error remounting \(path): \(failure)") }
            return true
        default:
            throw ModuleFailure("Unexpected position reached")
        }
    }

    private func expectSuccess(_ failure: String?, _ what: String) throws {
        if let failure { throw ModuleFailure("\(what): \(failure)") }
    }

    private func readFstab() throws -> [String] {
        let out = try shell.script("cat -- \(shellQuote(fstab))")
        guard out.succeeded else { throw ModuleFailure("Failed to open \(fstab) due to \(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines))") }
        return TextFileEditor.lines(out.stdout)
    }

    private mutating func writeFstab(_ lines: [String], backup: Bool) throws {
        if backup && params.flag("backup") { entry["backup_file"] = .string(try shell.ops.backup(fstab)) }
        let stat = try shell.ops.stat(fstab, follow: true)
        try shell.ops.write(Data(lines.joined().utf8), to: fstab, replacing: stat)
    }

    private func isOtherEntry(_ fields: [String: String]) -> Bool {
        let escapedName = Self.escape(path)
        if fields["name"] != escapedName { return true }
        if let src = entry.string("src"), fields["name"] == "none", fields["fstype"] == "swap", fields["src"] != src { return true }
        return false
    }

    /// Adds or updates the entry; returns the old lines and whether it changed.
    private mutating func set() throws -> (oldLines: [String], changed: Bool) {
        var output: [String] = [], old: [String] = []
        var exists = false, changed = false
        let labels = ["src", "name", "fstype", "opts", "dump", "passno"]
        var escaped: [String: String] = [:]
        for k in labels { escaped[k] = Self.escape(entry.string(k) ?? "") }
        func render(_ d: [String: String]) -> String { labels.map { d[$0] ?? "" }.joined(separator: " ") + "\n" }
        for var line in try readFstab() {
            if !line.hasSuffix("\n") { line += "\n" }
            old.append(line)
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { output.append(line); continue }
            let fields = PythonText.whitespaceSplit(String(line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]))
            guard (4...6).contains(fields.count) else { output.append(line); continue }
            var d: [String: String] = ["dump": "0", "passno": "0"]
            for (i, f) in fields.enumerated() { d[labels[i]] = f }
            if isOtherEntry(d) { output.append(line); continue }
            exists = true
            var lineChanged = false
            for k in ["src", "fstype", "opts", "dump", "passno"] where d[k] != escaped[k] {
                d[k] = escaped[k]
                lineChanged = true
            }
            changed = changed || lineChanged
            output.append(changed ? render(d) : line)
        }
        if !exists { output.append(render(escaped)); changed = true }
        if changed && !check { try writeFstab(output, backup: true) }
        return (old, changed)
    }

    /// Removes the entry from fstab; returns whether it was there.
    private mutating func unset() throws -> Bool {
        var output: [String] = []
        var changed = false
        for line in try readFstab() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            let fields = PythonText.whitespaceSplit(line)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || fields.count != 6 { output.append(line); continue }
            let d = Dictionary(uniqueKeysWithValues: zip(["src", "name", "fstype", "opts", "dump", "passno"], fields))
            if isOtherEntry(d) { output.append(line); continue }
            changed = true
        }
        if changed && !check { try writeFstab(output, backup: true) }
        return changed
    }

    /// Whether `path` is a mount point (listed in /proc/self/mountinfo, octal escapes decoded).
    private func isMounted() throws -> Bool {
        let out = try shell.script("""
        p=\(shellQuote(path))
        mountpoint -q -- "$p" 2>/dev/null && exit 0
        awk -v p="$p" '{ m=$5; gsub(/\\\\040/, " ", m); gsub(/\\\\011/, "\\t", m); gsub(/\\\\134/, "\\\\", m); if (m == p) { f=1 } } END { exit f ? 0 : 1 }' /proc/self/mountinfo 2>/dev/null
        """)
        return out.succeeded
    }

    private func sameSource() throws -> Bool {
        let out = try shell.script("findmnt -n -o SOURCE --target \(shellQuote(path)) 2>/dev/null || awk -v p=\(shellQuote(path)) '$5==p{print $(NF-1)}' /proc/self/mountinfo")
        let sources = PythonText.whitespaceSplit(out.stdout)
        return sources.contains(entry.string("src") ?? "")
    }

    private var fstabArguments: [String] {
        guard state != "ephemeral", fstab != "/etc/fstab" else { return [] }
        return ["-T", fstab]
    }

    private var ephemeralArguments: [String] {
        guard state == "ephemeral" else { return [] }
        var out = ["-t", entry.string("fstype") ?? ""]
        if let opts = entry.string("opts"), opts != "defaults" { out += ["-o", opts] }
        return out + [entry.string("src") ?? ""]
    }

    private func command(_ argv: [String]) throws -> String? {
        _ = try shell.requireProgram(argv[0])
        let out = try shell.run(argv)
        return out.succeeded ? nil : out.stdout + out.stderr
    }

    private func mount() throws -> String? { try command(["mount"] + fstabArguments + ephemeralArguments + [path]) }
    private func umount() throws -> String? { try command(["umount", path]) }

    /// `mount -o remount`, falling back to umount + mount.
    private func remount() throws -> String? {
        let opts = entry.string("opts") ?? "defaults"
        let remountOpts = state == "remounted" && opts != "defaults" ? "remount," + opts : "remount"
        guard let failure = try command(["mount", "-o", remountOpts] + fstabArguments + ephemeralArguments + [path]) else { return nil }
        _ = failure
        if state == "remounted" && opts != "defaults" {
            throw ModuleFailure("Options were specified with remounted, but the remount command failed. Failing in order to prevent an unexpected mount result. Try replacing this command with a \"state: unmounted\" followed by a \"state: mounted\" using the full desired mount options instead.")
        }
        if let umountFailure = try umount() { return umountFailure }
        return try mount()
    }
}
