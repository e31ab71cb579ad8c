import CLibSSH
import Foundation

/// Checks the server's host key against known_hosts, like OpenSSH's StrictHostKeyChecking.
struct HostKeyVerifier {
    let session: ssh_session
    let hostLabel: String
    let port: Int

    /// Throws ``UnreachableError`` naming the host and the key's SHA256 fingerprint when the
    /// key is unknown or changed. With `acceptNew`, unknown keys are recorded instead.
    func verify(checking: Bool, acceptNew: Bool) throws {
        guard checking else { return }
        let state = ssh_session_is_known_server(session)
        if state == SSH_KNOWN_HOSTS_OK { return }
        // Only a failure names the key: hashing it on every connection is wasted work.
        let fingerprint = serverFingerprint() ?? "(unavailable)"
        let where_ = port == 22 ? hostLabel : "[\(hostLabel)]:\(port)"
        switch state {
        case SSH_KNOWN_HOSTS_CHANGED:
            throw UnreachableError("Failed to connect to the host via ssh: WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! "
                + "The host key for \(where_) does not match known_hosts; offending key fingerprint is \(fingerprint). "
                + "Host key verification failed.")
        case SSH_KNOWN_HOSTS_OTHER:
            throw UnreachableError("Failed to connect to the host via ssh: The host key for \(where_) is of a different type than "
                + "the one recorded in known_hosts (server key fingerprint is \(fingerprint)). Host key verification failed.")
        case SSH_KNOWN_HOSTS_UNKNOWN, SSH_KNOWN_HOSTS_NOT_FOUND:
            if acceptNew {
                if ssh_session_update_known_hosts(session) == SSH_OK { return }
                throw UnreachableError("Failed to connect to the host via ssh: could not record the host key of \(where_): \(SSHSession.errorText(session))")
            }
            throw UnreachableError("Failed to connect to the host via ssh: No \(keyType() ?? "host") key is known for \(where_) "
                + "and host key checking is enabled; server key fingerprint is \(fingerprint). Host key verification failed.")
        default:
            throw UnreachableError("Failed to connect to the host via ssh: could not check the host key of \(where_) "
                + "(fingerprint \(fingerprint)): \(SSHSession.errorText(session))")
        }
    }

    /// `SHA256:<base64>` of the server's public key.
    func serverFingerprint() -> String? {
        var key: ssh_key?
        guard ssh_get_server_publickey(session, &key) == SSH_OK, let key else { return nil }
        defer { ssh_key_free(key) }
        var hash: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) == SSH_OK, let hash else { return nil }
        defer {
            var h: UnsafeMutablePointer<UInt8>? = hash
            ssh_clean_pubkey_hash(&h)
        }
        guard let text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length) else { return nil }
        defer { ssh_string_free_char(text) }
        return String(cString: text)
    }

    private func keyType() -> String? {
        var key: ssh_key?
        guard ssh_get_server_publickey(session, &key) == SSH_OK, let key else { return nil }
        defer { ssh_key_free(key) }
        guard let name = ssh_key_type_to_char(ssh_key_type(key)) else { return nil }
        return String(cString: name)
    }
}
