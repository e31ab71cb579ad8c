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
    ///
    /// With a key to offer, the key goes first, without the `none` probe OpenSSH starts
    /// with: sshd answers a failed attempt only after a deliberate delay (5–9 ms, against
    /// user enumeration), and the list of methods comes with any failure anyway.
    func authenticate() throws {
        var rc: Int32
        let agent = useAgent && getenv("SSH_AUTH_SOCK") != nil
        let keys = allowPublicKey ? uniqueExistingKeyFiles() : []
        var methods: UInt32 = 0
        if !(agent && allowPublicKey) && keys.isEmpty {
            if try probeNone(&methods) { return }
        }
        if allowPublicKey && (methods == 0 || methods & SSH_AUTH_METHOD_PUBLICKEY != 0) {
            if agent {
                rc = ssh_userauth_agent(session, nil)
                if rc == SSH_AUTH_SUCCESS.rawValue { return }
                try checkTransport(rc)
            }
            for path in keys {
                if try tryKey(path) { return }
            }
        }
        if methods == 0 {
            // Known from the denials above; asked for when no key could be offered.
            methods = UInt32(bitPattern: ssh_userauth_list(session, nil))
            if methods == 0, try probeNone(&methods) { return }
        }
        let offered = methodNames(methods)
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

    /// The `none` method: succeeds on a server that asks for no authentication; otherwise
    /// its denial lists the methods the server offers.
    private func probeNone(_ methods: inout UInt32) throws -> Bool {
        let rc = ssh_userauth_none(session, nil)
        if rc == SSH_AUTH_SUCCESS.rawValue { return true }
        try checkTransport(rc)
        methods = UInt32(bitPattern: ssh_userauth_list(session, nil))
        return false
    }

    private func uniqueExistingKeyFiles() -> [String] {
        var seen = Set<String>()
        return keyFiles.filter { seen.insert($0).inserted && FileManager.default.fileExists(atPath: $0) }
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
