import Foundation
import Jinja

/// Ansible's templating on top of the Jinja engine: native-typed rendering of strings
/// nested anywhere in a value, `omit`, and conditionals that must come out boolean.
/// One per run; thread-safe (the environment is read-only once configured).
public final class Templar: @unchecked Sendable {
    /// The configured Jinja environment (filters, tests, lookups); read-only during a run.
    public let environment: Environment
    /// Secrets that decrypt `!vault` values when they are used.
    public var vaultSecrets: [VaultSecret] = []
    /// Called with an untrusted string that looks like a template when it is left as is
    /// (`_ANSIBLE_TEMPLAR_UNTRUSTED_TEMPLATE_BEHAVIOR=warning`); set before the run starts.
    public var untrustedTemplateWarning: (@Sendable (String) -> Void)?
    /// The value of the `omit` magic variable; arguments equal to it are dropped.
    public static let omitPlaceholder = "__omit_place_holder__a4f8c39b2e7d"

    /// The plaintexts of the vault values decrypted so far, for the `vault_encrypted` test.
    private let decryptedVaultTexts = DecryptedVaultTexts()

    /// A templar over an already configured environment.
    public init(environment: Environment) {
        self.environment = environment
        environment.isDecryptedVaultText = { [decryptedVaultTexts] in decryptedVaultTexts.contains($0) }
    }

    /// A templar whose lookups resolve relative paths against `baseDirectory`.
    public convenience init(baseDirectory: String = FileManager.default.currentDirectoryPath) {
        self.init(environment: Templar.makeEnvironment(baseDirectory: baseDirectory))
    }

    /// An environment with Jinja's and Ansible's filters, tests, and the lookup globals.
    public static func makeEnvironment(baseDirectory: String) -> Environment {
        let env = Environment.ansible()
        env.lazyVariableContainers = true
        YAMLFilters.install(into: env)
        VaultFilters.install(into: env)
        AnsibleGlobals.install(into: env)
        env.globals["lookup"] = .object(LookupFunction(alwaysList: false) { baseDirectory })
        let query = Value.object(LookupFunction(alwaysList: true) { baseDirectory })
        env.globals["query"] = query
        env.globals["q"] = query
        return env
    }

    /// Renders every template string inside `value`. `.unsafe` strings stay as they are.
    public func template(_ value: Value, _ variables: VariableLookup) throws -> Value {
        switch value {
        case .string(let s):
            guard Environment.isTemplate(s) else { return value }
            return try environment.template(s).renderNative(variables)
        case .vault(let ciphertext):
            // Decrypted vault text is data, never a template.
            return .unsafe(try decryptVault(ciphertext))
        case .unsafe(let s):
            if let warn = untrustedTemplateWarning, Environment.isTemplate(s) { warn(s) }
            return value
        case .list(let items):
            guard Templar.containsTemplate(value) else { return value }
            return .list(try items.map { try template($0, variables) })
        case .dict(let dict):
            guard Templar.containsTemplate(value) else { return value }
            var out = OrderedDict()
            for (k, v) in dict {
                let key = Environment.isTemplate(k) ? try environment.template(k).render(variables) : k
                out[key] = try template(v, variables)
            }
            return .dict(out)
        default:
            return value
        }
    }

    /// Renders `text` to a string (mixed text, as the `name:` of a task).
    public func templateString(_ text: String, _ variables: VariableLookup) throws -> String {
        guard Environment.isTemplate(text) else { return text }
        return try environment.template(text).render(variables)
    }

    /// Evaluates `when:`-style conditions; all must hold. Each must produce a boolean,
    /// as ansible-core 2.19 requires.
    public func evaluateConditionals(_ conditions: [Value], _ variables: VariableLookup) throws -> (Bool, failed: Value?) {
        for condition in conditions where try !evaluateConditional(condition, variables) {
            return (false, condition)
        }
        return (true, nil)
    }

