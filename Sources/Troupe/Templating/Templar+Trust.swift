import Foundation
import Jinja

/// ansible-core 2.19's trust model (data tagging), in the part Troupe needs: strings written
/// in playbooks and roles are trusted templates and expressions; strings made at run time
/// (a template's rendered text, `__ansible_unsafe` extra vars, `!unsafe`) are not, and are
/// never evaluated. A template that only references a variable (`{{ item }}`) passes the
/// value through with its trust. Troupe marks untrusted strings `.unsafe` where their trust
/// is checked later: loop items, debug's `var`, conditionals.
extension Templar {
    /// ansible-core's message when an untrusted string is used as a template or expression.
    public static let untrustedMessage = "Encountered untrusted template or expression."
    /// ansible-core's deprecation for `when: "{{ x }}"`-style conditionals.
    public static let conditionalAsTemplateMessage = "Conditionals should not be surrounded by templating delimiters such as {{ }} or {% %}."

    /// Like ``template(_:_:)``, but a string rendered from a template (not passed through
    /// from a variable) comes back `.unsafe`: untrusted, as ansible-core tags it.
    public func templateMarkingUntrusted(_ value: Value, _ variables: VariableLookup) throws -> Value {
        switch value {
        case .string(let s):
            guard Environment.isTemplate(s) else { return value }
            let compiled = try environment.template(s)
            let result = try compiled.renderNative(variables)
            if !compiled.passesValueThrough, case .string(let text) = result { return .unsafe(text) }
            return result
        case .list(let items):
            guard Templar.containsTemplate(value) else { return value }
            return .list(try items.map { try templateMarkingUntrusted($0, variables) })
        case .dict(let dict):
            guard Templar.containsTemplate(value) else { return value }
            var out = OrderedDict()
            for (k, v) in dict {
                let key = Environment.isTemplate(k) ? try environment.template(k).render(variables) : k
                out[key] = try templateMarkingUntrusted(v, variables)
            }
            return .dict(out)
        default:
            return try template(value, variables)
        }
    }

    /// A conditional that is one template (`when: "{{ x }}"`): ansible-core renders it; a
    /// non-string result is the answer, a string passed through from a trusted variable is
    /// evaluated as the expression, and text the template made is untrusted. Nil when the
    /// string is not one template.
    func evaluateIndirectConditional(_ text: String, _ variables: VariableLookup,
                                     deprecation: ((String) -> Void)? = nil) throws -> Value? {
        guard ModuleNames.isPossiblyAllTemplate(text) else { return nil }
        let compiled = try environment.template(text)
        let result = try compiled.renderNative(variables)
        switch result {
        case .bool, .int, .float, .list, .dict, .null:
            deprecation?(Templar.conditionalAsTemplateMessage)
            return result
        case .unsafe:
            throw TemplateError.untrusted
        case .string(let expression):
            guard compiled.passesValueThrough else { throw TemplateError.untrusted }
            let trimmed = expression.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { throw TemplateError.emptyConditional }
            if Environment.isTemplate(trimmed) { throw TemplateError.untrusted }
            return try environment.expression(trimmed).evaluate(variables)
        default:
            return result
        }
    }
}

extension Templar {
    /// Templates each string inside `value` on its own; one that is undefined becomes an
    /// `.undefined` value instead of failing the whole, as ansible-core's lazy containers let
    /// first_found skip such terms. A `{{ name }}` whose value fails is opened up the same way.
    func templateSkippingUndefined(_ value: Value, _ scope: VariableScope, depth: Int = 0) throws -> Value {
        switch value {
        case .string(let s):
            guard Environment.isTemplate(s) else { return value }
            do {
                return try template(value, scope)
            } catch let error as JinjaError where error.kind == .undefined {
                let name = ModuleNames.isPossiblyAllTemplate(s) ? s.trimmingCharacters(in: .whitespaces).dropFirst(2).dropLast(2)
                    .trimmingCharacters(in: .whitespaces) : ""
                if depth < 8, VariableNames.isValid(name), let (raw, _) = scope.raw(name), raw.listValue != nil || raw.dictValue != nil {
                    return try templateSkippingUndefined(raw, scope, depth: depth + 1)
                }
                if let kept = try? environment.template(s).renderNativeKeepingUndefined(scope) { return kept }
                return .undefined(Undefined(error.message))
            }
        case .list(let items):
            return .list(try items.map { try templateSkippingUndefined($0, scope, depth: depth) })
        case .dict(let dict):
            var out = OrderedDict()
            for (k, v) in dict { out[k] = try templateSkippingUndefined(v, scope, depth: depth) }
            return .dict(out)
        default:
            return try template(value, scope)
        }
    }
}

/// `_ANSIBLE_TEMPLAR_UNTRUSTED_TEMPLATE_BEHAVIOR` (ansible-core's diagnostic setting): what
/// happens when an untrusted string that looks like a template is left as is.
public enum UntrustedTemplateBehavior: String, Sendable {
    case ignore, warning, error

    /// The setting from the environment; ansible-core's default is `ignore`.
    public static var configured: UntrustedTemplateBehavior {
        let text = ProcessInfo.processInfo.environment["_ANSIBLE_TEMPLAR_UNTRUSTED_TEMPLATE_BEHAVIOR"]?.lowercased() ?? ""
        return text == "warn" ? .warning : UntrustedTemplateBehavior(rawValue: text) ?? .ignore
    }

    /// The warning ansible-core prints, with the untrusted text.
    public static func warningText(_ text: String) -> String {
        "\(Templar.untrustedMessage)\n\n\(text)\n\nTemplates and expressions must be defined by trusted sources such as playbooks or roles, not untrusted sources such as module results."
    }
}
