import CLibSSH
import Foundation

/// Authenticates a connected session in OpenSSH's order: agent, key files, password,
/// keyboard-interactive (answered with the password).
struct SSHAuthenticator {
    let session: ssh_session
    let user: String
    let address: String
    var useAgent = true
    var keyFiles: [String] = []
    var passphrase: String?
    var password: String?
    var allowPublicKey = true
    var allowPassword = true
    var allowKeyboardInteractive = true

    /// Throws ``UnreachableError`` with Ansible's wording when every method fails.
    func authenticate() throws {
        var rc = ssh_userauth_none(session, nil)
        if rc == SSH_AUTH_SUCCESS.rawValue { return }
        try checkTransport(rc)
        let methods = UInt32(bitPattern: ssh_userauth_list(session, nil))
        let offered = methodNames(methods)
        if allowPublicKey && methods & SSH_AUTH_METHOD_PUBLICKEY != 0 {
            if useAgent, getenv("SSH_AUTH_SOCK") != nil {
                rc = ssh_userauth_agent(session, nil)
                if rc == SSH_AUTH_SUCCESS.rawValue { return }
                try checkTransport(rc)
            }
            var tried = Set<String>()
            for path in keyFiles where !tried.contains(path) && FileManager.default.fileExists(atPath: path) {
                tried.insert(path)
                if try tryKey(path) { return }
            }
        }
        var passwordRejected = false
        if let password {
            if allowPassword && methods & SSH_AUTH_METHOD_PASSWORD != 0 {
                rc = ssh_userauth_password(session, nil, password)
                if rc == SSH_AUTH_SUCCESS.rawValue { return }
                try checkTransport(rc)
                passwordRejected = true
            }
            if allowKeyboardInteractive && methods & SSH_AUTH_METHOD_INTERACTIVE != 0 {
                if try keyboardInteractive(password) { return }
                passwordRejected = true
            }
        }
        if passwordRejected {
            throw UnreachableError("Invalid/incorrect password: Permission denied, please try again.")
        }
        throw UnreachableError("Failed to connect to the host via ssh: \(user)@\(address): Permission denied (\(offered)).")
    }

    private func tryKey(_ path: String) throws -> Bool {
        var key: ssh_key?
        let imported = ssh_pki_import_privkey_file(path, passphrase, nil, nil, &key)
        guard imported == SSH_OK, let key else { return false }
        defer { ssh_key_free(key) }
        let rc = ssh_userauth_publickey(session, nil, key)
        if rc == SSH_AUTH_SUCCESS.rawValue { return true }
        try checkTransport(rc)
        return false
    }

    private func keyboardInteractive(_ password: String) throws -> Bool {
        var rc = ssh_userauth_kbdint(session, nil, nil)
        var rounds = 0
        while rc == SSH_AUTH_INFO.rawValue && rounds < 8 {
            rounds += 1
            let prompts = ssh_userauth_kbdint_getnprompts(session)
            for index in 0..<max(0, prompts) {
                _ = ssh_userauth_kbdint_setanswer(session, UInt32(index), password)
            }
            rc = ssh_userauth_kbdint(session, nil, nil)
        }
        if rc == SSH_AUTH_SUCCESS.rawValue { return true }
        try checkTransport(rc)
        return false
    }

    /// An auth error (rather than a denial) means the transport failed.
    private func checkTransport(_ rc: Int32) throws {
        if rc == SSH_AUTH_ERROR.rawValue && ssh_is_connected(session) == 0 {
            throw UnreachableError("Failed to connect to the host via ssh: \(SSHSession.errorText(session))")
        }
    }

    private func methodNames(_ methods: UInt32) -> String {
        var names: [String] = []
        if methods & SSH_AUTH_METHOD_PUBLICKEY != 0 { names.append("publickey") }
        if methods & SSH_AUTH_METHOD_GSSAPI_MIC != 0 { names.append("gssapi-with-mic") }
        if methods & SSH_AUTH_METHOD_PASSWORD != 0 { names.append("password") }
        if methods & SSH_AUTH_METHOD_INTERACTIVE != 0 { names.append("keyboard-interactive") }
        if methods & SSH_AUTH_METHOD_HOSTBASED != 0 { names.append("hostbased") }
        return names.isEmpty ? "none" : names.joined(separator: ",")
    }
}
