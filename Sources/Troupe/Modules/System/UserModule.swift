import Foundation
import Jinja

/// `user`: creates, modifies or removes an account with the shadow-utils tools (useradd,
/// usermod, userdel, chage), creates its home directory and optionally an SSH key.
public struct UserModule: RemoteModule {
    /// The module's name, `user` (also reached as `ansible.builtin.user`).
    public let name = "user"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `user` parameters (platform-specific ones are accepted and ignored where Linux has no equivalent).
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("state", default: "present", choices: ["absent", "present"]), .init("name", required: true, aliases: ["user"]),
            .init("uid", .int), .init("non_unique", .bool, default: false), .init("group"), .init("groups", .list, elements: .str),
            .init("comment"), .init("home", .path), .init("shell", .path), .init("password", noLog: true), .init("login_class"),
            .init("password_expire_max", .int), .init("password_expire_min", .int), .init("password_expire_warn", .int),
            .init("hidden", .bool), .init("seuser"), .init("force", .bool, default: false), .init("remove", .bool, default: false),
            .init("create_home", .bool, default: true, aliases: ["createhome"]), .init("skeleton"),
            .init("system", .bool, default: false), .init("move_home", .bool, default: false), .init("append", .bool, default: false),
            .init("generate_ssh_key", .bool), .init("ssh_key_bits", .int, default: 0), .init("ssh_key_type", default: "rsa"),
            .init("ssh_key_file", .path), .init("ssh_key_comment"), .init("ssh_key_passphrase", noLog: true),
            .init("update_password", default: "always", choices: ["always", "on_create"]), .init("expires", .float),
            .init("password_lock", .bool), .init("local", .bool), .init("profile"), .init("authorization"), .init("role"),
            .init("umask"), .init("password_expire_account_disable", .int), .init("uid_min", .int), .init("uid_max", .int),
        ])
    }

    /// Brings the account to `state` and reports its final attributes.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        var account = try UserAccount(args: args, shell: SystemShell(connection, invocation), checkMode: invocation.checkMode)
        return .dict(try account.apply())
    }
}

/// One run of the user module: the requested account, the host's current one, and the
/// commands that reconcile them.
struct UserAccount {
    let args: OrderedDict
    let shell: SystemShell
    let check: Bool
    let name: String
    let local: Bool
    var warnings: [String] = []
    var database: AccountDatabase

    init(args: OrderedDict, shell: SystemShell, checkMode: Bool) throws {
        self.args = args
        self.shell = shell
        check = checkMode
        name = args.string("name") ?? ""
        local = args.flag("local")
        if local {
            for key in ["umask", "uid_min", "uid_max"] where args[key] != nil {
                throw ModuleFailure("'\(key)' can not be used with 'local'")
            }
        }
        database = try AccountDatabase.load(shell, user: name, localFiles: local)
        if args["groups"] == nil && args.flag("append") {
            warnings.append("'append' is set, but no 'groups' are specified. Use 'groups' for appending new groups.This will change to an error in Ansible 2.14.")
        }
        checkPasswordLooksHashed()
    }

    var groupsArgument: [String]? {
        args["groups"]?.listValue?.compactMap(\.stringValue)
            .flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
    }

    var password: String? { args.string("password") }

