import Foundation
import Jinja

/// `pause`: waits for `seconds`/`minutes`, or for Enter after `prompt` on a terminal.
/// Runs once per play, like Ansible's (the strategy treats it as `run_once`).
struct PauseAction: ActionPlugin {
    let name = "pause"

    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        for key in args.keys where !["seconds", "minutes", "prompt", "echo"].contains(key) {
            return ["failed": true, "changed": false, "msg": .string("Invalid argument given. Must be one of: echo, minutes, prompt, seconds")]
        }
        var seconds: Double?
        if let m = args["minutes"] {
            guard let v = m.doubleValue ?? Double(m.pythonString) else {
                return ["failed": true, "changed": false, "msg": .string("non-integer value given for prompt duration:\n\(m.pythonString)")]
            }
            seconds = v * 60
        } else if let s = args["seconds"] {
            guard let v = s.doubleValue ?? Double(s.pythonString) else {
                return ["failed": true, "changed": false, "msg": .string("non-integer value given for prompt duration:\n\(s.pythonString)")]
            }
            seconds = v
        }
        let start = Date()
        var input = ""
        if let seconds {
            if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
        } else if isatty(STDIN_FILENO) != 0 {
            let prompt = args["prompt"]?.pythonString ?? "Press enter to continue, Ctrl+C to interrupt"
            FileHandle.standardOutput.write(Data("[\(context.task.name ?? "pause")]\n\(prompt):\n".utf8))
            input = readLine() ?? ""
        }
        let stop = Date()
        var result = OrderedDict()
        result["changed"] = false
        result["rc"] = 0
        result["stderr"] = ""
        result["start"] = .string(CommandModule.timestamp(start))
        result["stop"] = .string(CommandModule.timestamp(stop))
        result["delta"] = .int(Int(stop.timeIntervalSince(start)))
        result["echo"] = .bool(args["echo"].flatMap(ArgumentSpec.boolean) ?? true)
        result["user_input"] = .string(input)
        // Ansible reports the measured duration, rounded to two decimals.
        let elapsed = stop.timeIntervalSince(start)
        let inMinutes = args["minutes"] != nil || seconds == nil
        let shown = ((inMinutes ? elapsed / 60 : elapsed) * 100).rounded() / 100
        result["stdout"] = .string("Paused for \(Value.pythonFloatRepr(shown)) \(inMinutes ? "minutes" : "seconds")")
        return .dict(result)
    }
}
