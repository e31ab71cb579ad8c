import Foundation
import Jinja

/// `group`: creates, changes the gid of, or removes a group with groupadd/groupmod/groupdel.
public struct GroupModule: RemoteModule {
    /// The module's name, `group` (also reached as `ansible.builtin.group`).
    public let name = "group"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `group` parameters.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("state", default: "present", choices: ["absent", "present"]), .init("name", required: true),
            .init("force", .bool, default: false), .init("gid", .int), .init("system", .bool, default: false),
            .init("local", .bool, default: false), .init("non_unique", .bool, default: false),
            .init("gid_min", .int), .init("gid_max", .int),
        ])
    }

    /// Adds, modifies or deletes the group; reports `gid` and `system` while it exists.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        if args.flag("non_unique") && args["gid"] == nil {
            throw ModuleFailure("non_unique is True but all of the following are missing: gid")
        }
        let local = args.flag("local")
        if args.flag("force") && local {
            throw ModuleFailure("force is not a valid option for local, force=True and local=True are mutually exclusive")
        }
        let shell = SystemShell(connection, invocation)
        let groupName = args.string("name") ?? ""
        let state = args.string("state") ?? "present"
        let check = invocation.checkMode
        let existing = try AccountDatabase.load(shell, user: nil, localFiles: local).groups.first { $0.name == groupName }
        var result: OrderedDict = ["name": .string(groupName), "state": .string(state)]
        var output: CommandOutput?
        let prefix = local ? "l" : ""

        if state == "absent", existing != nil {
            if check { return ["changed": true] }
            var cmd = ["\(prefix)groupdel"]
            if args.flag("force") { cmd.append("-f") }
            output = try shell.run(cmd + [groupName])
        } else if state == "present" {
            if existing == nil {
                if check { return ["changed": true] }
                var cmd = ["\(prefix)groupadd"]
                if let gid = args.int("gid") {
                    cmd += ["-g", String(gid)]
                    if args.flag("non_unique") { cmd.append("-o") }
                }
                if args.flag("system") && !local { cmd.append("-r") }
                if let min = args.int("gid_min") { cmd += ["-K", "GID_MIN=\(min)"] }
                if let max = args.int("gid_max") { cmd += ["-K", "GID_MAX=\(max)"] }
                output = try shell.run(cmd + [groupName])
            } else if let gid = args.int("gid"), gid != existing?.gid {
                var cmd = ["\(prefix)groupmod", "-g", String(gid)]
                if args.flag("non_unique") { cmd.append("-o") }
                output = check ? CommandOutput(rc: 0, stdout: "", stderr: "") : try shell.run(cmd + [groupName])
            }
        }
        if let output, !output.succeeded {
            throw ModuleFailure(output.stderr, ["name": .string(groupName)])
        }
        result["changed"] = .bool(output != nil)
        if let output, !output.stdout.isEmpty { result["stdout"] = .string(output.stdout) }
        if let output, !output.stderr.isEmpty { result["stderr"] = .string(output.stderr) }
        let after = check ? existing : try AccountDatabase.load(shell, user: nil, localFiles: local).groups.first { $0.name == groupName }
        if let after {
            result["system"] = .bool(args.flag("system"))
            result["gid"] = .int(after.gid)
        }
        return .dict(result)
    }
}
