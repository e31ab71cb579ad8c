import Foundation
import Jinja

/// `git`: clones a repository and keeps a checkout at `version` (branch, tag or commit),
/// with the host's git.
public struct GitModule: RemoteModule {
    /// The module's name, `git` (also reached as `ansible.builtin.git`).
    public let name = "git"
    /// Check mode is supported: the remote head is looked up, nothing is fetched.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `git` parameters.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("dest", .path), .init("repo", required: true, aliases: ["name"]), .init("version", default: "HEAD"),
            .init("remote", default: "origin"), .init("refspec"), .init("reference"), .init("force", .bool, default: false),
            .init("depth", .int), .init("clone", .bool, default: true), .init("update", .bool, default: true),
            .init("verify_commit", .bool, default: false), .init("gpg_allowlist", .list, default: [], aliases: ["gpg_whitelist"], elements: .str),
            .init("accept_hostkey", .bool, default: false), .init("accept_newhostkey", .bool, default: false),
            .init("key_file", .path), .init("ssh_opts"), .init("executable", .path), .init("bare", .bool, default: false),
            .init("recursive", .bool, default: true), .init("single_branch", .bool, default: false),
            .init("track_submodules", .bool, default: false), .init("umask", .raw), .init("archive", .path),
            .init("archive_prefix"), .init("separate_git_dir", .path),
        ])
    }

    /// Clones or updates the checkout and reports `before`/`after` commits.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        var git = try GitRun(args: args, shell: SystemShell(connection, invocation), check: invocation.checkMode, diff: invocation.diff)
        return .dict(try git.execute())
    }
}

/// One git run: parameters, host and the git command lines.
struct GitRun {
    let args: OrderedDict
    let shell: SystemShell
    let check: Bool
    let diff: Bool
    var repo: String
    let dest: String?
    let remote: String
    let version: String
    let depth: Int?
    let bare: Bool
    var environment = "LANG=C LC_ALL=C LC_MESSAGES=C LC_CTYPE=C LANGUAGE=C; export LANG LC_ALL LC_MESSAGES LC_CTYPE LANGUAGE\n"
    var gitPath = "git"

    init(args: OrderedDict, shell: SystemShell, check: Bool, diff: Bool) throws {
        self.args = args
        self.shell = shell
        self.check = check
        self.diff = diff
        repo = args.string("repo") ?? ""
        dest = try args.string("dest").map { try shell.ops.expandUser($0) }
        remote = args.string("remote") ?? "origin"
        version = args.string("version") ?? "HEAD"
        depth = args.int("depth")
        bare = args.flag("bare")
        if repo.hasPrefix("/") || repo.hasPrefix("~") { repo = "file://" + (try shell.ops.expandUser(repo)) }
        if let exe = args.string("executable") { gitPath = exe } else { gitPath = try shell.requireProgram("git") }
        var sshOptions = args.string("ssh_opts")
        for (flag, option) in [("accept_hostkey", "-o StrictHostKeyChecking=no"), ("accept_newhostkey", "-o StrictHostKeyChecking=accept-new")]
        where args.flag(flag) {
            if let current = sshOptions {
                if !current.contains("-o StrictHostKeyChecking=no") && !current.contains("-o StrictHostKeyChecking=accept-new") { sshOptions = current + " " + option }
            } else {
                sshOptions = option
            }
        }
        if args.string("key_file") != nil || sshOptions != nil {
            var ssh = "ssh"
            if let key = args.string("key_file") { ssh += " -i \(shellQuote(key)) -o IdentitiesOnly=yes" }
            if let opts = sshOptions { ssh += " " + opts }
            environment += "GIT_SSH_COMMAND=\(shellQuote(ssh)); export GIT_SSH_COMMAND\n"
        }
        if let umask = args["umask"] {
            guard case .string(let text) = umask else { throw ModuleFailure("umask must be defined as a quoted octal integer") }
            guard Int(text, radix: 8) != nil else { throw ModuleFailure("umask must be an octal integer") }
            environment += "umask \(text)\n"
        }
    }

