import Foundation
import Jinja

/// `sysctl` (ansible.posix): keeps a kernel parameter in a sysctl file and, optionally, in
/// the running kernel (`sysctl -w`, `sysctl -p`).
public struct SysctlModule: RemoteModule {
    /// The module's name, `sysctl` (also reached as `ansible.posix.sysctl`).
    public let name = "sysctl"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// ansible.posix's `sysctl` parameters plus the common file attributes.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("name", required: true, aliases: ["key"]), .init("value", aliases: ["val"]),
            .init("state", default: "present", choices: ["present", "absent"]), .init("reload", .bool, default: true),
            .init("sysctl_set", .bool, default: false), .init("ignoreerrors", .bool, default: false),
            .init("sysctl_file", .path, default: "/etc/sysctl.conf"),
        ] + FileAttributesHelper.parameters)
    }

    /// sysctl exits 0 on some failures; these stderr lines still mean the value was refused.
    private static let refusal = #"(?m)^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$"#
    private static let locale = "LANG=C LC_ALL=C LC_MESSAGES=C "

    /// Compares the file's and the kernel's value with the wanted one and reconciles them.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let state = args.string("state") ?? "present"
        let key = (args.string("name") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if key.isEmpty { throw ModuleFailure("name cannot be blank") }
        if state == "present" && args["value"] == nil { throw ModuleFailure("state is present but all of the following are missing: value") }
        let value = Self.normalise(args.string("value"))
        if state == "present" && value.isEmpty { throw ModuleFailure("value cannot be blank") }
        let shell = SystemShell(connection, invocation)
        _ = try shell.requireProgram("sysctl")
        let file = try shell.ops.expandUser(args.string("sysctl_file") ?? "/etc/sysctl.conf")
        let current = try shell.script(Self.locale + "sysctl -e -n \(shellQuote(key))")
        let kernelValue: String? = current.succeeded ? current.stdout : nil
        let read = try shell.script("[ -f \(shellQuote(file)) ] || exit 0; cat -- \(shellQuote(file))")
        guard read.succeeded else { throw ModuleFailure("Failed to open \(file): \(read.stderr.trimmingCharacters(in: .whitespacesAndNewlines))") }

        var fileValues: [String: String] = [:]
        var fixed: [String] = []
        var seen: Set<String> = []
        for raw in TextFileEditor.lines(read.stdout) {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix(";"), let eq = line.firstIndex(of: "=") else { fixed.append(line); continue }
            let k = line[..<eq].trimmingCharacters(in: .whitespaces), v = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            fileValues[k] = v
            guard seen.insert(k).inserted else { continue }
            if k == key {
                if state == "present" { fixed.append("\(k)=\(value)") }
            } else {
                fixed.append("\(k)=\(v)")
            }
        }
        if !seen.contains(key) && state == "present" { fixed.append("\(key)=\(value)") }

        var changed = false, writeFile = false, setKernel = false
        let fileValue = fileValues[key]
        if fileValue == nil && state == "present" {
            changed = true; writeFile = true
        } else if let fileValue, !fileValue.isEmpty, state == "absent" {
            changed = true; writeFile = true
        } else if fileValue == nil {
            changed = false
        } else if fileValue != value {
            changed = true; writeFile = true
        } else if args.flag("reload") && !Self.sameValue(kernelValue, value) {
            changed = true
        }
        if args.flag("sysctl_set") && state == "present" {
            if kernelValue == nil { changed = true } else if !Self.sameValue(kernelValue, value) { changed = true; setKernel = true }
        }
        let check = invocation.checkMode
        var stat = try shell.ops.stat(file, follow: true)
        let attributes = FileAttributesHelper(args)
        if !attributes.isEmpty && stat.exists {
            var diff = FileDiff()
            if try attributes.apply(to: file, stat: stat, ops: shell.ops, checkMode: check, diff: &diff, followLinks: true) { changed = true }
            stat = try shell.ops.stat(file, follow: true)
        }
        if !check {
            let ignore = args.flag("ignoreerrors")
            if setKernel {
                let quoted = PythonText.whitespaceSplit(value).isEmpty ? value : "\"\(value)\""
                let out = try shell.script(Self.locale + "sysctl \(ignore ? "-e " : "")-w \(shellQuote(key + "=" + quoted))")
                if !out.succeeded || out.stderr.range(of: Self.refusal, options: .regularExpression) != nil {
                    throw ModuleFailure("setting \(key) failed: \(out.stdout + out.stderr)")
                }
            }
            if writeFile {
                let text = fixed.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) + "\n" }.joined()
                if stat.exists { try shell.ops.write(Data(text.utf8), to: file, replacing: stat) }
                else { try connection.put(Data(text.utf8), to: file, attributes: FileAttributes(mode: 0o644), become: invocation.become) }
            }
            if changed && args.flag("reload") {
                let out = try shell.script(Self.locale + "sysctl \(ignore ? "-e " : "")-p \(shellQuote(file))")
                if !out.succeeded || out.stderr.range(of: Self.refusal, options: .regularExpression) != nil {
                    throw ModuleFailure("Failed to reload sysctl: \(out.stdout)\(out.stderr)")
                }
            }
        }
        return ["changed": .bool(changed)]
    }

    /// Booleans become "1"/"0"; other values are stripped.
    static func normalise(_ value: String?) -> String {
        guard let value else { return "" }
        switch value.lowercased() {
        case "y", "yes", "on", "1", "true", "t": return "1"
        case "n", "no", "off", "0", "false", "f": return "0"
        default: return value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Whitespace-separated fields compared one by one ("4096 87380" equals "4096\t87380").
    static func sameValue(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return false }
        return PythonText.whitespaceSplit(a) == PythonText.whitespaceSplit(b)
    }
}
