import Foundation

/// Writes a job's private data dir, the ansible-runner layout `troupe run` reads:
/// `inventory/hosts.yml` and `env/{extravars,cmdline,envvars,ssh_key,passwords}`. The
/// directory is 0700 and every file that can hold a secret is 0600; nothing secret goes on
/// the command line (an ad hoc command's module arguments do, as in AWX's `ansible -a`).
struct PrivateDataDir {
    let path: String
    /// What `troupe run` runs: `-p PLAYBOOK`, or an ad hoc command's `-m MODULE -a ARGS --hosts PATTERN`.
    private(set) var runArguments: [String] = []
    /// `--project-dir`, when the playbook lives in a project outside the dir.
    private(set) var projectDir: String?

    /// Creates `root/<spec.id>` (replacing a leftover of an earlier attempt) and fills it.
    init(root: String, spec: JobSpec) throws {
        path = root + "/" + String(spec.id)
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if fm.fileExists(atPath: path) { try fm.removeItem(atPath: path) }
        for dir in [path, path + "/env", path + "/inventory", path + "/project"] {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        }
        try write("inventory/hosts.yml", Self.inventoryYAML(spec))
        try write("env/extravars", spec.extraVarsJSON.isEmpty ? "{}" : spec.extraVarsJSON, secret: true)
        try write("env/cmdline", Self.commandLine(spec).map(Self.shellQuoted).joined(separator: " "))
        if !spec.environment.isEmpty { try write("env/envvars", Self.jsonText(spec.environment)) }
        var passwords: [String: String] = [:]
        if let machine = spec.machine {
            if let key = machine.sshKeyData, !key.isEmpty { try write("env/ssh_key", key.hasSuffix("\n") ? key : key + "\n", secret: true) }
            if let value = machine.password, !value.isEmpty { passwords[#"^SSH [pP]assword:\s*?$"#] = value }
            if let value = machine.becomePassword, !value.isEmpty { passwords[#"^BECOME [pP]assword:\s*?$"#] = value }
            if let value = machine.sshKeyUnlock, !value.isEmpty { passwords[#"^Enter passphrase for .*:\s*?$"#] = value }
        }
        if let vault = spec.vaultPassword, !vault.isEmpty { passwords[#"^Vault password:\s*?$"#] = vault }
        if !passwords.isEmpty { try write("env/passwords", Self.jsonText(passwords), secret: true) }
        switch spec.kind {
        case .job:
            runArguments = ["-p", spec.playbook]
            projectDir = spec.projectPath
        case .adHocCommand:
            // AWX runs `ansible <limit or all> -m MODULE -a ARGS`: ansible's ad hoc output and events.
            // `--name=value`, so an argument starting with a dash stays a value.
            runArguments = ["--module=" + spec.moduleName, "--hosts=" + (spec.limit.isEmpty ? "all" : spec.limit)]
            if !spec.moduleArgs.isEmpty { runArguments.append("--args=" + spec.moduleArgs) }
        }
    }

    /// Removes the directory (the events and stdout stay in the database).
    func remove() { try? FileManager.default.removeItem(atPath: path) }

    private func write(_ relative: String, _ text: String, secret: Bool = false) throws {
        let file = path + "/" + relative
        guard FileManager.default.createFile(atPath: file, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: secret ? 0o600 : 0o644]) else {
            throw JobRunError.setup("cannot write \(relative) in the job's private data dir \(path): \(String(cString: strerror(errno)))")
        }
    }

    // MARK: - Contents

    /// ansible-playbook options for `env/cmdline` (`troupe run` applies them itself).
    static func commandLine(_ spec: JobSpec) -> [String] {
        var words: [String] = []
        if spec.kind == .job, !spec.limit.isEmpty { words += ["--limit", spec.limit] }
        if !spec.jobTags.isEmpty { words += ["--tags", spec.jobTags] }
        if !spec.skipTags.isEmpty { words += ["--skip-tags", spec.skipTags] }
        if spec.forks > 0 { words += ["--forks", String(spec.forks)] }
        if spec.verbosity > 0 { words.append("-" + String(repeating: "v", count: min(spec.verbosity, 5))) }
        if spec.jobType == "check" { words.append("--check") }
        if spec.diffMode { words.append("--diff") }
        if let machine = spec.machine {
            if let user = machine.username, !user.isEmpty { words += ["--user", user] }
            if let method = machine.becomeMethod, !method.isEmpty { words += ["--become-method", method] }
            if let user = machine.becomeUsername, !user.isEmpty { words += ["--become-user", user] }
        }
        if spec.become { words.append("--become") }
        return words
    }

    /// A YAML inventory (`all: {hosts, vars, children}`). Variables are the stored YAML or
    /// JSON text, indented under their key, which is valid YAML for both styles.
    static func inventoryYAML(_ spec: JobSpec) -> String {
        var out = "all:\n"
        out += "  vars:\n" + indentedVariables(spec.inventoryVariablesJSON, by: 4)
        out += "  hosts:\n"
        if spec.hosts.isEmpty { out += "    {}\n" }
        for host in spec.hosts {
            out += "    " + quoted(host.name) + ":\n" + indentedVariables(host.variablesJSON, by: 6)
        }
        out += "  children:\n"
        if spec.groups.isEmpty { out += "    {}\n" }
        for group in spec.groups {
            out += "    " + quoted(group.name) + ":\n"
            out += "      vars:\n" + indentedVariables(group.variablesJSON, by: 8)
            out += "      hosts:\n" + (group.hosts.isEmpty ? "        {}\n" : group.hosts.map { "        " + quoted($0) + ": {}\n" }.joined())
            out += "      children:\n" + (group.children.isEmpty ? "        {}\n" : group.children.map { "        " + quoted($0) + ": {}\n" }.joined())
        }
        return out
    }

    static func indentedVariables(_ text: String, by spaces: Int) -> String {
        let pad = String(repeating: " ", count: spaces)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("---") && !$0.hasPrefix("...") }
        let body = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }
        if body.isEmpty { return pad + "{}\n" }
        return lines.map { pad + $0 }.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted scalar (JSON string syntax is valid YAML).
    static func quoted(_ text: String) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes]) else { return "\"\"" }
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }

    static func jsonText(_ dict: [String: String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: dict, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// POSIX shell quoting, which `troupe run` splits back with shlex rules.
    static func shellQuoted(_ word: String) -> String {
        if !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber || "-_=.,:/@%+".contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: #"'"'"'"#) + "'"
    }
}

/// Why a run could not start or how it ended abnormally; the text becomes `job_explanation`.
enum JobRunError: Error, CustomStringConvertible {
    case setup(String)
    case spawn(String)

    var description: String {
        switch self {
        case .setup(let text), .spawn(let text): return text
        }
    }
}
