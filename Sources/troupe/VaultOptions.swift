import ArgumentParser
import Foundation
import Troupe

/// The vault options of ansible-playbook, ansible and ansible-inventory, and the secrets
/// they (or ansible.cfg's `vault_password_file`/`vault_identity_list`) name.
struct VaultOptions: ParsableArguments {
    @Option(name: [.customLong("vault-password-file"), .customLong("vault-pass-file")], help: "Vault password file (repeatable).")
    var vaultPasswordFile: [String] = []
    @Option(name: .customLong("vault-id"), help: "Vault identity to use, label@source (repeatable).")
    var vaultID: [String] = []
    @Flag(name: [.customShort("J"), .customLong("ask-vault-password"), .customLong("ask-vault-pass")], help: "Ask for the vault password.")
    var askVaultPass = false

    /// The secrets to decrypt with; none (and no prompt) when nothing names one.
    func secrets(config: AnsibleConfig, display: Display) throws -> [VaultSecret] {
        let configured = !(config.vaultPasswordFile ?? "").isEmpty || !config.vaultIdentityList.isEmpty
        guard !vaultPasswordFile.isEmpty || !vaultID.isEmpty || askVaultPass || configured else { return [] }
        return try VaultSecretsLoader.load(passwordFiles: vaultPasswordFile, vaultIDs: vaultID, askPass: askVaultPass,
                                           config: config, warn: { display.warning($0) })
    }
}
