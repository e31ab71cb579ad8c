import Foundation
import Jinja

extension UserAccount {
    /// `generate_ssh_key`: runs ssh-keygen unless the key exists (or `force`), then reports
    /// the key's file, fingerprint and public half.
    mutating func generateKey(info: AccountDatabase.UserEntry, into result: inout OrderedDict) throws {
        let type = args.string("ssh_key_type") ?? "rsa"
        let file = args.string("ssh_key_file") ?? ".ssh/id_\(type)"
        let keyFile = file.hasPrefix("/") ? file : (info.home as NSString).appendingPathComponent(file)
        if !file.hasPrefix("/"), !check, try !shell.script("[ -e \(shellQuote(info.home)) ]").succeeded {
            throw ModuleFailure("User \(name) home directory does not exist", ["name": .string(name), "rc": 1])
        }
        let publicFile = keyFile + ".pub"
        let sshDir = (keyFile as NSString).deletingLastPathComponent
        let state = try shell.script("""
        [ -e \(shellQuote(sshDir)) ] && echo dir; [ -e \(shellQuote(keyFile)) ] && echo key; [ -e \(shellQuote(publicFile)) ] && echo pub; true
        """).stdout.split(separator: "\n").map(String.init)
        let force = args.flag("force")
        var generated = false
        keygen: do {
            if !state.contains("dir") {
                if check { generated = true; break keygen }
                let o = try shell.script("mkdir -m 0700 -- \(shellQuote(sshDir)) && chown \(info.uid):\(info.gid) \(shellQuote(sshDir))")
                if !o.succeeded { throw ModuleFailure("Failed to create \(sshDir): \(o.stderr.trimmingCharacters(in: .whitespacesAndNewlines))", ["name": .string(name), "rc": 1]) }
            }
            var overwrite = false
            if state.contains("key") {
                if force {
                    warnings.append("Overwriting existing ssh key private file \"\(keyFile)\"")
                    overwrite = true
                } else {
                    warnings.append("Found existing ssh key private file \"\(keyFile)\", no force, so skipping ssh-keygen generation")
                    break keygen
                }
            }
            if state.contains("pub") {
                if force {
                    warnings.append("Overwriting existing ssh key public file \"\(publicFile)\"")
                    if !check { try shell.script("rm -f -- \(shellQuote(publicFile))") }
                } else {
                    warnings.append("Found existing ssh key public file \"\(publicFile)\", no force, so skipping ssh-keygen generation")
                    break keygen
                }
            }
            if check { generated = true; break keygen }
            var cmd = ["ssh-keygen", "-t", type]
            if let bits = args.int("ssh_key_bits"), bits > 0 { cmd += ["-b", String(bits)] }
            let comment = try args.string("ssh_key_comment")
                ?? "ansible-generated on " + shell.script("hostname").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            cmd += ["-C", comment, "-f", keyFile, "-N", args.string("ssh_key_passphrase") ?? ""]
            let o = try shell.run(cmd, stdin: overwrite ? "y" : nil)
            guard o.succeeded else { throw ModuleFailure(o.stderr, ["name": .string(name), "rc": .int(o.rc)]) }
            try shell.script("chown \(info.uid):\(info.gid) \(shellQuote(keyFile)) \(shellQuote(publicFile))")
            generated = true
        }
        if generated { result["changed"] = true }
        let fingerprint = try shell.run(["ssh-keygen", "-l", "-f", keyFile])
        result["ssh_fingerprint"] = .string((fingerprint.succeeded ? fingerprint.stdout : "").trimmingCharacters(in: .whitespacesAndNewlines))
        result["ssh_key_file"] = .string(keyFile)
        let pub = try shell.script("cat -- \(shellQuote(publicFile))")
        result["ssh_public_key"] = pub.succeeded ? .string(pub.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) : .null
    }
}
