import Foundation

/// One vault password and the vault id (label) it belongs to, like ansible's `--vault-id label@source`.
public struct VaultSecret: Sendable, Equatable {
    /// The vault id; `default` when the password came from `--vault-password-file` or `--ask-vault-pass`.
    public var label: String
    /// The password bytes used for key derivation.
    public var password: Data
    /// `vault_id_match`: try this secret only on vaulted text whose header names its label.
    public var requiresMatchingID = false

    /// A secret from raw password bytes.
    public init(label: String = Vault.defaultVaultID, password: Data) {
        self.label = label
        self.password = password
    }

    /// A secret from a password string (UTF-8 encoded, as ansible does).
    public init(label: String = Vault.defaultVaultID, password: String) {
        self.init(label: label, password: Data(password.utf8))
    }
}
