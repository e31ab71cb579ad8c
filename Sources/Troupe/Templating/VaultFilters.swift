import Foundation
import Jinja

/// ansible-core's `vault` and `unvault` filters: encrypt a string with a secret given in the
/// template (not the run's vault secrets), and decrypt one; text that is not vaulted passes
/// through `unvault` unchanged.
enum VaultFilters {
    static var all: [String: Filter] {
        [
            "vault": Filter { value, arguments, _ in try vault(value, arguments) },
            "unvault": Filter { value, arguments, _ in try unvault(value, arguments) },
        ]
    }

    static func install(into environment: Environment) {
        environment.filters.merge(all) { _, new in new }
    }

    /// `data | vault(secret, salt=None, vault_id='filter_default', wrap_object=False)`.
    static func vault(_ data: Value, _ arguments: Arguments) throws -> Value {
        let secret = argument(arguments, 0, "secret")
        guard let password = secret?.stringValue else {
            throw JinjaError(.type, "Secret passed is required to be a string, instead we got \(typeDescription(secret)).")
        }
        guard let plaintext = data.stringValue else {
            throw JinjaError(.type, "Can only vault strings, instead we got \(typeDescription(data)).")
        }
        let vaultID = vaultIdentifier(arguments, position: 2)
        let salt = argument(arguments, 1, "salt").flatMap { $0.isNull ? nil : $0 }
        if let salt, salt.pythonString.isEmpty { throw JinjaError(.runtime, "Unable to encrypt: Empty or invalid salt passed") }
        do {
            let secret = VaultSecret(label: vaultID, password: password)
            let saltBytes = salt.map { Array($0.pythonString.utf8) } ?? Vault.randomSalt()
            return .string(try Vault.encrypt(Data(plaintext.utf8), secret: secret, vaultID: vaultID, salt: saltBytes))
        } catch let error as TroupeError {
            throw JinjaError(.runtime, "Unable to encrypt: \(error.message)")
        }
    }

    /// `vaulted | unvault(secret, vault_id='filter_default')`.
    static func unvault(_ data: Value, _ arguments: Arguments) throws -> Value {
        let secret = argument(arguments, 0, "secret")
        guard let password = secret?.stringValue else {
            throw JinjaError(.type, "Secret passed is required to be as string, instead we got \(typeDescription(secret)).")
        }
        guard let text = data.stringValue else {
            throw JinjaError(.type, "Vault should be in the form of a string, instead we got \(typeDescription(data)).")
        }
        guard Vault.isEncrypted(text) else { return .string(text) }
        let vaultID = vaultIdentifier(arguments, position: 1)
        do {
            let plaintext = try Vault.decrypt(text, secrets: [VaultSecret(label: vaultID, password: password)])
            return .string(String(decoding: plaintext, as: UTF8.self))
        } catch let error as TroupeError {
            throw JinjaError(.runtime, "Unable to decrypt: \(error.message)")
        }
    }

    /// The argument at `index` after the filtered value, or the keyword `name`.
    private static func argument(_ arguments: Arguments, _ index: Int, _ name: String) -> Value? {
        // Not a `? :` with `nil`: Value is ExpressibleByNilLiteral, so that nil would be None.
        if let value = arguments.keyword(name) { return value }
        return arguments.positional.indices.contains(index) ? .some(arguments.positional[index]) : .none
    }

    /// `vault_id`, or the undocumented `vaultid` when `vault_id` was left at its default.
    private static func vaultIdentifier(_ arguments: Arguments, position: Int) -> String {
        let given = argument(arguments, position, "vault_id").map(\.pythonString) ?? "filter_default"
        if given == "filter_default", let old = arguments.keyword("vaultid"), !old.isNull { return old.pythonString }
        return given
    }

    /// Python's `type(x)` as printed: `<class 'int'>`.
    private static func typeDescription(_ value: Value?) -> String {
        "<class '\(value.map { $0.isUndefined ? "AnsibleUndefined" : $0.pythonTypeName } ?? "NoneType")'>"
    }
}
