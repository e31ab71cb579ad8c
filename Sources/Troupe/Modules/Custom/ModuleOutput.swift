import Foundation
import Jinja

/// Turns what a custom module printed into its result the way Ansible's action base
/// does: noise before the JSON object and after it is dropped (trailing noise warns),
/// output without a JSON object becomes a deserialization failure carrying
/// `module_stdout`, `module_stderr` and `rc`.
enum ModuleOutput {
    /// The result dict for a module run that printed `stdout`/`stderr` and exited with `rc`.
    /// `interpreter` names the interpreter used, to explain a missing one.
    static func result(stdout: String, stderr: String, rc: Int, interpreter: String?) -> OrderedDict {
        var warnings: [Value] = []
        var data: OrderedDict
        do {
            let (json, junk) = try extractJSON(stdout)
            warnings = junk.map(Value.string)
            guard case .dict(let parsed) = try Value.parseJSON(json) else {
                throw ExtractionError(message: "Expecting a JSON object")
            }
            data = parsed
        } catch {
            let reason = (error as? ExtractionError)?.message ?? TaskErrorText.message(error)
            var failure = OrderedDict()
            failure["failed"] = true
            failure["changed"] = false
            if let interpreter, interpreterMissing(interpreter, stdout: stdout, stderr: stderr) {
                failure["msg"] = .string("The module interpreter '\(interpreter)' was not found.")
            } else {
                failure["msg"] = .string("Module result deserialization failed: \(reason)")
            }
            failure["module_stdout"] = .string(stdout)
            failure["module_stderr"] = .string(stderr)
            failure["rc"] = .int(rc)
            return failure
        }
        normalizeMessages(&data)
        for key in data.keys where key.hasPrefix("_ansible_") && key != "_ansible_no_log" {
            data[key] = nil
        }
        if let results = data["results"], results.listValue == nil {
            data["ansible_module_results"] = results
            data["results"] = nil
            warnings.append("Found internal 'results' key in module return, renamed to 'ansible_module_results'.")
        }
        for stream in ["stdout", "stderr"] where data[stream] != nil && data[stream + "_lines"] == nil {
            let text = data[stream]?.stringValue ?? ""
            data[stream + "_lines"] = .list(CommandModule.lines(text))
        }
        if data["changed"] == nil { data["changed"] = false }
        if data["failed"] == nil, let code = data["rc"], code != .int(0), code != .string("0") { data["failed"] = true }
        if !warnings.isEmpty {
            data["warnings"] = .list(warnings + (data["warnings"]?.listValue ?? []))
        }
        return data
    }

    struct ExtractionError: Error { var message: String }

    /// ansible-core 2.19 modules report warnings and deprecations as serialized summaries
    /// (`{"event": {"msg", "help_text"}, "deprecator": {"resolved_name"}, "version", "__ansible_type"}`);
    /// they become the plain forms the callbacks print: text, and `{msg, version, date, collection_name, help_text}`.
    static func normalizeMessages(_ data: inout OrderedDict) {
        if let warnings = data["warnings"]?.listValue {
            data["warnings"] = .list(warnings.map { item in
                guard let event = item["event"], let msg = event["msg"]?.stringValue else { return item }
                return .string(msg + (event["help_text"]?.stringValue.map { " " + $0 } ?? ""))
            })
        }
        if let deprecations = data["deprecations"]?.listValue {
            data["deprecations"] = .list(deprecations.map { item in
                guard let event = item["event"], let msg = event["msg"]?.stringValue else { return item }
                var plain = OrderedDict()
                plain["msg"] = .string(msg)
                if let v = item["version"], !v.isNull { plain["version"] = .string(v.pythonString) }
                if let d = item["date"], !d.isNull { plain["date"] = .string(d.pythonString) }
                if let name = item["deprecator"]?["resolved_name"]?.stringValue { plain["collection_name"] = .string(name) }
                if let help = event["help_text"]?.stringValue { plain["help_text"] = .string(help) }
                return .dict(plain)
            })
        }
    }

    /// Ansible's `_filter_non_json_lines` for objects: the lines from the first one that
    /// starts with `{` to the last one that ends with `}`; warnings for trailing junk.
    static func extractJSON(_ output: String) throws -> (String, [String]) {
        var lines: [String] = []
        output.enumerateLines { line, _ in lines.append(line) }
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("{") }) else {
            throw ExtractionError(message: "No start of json char found")
        }
        let rest = Array(lines[start...])
        guard let end = rest.lastIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasSuffix("}") }) else {
            throw ExtractionError(message: "No end of json char found")
        }
        let trailing = rest[(end + 1)...]
        var warnings: [String] = []
        if trailing.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            warnings.append("Module invocation had junk after the JSON data: " + trailing.joined(separator: "\n"))
        }
        return (rest[...end].joined(separator: "\n"), warnings)
    }

    private static func interpreterMissing(_ interpreter: String, stdout: String, stderr: String) -> Bool {
        let suffixes = [": No such file or directory", ": not found", ": command not found"]
        return suffixes.contains { stderr.contains(interpreter + $0) || stdout.contains(interpreter + $0) }
    }
}
