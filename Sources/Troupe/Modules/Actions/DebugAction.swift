import Jinja

/// `debug`: prints `msg` or the value of `var`, at or above a verbosity.
struct DebugAction: ActionPlugin {
    let name = "debug"
    var templatesArguments: Bool { false }

    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        let unsupported = args.keys.filter { !["msg", "var", "verbosity"].contains($0) }.sorted()
        if !unsupported.isEmpty {
            throw TroupeError(.module, "Unsupported parameters for (debug) module: \(unsupported.joined(separator: ", ")). Supported parameters include: msg, var, verbosity.")
        }
        var args = args
        // A `var` that is a template for `omit` is left out, like any omitted argument.
        if let variable = args["var"], case .string(let text) = variable, text.contains("omit"), Environment.isTemplate(text),
           case .string(Templar.omitPlaceholder)? = try? context.templar.template(variable, context.scope) {
            args["var"] = nil
        }
        if args["msg"] != nil && args["var"] != nil {
            return ["failed": true, "msg": "parameters are mutually exclusive: msg|var"]
        }
        let verbosityValue = try context.templar.template(args["verbosity"] ?? 0, context.scope)
        let verbosity = verbosityValue.intValue ?? Int(verbosityValue.pythonString) ?? 0
        if context.options.verbosity < verbosity {
            return ["skipped_reason": "Verbosity threshold not met.", "skipped": true, "failed": false, "changed": false]
        }
        var result = OrderedDict()
        if let variable = args["var"] {
            // The argument spec takes `var` as a string without conversion.
            guard variable.stringValue != nil else {
                return ["failed": true, "msg": .string("argument 'var' is of type \(variable.pythonTypeName) and we were unable to convert to "
                        + "_check_type_str_no_conversion: \(variable.pythonRepr) is not a string and conversion is not allowed")]
            }
            var name = variable.pythonString
            // `!unsafe` marks text that must never be evaluated as an expression.
            if case .unsafe = variable {
                throw TroupeError(.templating, "Error while resolving `var` expression: \(Templar.untrustedMessage)")
            }
            let value: Value
            if Environment.isTemplate(name) {
                // ansible-core finalizes a templated `var` like any task argument first: an error
                // there fails the task, and the result must name a variable (a string).
                let templated: Value
                do { templated = try context.templar.templateMarkingUntrusted(variable, context.scope) } catch {
                    throw TaskArgsFinalization.error(action: context.task.fullActionName, key: "var", error)
                }
                // Text the template made is not a trusted expression (a variable's value passed through is).
                if case .unsafe = templated {
                    throw TroupeError(.templating, "Error while resolving `var` expression: \(Templar.untrustedMessage)")
                }
                guard let text = templated.stringValue else {
                    return ["failed": true, "msg": .string("argument 'var' is of type \(templated.pythonTypeName) and we were unable to convert to "
                            + "_check_type_str_no_conversion: '\(templated.pythonString)' is not a string and conversion is not allowed")]
                }
                name = text
            }
            do {
                let expression = Environment.isTemplate(name) ? name : "{{ \(name) }}"
                value = try context.templar.template(.string(expression), context.scope)
            } catch let error as JinjaError where error.kind != .undefined {
                // Only undefined values become a placeholder; any other error fails the task.
                throw TroupeError(.templating, "Error while resolving `var` expression: \(TaskErrorText.message(error))")
            } catch {
                // A result warning, as ansible-core returns it (the callback prints it).
                result["warnings"] = [.string("Encountered 1 template error.\nerror 1 - \(TaskErrorText.message(error))")]
                result[name] = .string("<< error 1 - \(TaskErrorText.message(error)) >>")
                result["_ansible_verbose_always"] = true
                result["changed"] = false
                return .dict(result)
            }
            if case .string(Templar.omitPlaceholder) = value {
                result["warnings"] = ["The result of the `var` expression could not be omitted; a placeholder was used instead."]
                result[name] = "<<Omit>>"
            } else {
                result[name] = value
            }
        } else {
            do {
                result["msg"] = try context.templar.template(args["msg"] ?? "Hello world!", context.scope)
            } catch {
                throw TaskArgsFinalization.error(action: context.task.fullActionName, key: "msg", error)
            }
        }
        result["_ansible_verbose_always"] = true
        result["failed"] = false  // as ansible's debug action reports; loop items keep it
        result["changed"] = false
        return .dict(result)
    }
}