    mutating func apply() throws -> OrderedDict {
        let state = args.string("state") ?? "present"
        var result: OrderedDict = ["name": .string(name), "state": .string(state)]
        var output: CommandOutput?
        if state == "absent" {
            if database.user != nil {
                if check { return ["changed": true] }
                let o = try remove()
                guard o.succeeded else { throw ModuleFailure(o.stderr, ["name": .string(name), "rc": .int(o.rc)]) }
                output = o
                result["force"] = .bool(args.flag("force"))
                result["remove"] = .bool(args.flag("remove"))
            }
        } else {
            if database.user == nil {
                if check { return ["changed": true] }
                output = try create()
                result["system"] = .bool(args.flag("system"))
                result["create_home"] = .bool(args.flag("create_home"))
            } else {
                output = try modify()
                result["append"] = .bool(args.flag("append"))
                result["move_home"] = .bool(args.flag("move_home"))
            }
            if let o = output, !o.succeeded { throw ModuleFailure(o.stderr, ["name": .string(name), "rc": .int(o.rc)]) }
            if password != nil { result["password"] = "NOT_LOGGING_PASSWORD" }
        }
        result["changed"] = .bool(output != nil)
        if let o = output, !o.stdout.isEmpty { result["stdout"] = .string(o.stdout) }
        if let o = output, !o.stderr.isEmpty { result["stderr"] = .string(o.stderr) }
        if !check { database = try AccountDatabase.load(shell, user: name, localFiles: local) }
        if state == "present", let info = database.user {
            result["uid"] = .int(info.uid)
            result["group"] = .int(info.gid)
            result["comment"] = .string(info.comment)
            result["home"] = .string(info.home)
            result["shell"] = .string(info.shell)
            if let groups = args["groups"]?.listValue { result["groups"] = .string(groups.compactMap(\.stringValue).joined(separator: ",")) }
            let home = args.string("home") ?? info.home
            if args.flag("create_home"), try !shell.script("[ -e \(shellQuote(home)) ]").succeeded {
                if !check { try createHome(home, uid: info.uid, gid: info.gid) }
                result["changed"] = true
            }
            if args.flag("generate_ssh_key") {
                try generateKey(info: info, into: &result)
            }
            if try setPasswordExpiry() { result["changed"] = true }
        }
        if !warnings.isEmpty { result["warnings"] = .list(warnings.map { .string($0) }) }
        return result
    }

    // MARK: - Commands

    private func execute(_ argv: [String], stdin: String? = nil) throws -> CommandOutput {
        if check { return CommandOutput(rc: 0, stdout: "", stderr: "") }
        return try shell.run(argv, stdin: stdin)
    }

    private func remove() throws -> CommandOutput {
        var cmd = [local ? "luserdel" : "userdel"]
        if args.flag("force") && !local { cmd.append("-f") }
        if args.flag("remove") { cmd.append("-r") }
        return try execute(cmd + [name])
    }

    private func requireGroup(_ group: String) throws -> AccountDatabase.GroupEntry {
        guard let entry = database.group(group) else { throw ModuleFailure("Group \(group) does not exist") }
        return entry
    }

    /// The requested supplementary groups (validated); with `removePrimary`, the user's
    /// current primary group is left out.
    private func requestedGroups(removePrimary: Bool, namesOnly: Bool) throws -> [String] {
        var out: [String] = []
        for g in groupsArgument ?? [] {
            let entry = try requireGroup(g)
            if removePrimary, let user = database.user, entry.gid == user.gid { continue }
            let item = namesOnly ? entry.name : g
            if !out.contains(item) { out.append(item) }
        }
        return out
    }