    func git(_ arguments: [String], in directory: String? = nil) throws -> CommandOutput {
        let cd = directory.map { "cd \(shellQuote($0)) || exit 1\n" } ?? ""
        return try shell.script(environment + cd + SystemShell.commandLine([gitPath] + arguments))
    }

    func mustGit(_ arguments: [String], in directory: String? = nil, _ message: String? = nil) throws -> String {
        let out = try git(arguments, in: directory)
        guard out.succeeded else {
            let cmd = ([gitPath] + arguments).joined(separator: " ")
            throw ModuleFailure(message ?? "Failed to run \(cmd): \(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines))",
                                ["cmd": .string(cmd), "rc": .int(out.rc), "stdout": .string(out.stdout), "stderr": .string(out.stderr)])
        }
        return out.stdout
    }

    var gitDir: String? {
        guard let dest else { return nil }
        return bare ? dest : dest + "/.git"
    }

    func isRemoteBranch(_ source: String, _ name: String, in dir: String?) throws -> Bool {
        !(try git(["ls-remote", source, "-h", "refs/heads/" + name], in: dir).stdout.isEmpty)
    }

    func isRemoteTag(_ source: String, _ name: String, in dir: String?) throws -> Bool {
        !(try git(["ls-remote", source, "-t", "refs/tags/" + name], in: dir).stdout.isEmpty)
    }