    /// Evaluates one `when:`-style condition; a bare bool is used as is, null counts as true. Throws `TemplateError` when the result is not a boolean or rendering fails.
    public func evaluateConditional(_ condition: Value, _ variables: VariableLookup,
                                    deprecation: ((String) -> Void)? = nil) throws -> Bool {
        switch condition {
        case .bool(let b): return b
        case .null: return true
        case .unsafe(let s):
            // Text made at run time is never evaluated (ansible-core's trust check).
            if s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return true }
            throw TemplateError.untrusted
        case .string(let s):
            let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return true }
            let result: Value
            do {
                if let indirect = try evaluateIndirectConditional(trimmed, variables, deprecation: deprecation) {
                    result = indirect
                } else if Environment.isTemplate(trimmed) {
                    // Not one template: an expression whose literal templates render.
                    result = try environment.conditionalExpression(trimmed).evaluate(variables)
                } else {
                    result = try environment.expression(trimmed).evaluate(variables)
                }
            } catch let error as JinjaError {
                throw TemplateError.conditional(error)
            }
            if case .bool(let b) = result { return b }
            if case .undefined(let u) = result { throw TemplateError.conditional(JinjaError(.undefined, u.message)) }
            throw TemplateError.brokenConditional(result)
        default:
            throw TemplateError.brokenConditional(condition)
        }
    }

    /// The plaintext of a `!vault` value.
    func decryptVault(_ ciphertext: String) throws -> String {
        let text = String(decoding: try Vault.decrypt(ciphertext, secrets: vaultSecrets), as: UTF8.self)
        decryptedVaultTexts.insert(text)
        return text
    }

    /// True when some string inside `value` has Jinja markup.
    public static func containsTemplate(_ value: Value) -> Bool {
        switch value {
        case .string(let s): return Environment.isTemplate(s)
        case .unsafe: return false
        case .vault: return true  // decrypted on use
        case .list(let items): return items.contains(where: containsTemplate)
        case .dict(let dict):
            for (k, v) in dict where Environment.isTemplate(k) || containsTemplate(v) { return true }
            return false
        default: return false
        }
    }

    /// Removes arguments whose value is the `omit` placeholder (at the top level and in
    /// nested dicts, as Ansible does).
    public static func removeOmitted(_ args: OrderedDict) -> OrderedDict {
        var out = OrderedDict()
        for (k, v) in args {
            if case .string(let s) = v, s == omitPlaceholder { continue }
            if case .dict(let d) = v { out[k] = .dict(removeOmitted(d)); continue }
            out[k] = v
        }
        return out
    }
}

/// Errors raised by Ansible-level templating (as opposed to Jinja syntax/runtime errors).
public enum TemplateError: Error, CustomStringConvertible {
    /// Rendering a condition failed, e.g. an undefined variable.
    case conditional(JinjaError)
    /// A condition produced a non-boolean value (ansible-core 2.19 rejects those).
    case brokenConditional(Value)
    /// A variable's template refers to the variable itself.
    case recursion(String)
    /// A string made at run time was used as a template or expression.
    case untrusted
    /// A conditional template rendered to nothing.
    case emptyConditional

    /// The message, worded as ansible-core 2.19 words it.
    public var description: String {
        switch self {
        case .conditional(let e): return "Error while evaluating conditional: \(e.message)"
        case .brokenConditional(let v):
            return "Conditional result (\(v.isTruthy ? "True" : "False")) was derived from value of type '\(v.pythonTypeName)' at '<unknown>'. Conditionals must have a boolean result."
        case .recursion: return "Recursive loop detected in template: maximum recursion depth exceeded"
        case .untrusted: return Templar.untrustedMessage
        case .emptyConditional: return "Empty conditional expressions are not allowed."
        }
    }
}

/// The plaintexts a run decrypted from `!vault` values (shared by the templar's threads).
final class DecryptedVaultTexts: @unchecked Sendable {
    private let lock = NSLock()
    private var texts = Set<String>()

    func insert(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        texts.insert(text)
    }

    func contains(_ text: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return texts.contains(text)
    }
}