    private static let dateFormatter: DateFormatter = {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "UTC")
        f.locale = Locale(identifier: "en_US_POSIX")
        return f
    }()

    private func create() throws -> CommandOutput {
        var cmd = [local ? "luseradd" : "useradd"]
        if let uid = args.int("uid") {
            cmd += ["-u", String(uid)]
            if args.flag("non_unique") { cmd.append("-o") }
        }
        if let seuser = args.string("seuser") { cmd += ["-Z", seuser] }
        if let group = args.string("group") {
            _ = try requireGroup(group)
            cmd += ["-g", group]
        } else if database.groups.contains(where: { $0.name == name }) {
            // A group named like the user exists: useradd would fail trying to create it.
            cmd.append(local ? "-n" : "-N")
        }
        let groups = try requestedGroups(removePrimary: true, namesOnly: false)
        if !groups.isEmpty && !local { cmd += ["-G", groups.joined(separator: ",")] }
        if let comment = args.string("comment") { cmd += ["-c", comment] }
        if let home = args.string("home") {
            let parent = (home as NSString).deletingLastPathComponent
            if args.flag("create_home"), !parent.isEmpty {
                try shell.script("mkdir -p -- \(shellQuote(parent))")
            }
            cmd += ["-d", home]
        }
        if let userShell = args.string("shell") { cmd += ["-s", userShell] }
        if let expires = args["expires"]?.doubleValue, !local {
            cmd += ["-e", expires < 0 ? "" : Self.dateFormatter.string(from: Date(timeIntervalSince1970: expires))]
        }
        if let inactive = args.int("password_expire_account_disable") { cmd += ["-f", String(inactive)] }
        if let password { cmd += ["-p", args.flag("password_lock") ? "!" + password : password] }
        if args.flag("create_home") {
            if !local { cmd.append("-m") }
            if let skeleton = args.string("skeleton") { cmd += ["-k", skeleton] }
            if let umask = args.string("umask") { cmd += ["-K", "UMASK=" + umask] }
        } else {
            cmd.append("-M")
        }
        if args.flag("system") { cmd.append("-r") }
        if let min = args.int("uid_min") { cmd += ["-K", "UID_MIN=\(min)"] }
        if let max = args.int("uid_max") { cmd += ["-K", "UID_MAX=\(max)"] }
        var out = try execute(cmd + [name])
        if local && out.succeeded {
            for g in groups {
                let o = try execute(["lgroupmod", "-M", name, g])
                out.stdout += o.stdout
                out.stderr += o.stderr
                if !o.succeeded { out.rc = o.rc; break }
            }
        }
        return out
    }

    private func modify() throws -> CommandOutput? {
        guard let info = database.user else { return nil }
        var cmd = [local ? "lusermod" : "usermod"]
        if let uid = args.int("uid"), uid != info.uid {
            cmd += ["-u", String(uid)]
            if args.flag("non_unique") { cmd.append("-o") }
        }
        if let group = args.string("group") {
            let entry = try requireGroup(group)
            if entry.gid != info.gid { cmd += ["-g", String(entry.gid)] }
        }
        var groupChange: (add: [String], remove: [String])?
        if let requested = groupsArgument {
            let current = database.groups.filter { $0.members.contains(name) }.map(\.name)
            let wanted = try requestedGroups(removePrimary: false, namesOnly: true)
            let difference = Set(current).symmetricDifference(wanted)
            let append = args.flag("append")
            var needed = false
            if requested.isEmpty {
                needed = !current.isEmpty && !append
            } else if !difference.isEmpty {
                needed = append ? wanted.contains { difference.contains($0) } : true
            }
            if needed {
                if local {
                    groupChange = (wanted.filter { !current.contains($0) }, append ? [] : current.filter { !wanted.contains($0) })
                } else {
                    if append { cmd.append("-a") }
                    cmd += ["-G", wanted.joined(separator: ",")]
                }
            }
        }
        if let comment = args.string("comment"), comment != info.comment { cmd += ["-c", comment] }
        if let home = args.string("home"), home != info.home {
            cmd += ["-d", home]
            if args.flag("move_home") { cmd.append("-m") }
        }
        if let userShell = args.string("shell"), userShell != info.shell { cmd += ["-s", userShell] }
        if let expires = args["expires"]?.doubleValue, !local {
            let current = database.shadowExpire
            if expires < 0 {
                if current >= 0 { cmd += ["-e", ""] }
            } else {
                let wanted = Self.dateFormatter.string(from: Date(timeIntervalSince1970: expires))
                let have = Self.dateFormatter.string(from: Date(timeIntervalSince1970: Double(max(current, 0)) * 86400))
                if current < 0 || have != wanted { cmd += ["-e", wanted] }
            }
        }
        if let inactive = args.int("password_expire_account_disable") { cmd += ["-f", String(inactive)] }
        let currentPassword = database.userPassword
        if let lock = args["password_lock"].flatMap(ArgumentSpec.boolean) {
            if lock && !currentPassword.hasPrefix("!") { cmd.append("-L") }
            else if !lock && currentPassword.hasPrefix("!") { cmd.append("-U") }
        }
        if args.string("update_password") == "always", let password,
           currentPassword.drop(while: { $0 == "!" }) != password.drop(while: { $0 == "!" }) {
            cmd = cmd.filter { $0 != "-L" && $0 != "-U" }
            cmd += ["-p", args.flag("password_lock") ? "!" + password : password]
        }
        var out: CommandOutput?
        if cmd.count > 1 { out = try execute(cmd + [name]) }
        if let change = groupChange, out?.succeeded ?? true {
            var combined = out ?? CommandOutput(rc: 0, stdout: "", stderr: "")
            for (flag, groups) in [("-M", change.add), ("-m", change.remove)] {
                for g in groups {
                    let o = try execute(["lgroupmod", flag, name, g])
                    combined.stdout += o.stdout
                    combined.stderr += o.stderr
                    if !o.succeeded { combined.rc = o.rc; return combined }
                }
            }
            out = combined
        }
        return out
    }

    /// `chage` for the password ageing parameters that differ from the shadow entry.
    private func setPasswordExpiry() throws -> Bool {
        var cmd = ["chage"]
        if let v = args.int("password_expire_min"), v != database.shadowMin { cmd += ["-m", String(v)] }
        if let v = args.int("password_expire_max"), v != database.shadowMax { cmd += ["-M", String(v)] }
        if let v = args.int("password_expire_warn"), v != database.shadowWarn { cmd += ["-W", String(v)] }
        guard cmd.count > 1 else { return false }
        let out = try execute(cmd + [name])
        guard out.succeeded else { throw ModuleFailure(out.stderr, ["name": .string(name), "rc": .int(out.rc)]) }
        return true
    }

    /// Creates a missing home directory from the skeleton, with login.defs' HOME_MODE (or
    /// the mode its UMASK gives), owned by the user.
    private func createHome(_ home: String, uid: Int, gid: Int) throws {
        let skeleton = args.string("skeleton") ?? "/etc/skel"
        let out = try shell.script("""
        h=\(shellQuote(home)); k=\(shellQuote(skeleton))
        if [ -d "$k" ] && [ "$k" != /dev/null ]; then mkdir -p -- "$(dirname -- "$h")" && cp -a -- "$k" "$h" || exit 1
        else mkdir -p -- "$h" || exit 1; fi
        m=755
        if [ -r /etc/login.defs ]; then
          hm=$(awk '$1=="HOME_MODE"&&$2~/^[0-9]+$/{print $2; exit}' /etc/login.defs)
          um=$(awk '$1=="UMASK"&&$2~/^[0-9]+$/{v=$2} END{print v}' /etc/login.defs)
          if [ -n "$hm" ]; then m=$hm; elif [ -n "$um" ]; then m=$(printf '%o' $(( 0777 & ~0$um ))); fi
        fi
        chmod "$m" "$h" && find "$h" ! -type l -exec chown \(uid):\(gid) {} +
        """)
        guard out.succeeded else { throw ModuleFailure(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    private mutating func checkPasswordLooksHashed() {
        guard let password, !password.isEmpty, !["*", "!", "*************"].contains(password) else { return }
        var suspicious = password.contains { ":*!".contains($0) } || !password.contains("$")
        let fields = password.split(separator: "$", omittingEmptySubsequences: false)
        if !suspicious {
            if fields.count < 3 {
                suspicious = true
            } else {
                let last = fields.last ?? ""
                if last.contains(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || "./=".contains($0))) }) { suspicious = true }
                let lengths: [Substring: Int] = ["1": 22, "5": 43, "6": 86, "y": 43]
                if let want = lengths[fields[1]], last.count != want { suspicious = true }
            }
        }
        if suspicious {
            warnings.append("The input password appears not to have been hashed. The 'password' argument must be encrypted for this module to work properly.")
        }
    }
}