    /// The branch the remote's HEAD points to.
    func headBranch(in dir: String) throws -> String {
        let symbolic = try git(["symbolic-ref", "--short", "refs/remotes/\(remote)/HEAD"], in: dir)
        if symbolic.succeeded {
            return String(symbolic.stdout.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst(remote.count + 1))
        }
        let out = try git(["ls-remote", "--symref", remote, "HEAD"], in: dir).stdout
        if let line = PythonText.splitLines(out).first(where: { $0.hasPrefix("ref: refs/heads/") }) {
            return String(PythonText.whitespaceSplit(line)[1].dropFirst("refs/heads/".count))
        }
        return try git(["rev-parse", "--abbrev-ref", "HEAD"], in: dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The commit `version` names on the remote (`source`: the repo URL when cloning).
    func remoteHead(source: String, cloning: Bool) throws -> String {
        let dir = cloning ? nil : dest
        var command: [String]
        var tag = false
        if version == "HEAD" {
            command = cloning ? ["ls-remote", source, "-h", "HEAD"] : ["ls-remote", source, "-h", "refs/heads/" + (try headBranch(in: dest!))]
            if cloning { command = ["ls-remote", source, "HEAD"] }
        } else if try isRemoteBranch(source, version, in: dir) {
            command = ["ls-remote", source, "-h", "refs/heads/" + version]
        } else if try isRemoteTag(source, version, in: dir) {
            tag = true
            command = ["ls-remote", source, "-t", "refs/tags/\(version)*"]
        } else {
            return version
        }
        var out = try mustGit(command, in: dir)
        if out.isEmpty { throw ModuleFailure("Could not determine remote revision for \(version)") }
        if tag {
            for line in out.components(separatedBy: "\n") {
                if line.hasSuffix(version + "^{}") { out = line; break } else if line.hasSuffix(version) { out = line }
            }
        }
        return PythonText.whitespaceSplit(out).first ?? version
    }

    func currentVersion() throws -> String {
        try git(["rev-parse", "HEAD"], in: dest).stdout.trimmingCharacters(in: .newlines)
    }

    func diffValue(before: String?, after: String) throws -> Value? {
        guard diff else { return nil }
        guard let before else { return ["prepared": .string(">> Newly checked out \(after)")] }
        guard before != after else { return nil }
        let out = try git(["diff", before, after], in: dest)
        if out.succeeded && !out.stdout.isEmpty { return ["prepared": .string(out.stdout)] }
        if out.succeeded { return ["prepared": .string(">> No visual differences between \(before) and \(after)")] }
        return ["prepared": .string(">> Failed to get proper diff between \(before) and \(after)" + (out.stderr.isEmpty ? "" : ":\n>> \(out.stderr)"))]
    }

    mutating func execute() throws -> OrderedDict {
        var result: OrderedDict = ["changed": false]
        let allowClone = args.flag("clone")
        if dest == nil && allowClone { throw ModuleFailure("the destination directory must be specified unless clone=no") }
        result["before"] = .null
        let exists = try gitDir.map { try shell.script("[ -e \(shellQuote($0 + "/config")) ]").succeeded } ?? false
        var localMods = false
        var remoteURLChanged = false
        var before: String?
        if (dest != nil && !exists) || (dest == nil && !allowClone) {
            if check || !allowClone {
                let head = try remoteHead(source: repo, cloning: true)
                result["changed"] = true
                result["after"] = .string(head)
                if let d = try diffValue(before: nil, after: head) { result["diff"] = d }
                return result
            }
            try clone()
        } else if !args.flag("update") {
            let current = try currentVersion()
            result["before"] = .string(current)
            result["after"] = .string(current)
            return result
        } else {
            if !bare {
                let status = try git(["status", "--porcelain"], in: dest).stdout
                localMods = PythonText.splitLines(status).contains { !$0.hasPrefix("??") }
            }
            before = try currentVersion()
            result["before"] = .string(before!)
            if localMods {
                if !args.flag("force") {
                    throw ModuleFailure("Local modifications exist in the destination: \(dest!) (force=no).", result)
                }
                if !check {
                    _ = try mustGit(["reset", "--hard", "HEAD"], in: dest)
                    result["changed"] = true
                    result["msg"] = .string("Local modifications exist in the destination: \(dest!)")
                }
            }
            let currentURL = try git(["config", "--get", "remote.\(remote).url"], in: dest).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            remoteURLChanged = !currentURL.isEmpty && currentURL != repo
                && Self.unfrack(currentURL) != Self.unfrack(repo)
            if check {
                let head = try remoteHead(source: remote, cloning: false)
                result["remote_url_changed"] = .bool(remoteURLChanged)
                result["changed"] = .bool(before != head || remoteURLChanged)
                result["after"] = .string(head)
                if let d = try diffValue(before: before, after: head) { result["diff"] = d }
                return result
            }
            if remoteURLChanged { _ = try mustGit(["remote", "set-url", remote, repo], in: dest) }
            result["remote_url_changed"] = .bool(remoteURLChanged)
            try fetch()
        }
        if !bare { try switchVersion() }
        var submodulesChanged = false
        if args.flag("recursive") && !bare, try shell.script("[ -f \(shellQuote(dest! + "/.gitmodules"))) ]").succeeded {
            let beforeStatus = try git(["submodule", "status", "--recursive"], in: dest).stdout
            var update = ["submodule", "update", "--init", "--recursive"]
            if args.flag("track_submodules") { update.append("--remote") }
            _ = try mustGit(update, in: dest)
            submodulesChanged = try git(["submodule", "status", "--recursive"], in: dest).stdout != beforeStatus
            if submodulesChanged { result["submodules_changed"] = true }
        }
        let after = try currentVersion()
        result["after"] = .string(after)
        if before != after || localMods || submodulesChanged || remoteURLChanged {
            result["changed"] = true
            if let d = try diffValue(before: before, after: after) { result["diff"] = d }
        }
        if let archive = args.string("archive") {
            var command = ["archive", "--format=\(Self.archiveFormat(archive))", "--output=\(archive)"]
            if let prefix = args.string("archive_prefix") { command.append("--prefix=\(prefix)") }
            _ = try mustGit(command + [version], in: dest)
            result["changed"] = true
        }
        return result
    }

    static func unfrack(_ url: String) -> String {
        var u = url
        while u.hasSuffix("/") { u.removeLast() }
        if u.hasSuffix(".git") { u.removeLast(4) }
        return u
    }

    static func archiveFormat(_ path: String) -> String {
        for (suffix, format) in [(".tar.gz", "tar.gz"), (".tgz", "tgz"), (".tar", "tar"), (".zip", "zip")] where path.hasSuffix(suffix) { return format }
        return "zip"
    }

    func clone() throws {
        let parent = (dest! as NSString).deletingLastPathComponent
        try shell.script("mkdir -p -- \(shellQuote(parent))")
        var command = ["clone"]
        if bare { command.append("--bare") } else { command += ["--origin", remote] }
        let branchOrTag = try isRemoteBranch(repo, version, in: nil) || isRemoteTag(repo, version, in: nil)
        if let depth {
            if version == "HEAD" || args.string("refspec") != nil {
                command += ["--depth", String(depth)]
            } else if branchOrTag {
                command += ["--depth", String(depth), "--branch", version]
            }
        }
        if let reference = args.string("reference") { command += ["--reference", reference] }
        if args.flag("single_branch") {
            command.append("--single-branch")
            if branchOrTag { command += ["--branch", version] }
        }
        if let separate = args.string("separate_git_dir") { command.append("--separate-git-dir=\(separate)") }
        _ = try mustGit(command + [repo, dest!], in: parent)
        if bare && remote != "origin" { _ = try mustGit(["remote", "add", remote, repo], in: dest) }
        if let refspec = args.string("refspec") {
            var fetch = ["fetch"]
            if let depth { fetch += ["--depth", String(depth)] }
            _ = try mustGit(fetch + [remote, refspec], in: dest)
        }
    }

    func fetch() throws {
        var command = ["fetch"]
        var refspecs: [String] = []
        if let depth {
            let current = try headBranch(in: dest!)
            if let refspec = args.string("refspec") { refspecs.append(refspec) }
            else if version == "HEAD" { refspecs.append(current) }
            else if try isRemoteBranch(repo, version, in: dest) {
                if current != version { refspecs.append("+refs/heads/\(version):refs/heads/\(version)") }
                refspecs.append("+refs/heads/\(version):refs/remotes/\(remote)/\(version)")
            } else if try isRemoteTag(repo, version, in: dest) {
                refspecs.append("+refs/tags/\(version):refs/tags/\(version)")
            }
            if !refspecs.isEmpty { command += ["--depth", String(depth)] }
        }
        if depth == nil || refspecs.isEmpty {
            if bare { refspecs = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"] } else { command.append("--tags") }
            if let refspec = args.string("refspec") { refspecs.append(refspec) }
        }
        if args.flag("force") { command.append("--force") }
        let out = try git(command + [remote] + refspecs, in: dest)
        if !out.succeeded { throw ModuleFailure("Failed to download remote objects and refs: \(out.stdout) \(out.stderr)") }
    }

    func switchVersion() throws {
        if version == "HEAD" {
            let branch = try headBranch(in: dest!)
            _ = try mustGit(["checkout", "--force", branch], in: dest, "Failed to checkout branch \(branch)")
            _ = try mustGit(["reset", "--hard", "\(remote)/\(branch)", "--"], in: dest, "Failed to checkout branch \(branch)")
        } else if try isRemoteBranch(remote, version, in: dest) {
            let local = try git(["show-ref", "--verify", "--quiet", "refs/heads/\(version)"], in: dest).succeeded
            if depth != nil && !local {
                _ = try git(["fetch", "--depth", String(depth!), remote, "+refs/heads/\(version):refs/remotes/\(remote)/\(version)"], in: dest)
            }
            if !local {
                _ = try mustGit(["checkout", "--track", "-b", version, "\(remote)/\(version)"], in: dest, "Failed to checkout \(version)")
            } else {
                _ = try mustGit(["checkout", "--force", version], in: dest, "Failed to checkout branch \(version)")
                _ = try mustGit(["reset", "--hard", "\(remote)/\(version)"], in: dest, "Failed to checkout \(version)")
            }
        } else {
            _ = try mustGit(["checkout", "--force", version], in: dest, "Failed to checkout \(version)")
        }
    }
}
