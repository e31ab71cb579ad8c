import Foundation
import Jinja

/// Ansible's `setup` module (fact gathering) without Python on the managed host: one
/// POSIX shell script (``FactScript``) is run in a single round trip and its output is
/// turned into facts on the controller (``FactParser``).
///
/// Facts are returned under `ansible_facts` *without* the `ansible_` prefix
/// (`ansible_facts.hostname`), the shape of Ansible's `ansible_facts` variable; use
/// ``SetupModule/prefixed(_:)`` for the prefixed form `ansible -m setup` prints.
/// Differences from Ansible: `python`/`python_version` describe the first interpreter
/// found on the host (ansible-core's discovery order), not ansible_python_interpreter;
/// `selinux_python_present` is true whenever the SELinux status was read;
/// `gather_timeout` bounds the whole script rather than each collector; the order of
/// `interfaces` is the sorted /sys/class/net listing; network facts are still gathered
/// without `ip` (from `ifconfig` and /proc/net), where Ansible would leave them out.
public enum SetupModule {
    /// The module's parameters, as Ansible lists them in its "Unsupported parameters" error.
    public static let supportedParameters = ["fact_path", "filter", "gather_subset", "gather_timeout"]

    /// The parsed module arguments.
    struct Options {
        var gatherSubset: [String] = ["all"]
        var filter: [String] = []
        var gatherTimeout = 10
        var factPath = "/etc/ansible/facts.d"
    }

