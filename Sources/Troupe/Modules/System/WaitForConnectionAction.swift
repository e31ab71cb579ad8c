import Foundation
import Jinja

/// `wait_for_connection`: retries the `ping` module (resetting the connection between
/// attempts) until the host answers or `timeout` passes.
struct WaitForConnectionAction: ActionPlugin {
    let name = "wait_for_connection"

    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        let valid = ["connect_timeout", "delay", "sleep", "timeout"]
        let invalid = args.keys.filter { !valid.contains($0) }
        if !invalid.isEmpty {
            return ["failed": true, "changed": false, "msg": .string("Invalid options for wait_for_connection: \(invalid.joined(separator: ","))")]
        }
        func number(_ key: String, _ fallback: Int) throws -> Int {
            guard let v = args[key] else { return fallback }
            if let i = v.intValue { return i }
            guard let i = Int(v.pythonString) else { throw TroupeError(.module, "invalid literal for int() with base 10: '\(v.pythonString)'") }
            return i
        }
        let delay = try number("delay", 0), pause = try number("sleep", 1), timeout = try number("timeout", 600)
        if context.checkMode { return ["skipped": true] }
        let start = Date()
        if delay > 0 { Thread.sleep(forTimeInterval: Double(delay)) }
        let failure = context.retryUntilSuccess(timeout: Double(timeout), pause: { _ in Double(pause) }) {
            context.resetConnection()
            let result = try context.runModule("ping", [:])
            if result["ping"]?.stringValue != "pong" { throw TroupeError(.module, result["msg"]?.stringValue ?? "ping test failed") }
        }
        var result: OrderedDict = ["changed": false]
        if let failure {
            result["failed"] = true
            result["msg"] = .string("timed out waiting for ping module test: \(failure)")
        }
        result["elapsed"] = .int(Int(Date().timeIntervalSince(start)))
        return .dict(result)
    }
}

extension ActionContext {
    /// Whether the task runs in check mode (task keyword or --check).
    var checkMode: Bool {
        if let v = task.inherited("check_mode"), let b = ArgumentSpec.boolean((try? templar.template(v, scope)) ?? v) { return b }
        return options.check
    }

    /// Drops the host's connection; the next module call reconnects.
    func resetConnection() { run.runner.resetConnection(host: host) }

    /// Runs `attempt` until it does not throw or `timeout` seconds pass, sleeping
    /// `pause(failures)` seconds between tries. Returns the last error's text on timeout.
    func retryUntilSuccess(timeout: Double, pause: (Int) -> Double, _ attempt: () throws -> Void) -> String? {
        let end = Date().addingTimeInterval(timeout)
        var failures = 0
        var last = "timed out"
        while Date() < end {
            do {
                try attempt()
                return nil
            } catch {
                last = TaskErrorText.message(error)
                Thread.sleep(forTimeInterval: max(0, min(pause(failures), end.timeIntervalSinceNow)))
                failures += 1
            }
        }
        return last
    }
}
