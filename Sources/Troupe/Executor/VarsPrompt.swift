import Foundation
import Jinja

/// `vars_prompt`: asks on the terminal; without one, uses the default or fails. Variables
/// already given as extra vars are not asked for.
enum VarsPrompt {
    static func answers(for play: Play, extraVars: OrderedDict, templar: Templar, scope: VariableScope) throws -> OrderedDict {
        guard let prompts = play.keywords["vars_prompt"]?.listValue else { return OrderedDict() }
        var answers = OrderedDict()
        for entry in prompts {
            guard let name = entry["name"]?.stringValue else {
                throw TroupeError(.parse, "Invalid vars_prompt data structure, missing 'name' key", location: play.keywords.locations["vars_prompt"])
            }
            if extraVars.contains(name) { continue }
            let text = entry["prompt"]?.stringValue ?? name
            let isPrivate = entry["private"].flatMap(ArgumentSpec.boolean) ?? true
            let defaultValue = try entry["default"].map { try templar.template($0, scope) }
            guard isatty(STDIN_FILENO) != 0 else {
                guard let defaultValue else {
                    throw TroupeError(.options, "vars_prompt '\(name)' needs an answer, but stdin is not a terminal; give it with -e \(name)=...")
                }
                answers[name] = defaultValue
                continue
            }
            let shown = defaultValue.map { " [\($0.pythonString)]" } ?? ""
            var answer = read("\(text)\(shown): ", secret: isPrivate)
            if entry["confirm"].flatMap(ArgumentSpec.boolean) ?? false {
                while read("confirm \(text): ", secret: isPrivate) != answer {
                    FileHandle.standardError.write(Data("***** VALUES ENTERED DO NOT MATCH ****\n".utf8))
                    answer = read("\(text)\(shown): ", secret: isPrivate)
                }
            }
            answers[name] = answer.isEmpty ? (defaultValue ?? .string("")) : .unsafe(answer)
        }
        return answers
    }

    private static func read(_ prompt: String, secret: Bool) -> String {
        if secret, let p = getpass(prompt) { return String(cString: p) }
        FileHandle.standardOutput.write(Data(prompt.utf8))
        return readLine() ?? ""
    }
}