/// `fail`: fails the task with a message.
struct FailAction: ActionPlugin {
    let name = "fail"
    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        let msg = args["msg"] ?? "Failed as requested from task"
        return ["failed": true, "changed": false, "msg": msg]
    }
}

/// `set_fact`: sets host variables (templated now, kept for the rest of the run).
struct SetFactAction: ActionPlugin {
    let name = "set_fact"
    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        var facts = OrderedDict()
        var cacheable = false
        for (rawKey, v) in args {
            if rawKey == "cacheable" { cacheable = ArgumentSpec.boolean(v) ?? false; continue }
            // Keys are templates too (`"{{ item.key }}": …`), as ansible-core's set_fact templates them.
            let templatedKey = rawKey.contains("{{") ? try context.templar.template(.string(rawKey), context.scope) : .string(rawKey)
            let k = templatedKey.pythonString
            guard templatedKey.stringValue != nil, VariableNames.isValid(k) else {
                // ansible-core raises this (no "Action failed:" in front of it).
                let type = templatedKey.stringValue == nil ? " of type '\(templatedKey.pythonTypeName)'" : ""
                throw TroupeError(.module, "Invalid variable name '\(k)'\(type).")
            }
            facts[k] = v
        }
        if facts.isEmpty {
            return ["failed": true, "changed": false, "msg": "No key/value pairs provided, at least one is required for this action to succeed"]
        }
        return ["ansible_facts": .dict(facts), "changed": false, "_ansible_facts_cacheable": .bool(cacheable)]
    }
}

/// `assert`: evaluates conditions; fails with the first one that is false.
struct AssertAction: ActionPlugin {
    let name = "assert"
    var templatesArguments: Bool { false }

    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        guard var that = args["that"] else {
            return ["failed": true, "changed": false, "msg": "missing required arguments: that"]
        }
        let quiet = ArgumentSpec.boolean(try context.templar.template(args["quiet"] ?? false, context.scope)) ?? false
        // As ansible-core's assert: a `that` that is one template and renders to a list is the
        // list of conditions (its items are not templated here).
        if let text = that.stringValue, case .string = that, ModuleNames.isPossiblyAllTemplate(text) {
            // `{{ name }}`: ansible-core's lazy list keeps its items as written (templates among them).
            let name = text.dropFirst(2).dropLast(2).trimmingCharacters(in: .whitespaces)
            if VariableNames.isValid(name), case .list(let raw)? = context.scope.raw(name)?.0 {
                that = .list(raw)
            } else if case .list(let list)? = try? context.templar.environment.template(text).renderNative(context.scope) {
                that = .list(list)
            }
        }
        let conditions = Task.conditionList(that)
        if that.isNull || conditions.contains(where: { $0.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? $0.isNull }) {
            throw TemplateError.emptyConditional
        }
        var deprecations: [Value] = []
        func deprecate(_ message: String) {
            deprecations.append(["collection_name": "ansible.builtin", "msg": .string(message), "version": "2.23"])
        }
        for condition in conditions {
            if try !context.templar.evaluateConditional(condition, context.scope, deprecation: deprecate) {
                var r = OrderedDict()
                r["assertion"] = condition
                r["changed"] = false
                r["evaluated_to"] = false
                r["failed"] = true
                let failMsg = args["fail_msg"] ?? args["msg"]
                r["msg"] = try failMsg.map { try context.templar.template($0, context.scope) } ?? "Assertion failed"
                if !deprecations.isEmpty { r["deprecations"] = .list(deprecations) }
                return .dict(r)
            }
        }
        var r = OrderedDict()
        if !deprecations.isEmpty { r["deprecations"] = .list(deprecations) }
        r["changed"] = false
        r["msg"] = try args["success_msg"].map { try context.templar.template($0, context.scope) } ?? "All assertions passed"
        if !quiet { r["_ansible_verbose_always"] = true }
        return .dict(r)
    }
}

/// Variable-name rules for set_fact/register.
/// ansible-core 2.19's validate_variable_name: an ASCII Python identifier that is not one
/// of Jinja's keywords (Python's own keywords are allowed).
enum VariableNames {
    static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || CharacterSet.alphanumerics.contains($0)) } && !jinjaKeywords.contains(name)
    }
    static let jinjaKeywords: Set<String> = ["False", "None", "True", "false", "none", "not", "true"]
}

import Foundation