    /// Gathers facts from the host behind `connection`.
    /// - Parameters:
    ///   - connection: an open (or openable) connection to the host
    ///   - arguments: the task's module arguments (a dict, or null for none)
    ///   - become: privilege escalation for the gathering script, if any
    ///   - environment: extra environment variables for the script (the task's `environment:`);
    ///     they also show up in the `env` fact, as they would in Ansible
    /// - Returns: `{"ansible_facts": {...}, "changed": false}`, plus `warnings` when the script
    ///   was cut short by `gather_timeout` (the facts gathered until then are kept)
    /// - Throws: ``TroupeError`` (`.module`) for bad arguments, a bad subset or a script that
    ///   produced nothing; ``UnreachableError`` from the connection.
    public static func gather(connection: Connection, arguments: Value, become: BecomeSettings? = nil,
                              environment: [String: String] = [:]) throws -> Value {
        let options = try parseArguments(arguments)
        let collectors = try FactSubsets.resolve(options.gatherSubset)
        let nonce = makeNonce()
        let script = FactScript.build(nonce: nonce, collectors: collectors, factPath: options.factPath)
        let timeout = options.gatherTimeout > 0 ? Double(options.gatherTimeout) : nil
        let result = try connection.run(CommandRequest(.shell(script), environment: environment, become: become, timeout: timeout))
        let output = String(decoding: result.stdout, as: UTF8.self)
        let sections = FactSections(output: output, nonce: nonce)
        guard !sections.files.isEmpty || !sections.commands.isEmpty || sections.complete else {
            let stderr = String(decoding: result.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let reason = result.timedOut ? "timed out after \(options.gatherTimeout) seconds" : "rc=\(result.rc)"
            throw TroupeError(.module, "Fact gathering failed (\(reason))" + (stderr.isEmpty ? "" : ": \(stderr)"))
        }
        var module = OrderedDict.factDict(["ansible_facts": .dict(facts(from: sections, collectors: collectors, options: options)),
                                     "changed": false])
        if result.timedOut || !sections.complete {
            module["warnings"] = .list([.string("Fact gathering did not finish within gather_timeout (\(options.gatherTimeout) s); "
                + "facts collected after that point are missing")])
        }
        return .dict(module)
    }

    /// Facts from already-split script output, filtered, with `gather_subset` and `module_setup`.
    static func facts(from sections: FactSections, collectors: Set<String>, options: Options) -> OrderedDict {
        var parser = FactParser(sections: sections, collectors: collectors)
        var facts = parser.parse()
        facts["gather_subset"] = .list(options.gatherSubset.map { .string($0) })
        facts["module_setup"] = true
        guard !options.filter.isEmpty, options.filter != ["*"] else { return FactParser.sorted(facts) }
        var kept = OrderedDict()
        for pattern in options.filter {
            for (name, value) in facts where kept[name] == nil {
                let fullName = name == "gather_subset" || name == "module_setup" ? name : "ansible_" + name
                if pattern.isEmpty || FactFilterPattern.matches(fullName, pattern)
                    || (!pattern.hasPrefix("ansible_") && !pattern.hasPrefix("facter") && !pattern.hasPrefix("ohai")
                        && FactFilterPattern.matches(fullName, "ansible_" + pattern)) {
                    kept[name] = value
                }
            }
        }
        return FactParser.sorted(kept)
    }

    /// The facts with Ansible's `ansible_` prefix on every name except `gather_subset` and
    /// `module_setup` (what `ansible -m setup` prints inside `ansible_facts`).
    public static func prefixed(_ facts: Value) -> Value {
        guard let dict = facts.dictValue else { return facts }
        return .dict(OrderedDict(dict.map { entry in
            (entry.key == "gather_subset" || entry.key == "module_setup" ? entry.key : "ansible_" + entry.key, entry.value)
        }))
    }

    static func parseArguments(_ arguments: Value) throws -> Options {
        var options = Options()
        guard let dict = arguments.dictValue else {
            if arguments.isNull || arguments.isUndefined { return options }
            throw TroupeError(.module, "setup module arguments must be a dictionary, got \(arguments.pythonTypeName)")
        }
        // `_ansible_*` keys are the executor's internal arguments, accepted by every module.
        let unknown = dict.keys.filter { !supportedParameters.contains($0) && !$0.hasPrefix("_ansible_") }.sorted()
        if !unknown.isEmpty {
            throw TroupeError(.module, "Unsupported parameters for (setup) module: \(unknown.joined(separator: ", ")). "
                + "Supported parameters include: \(supportedParameters.joined(separator: ", ")).")
        }
        if let value = dict["gather_subset"], !value.isNull { options.gatherSubset = try stringList(value, name: "gather_subset") }
        if let value = dict["filter"], !value.isNull { options.filter = try stringList(value, name: "filter") }
        if let value = dict["gather_timeout"], !value.isNull {
            switch value {
            case .int(let number): options.gatherTimeout = number
            case .string(let text) where Int(text.trimmingCharacters(in: .whitespaces)) != nil:
                options.gatherTimeout = Int(text.trimmingCharacters(in: .whitespaces)) ?? 10
            case .float(let number) where number == number.rounded(): options.gatherTimeout = Int(number)
            default:
                throw TroupeError(.module, "argument 'gather_timeout' is of type \(value.pythonTypeName) and we were unable to convert to int")
            }
        }
        if let value = dict["fact_path"], !value.isNull {
            guard let path = value.stringValue else {
                throw TroupeError(.module, "argument 'fact_path' is of type \(value.pythonTypeName) and we were unable to convert to path")
            }
            options.factPath = path
        }
        return options
    }

    /// Ansible's `type='list', elements='str'`: a list, or a comma-separated string.
    static func stringList(_ value: Value, name: String) throws -> [String] {
        switch value {
        case .list(let items):
            return try items.map { item in
                switch item {
                case .string(let text): return text
                case .int, .float, .bool: return item.pythonString
                default: throw TroupeError(.module, "Elements value for option '\(name)' is of type \(item.pythonTypeName) and we were unable to convert to str")
                }
            }
        case .string(let text):
            return text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        case .int, .float:
            return [value.pythonString]
        default:
            throw TroupeError(.module, "argument '\(name)' is of type \(value.pythonTypeName) and we were unable to convert to list")
        }
    }

    static func makeNonce() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<16).map { _ in alphabet.randomElement() ?? "x" })
    }
}
