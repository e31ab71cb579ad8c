import Foundation
import Jinja

/// ansible-core's template globals beyond Jinja's: `now()` and `undef()`.
enum AnsibleGlobals {
    static func install(into environment: Environment) {
        environment.globals["now"] = .object(GlobalCallable("now", now))
        environment.globals["undef"] = .object(GlobalCallable("undef", undef))
    }

    /// `now(utc=False, fmt=None)`: the current local (or UTC) time as a datetime, or formatted
    /// with `fmt` (strftime).
    static func now(_ arguments: Arguments, _ context: CallContext) throws -> Value {
        let utc = arguments.value(0, "utc")?.isTruthy ?? false
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc ? TimeZone(identifier: "UTC")! : TimeZone.current
        let date = Date()
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        let value = PythonDateTime(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1, hour: c.hour ?? 0,
                                   minute: c.minute ?? 0, second: c.second ?? 0, microsecond: (c.nanosecond ?? 0) / 1000)
        guard let format = arguments.value(1, "fmt"), !format.isNull else { return .object(value) }
        guard case .object(let strftime)? = value.attribute("strftime") else { return .string(value.renderedString) }
        return try strftime.call(Arguments([format]), context)
    }

    /// `undef(hint=None)`: an undefined value, whose use fails with the hint.
    static func undef(_ arguments: Arguments, _ context: CallContext) throws -> Value {
        if let hint = arguments.value(0, "hint"), !hint.isNull {
            return .undefined(Undefined("Mandatory variable has not been overridden: \(hint.pythonString)"))
        }
        return .undefined(Undefined("Mandatory variable has not been overridden"))
    }
}

/// A named global function implemented by a closure.
final class GlobalCallable: JinjaObject, @unchecked Sendable {
    let name: String
    let body: (Arguments, CallContext) throws -> Value
    init(_ name: String, _ body: @escaping (Arguments, CallContext) throws -> Value) {
        self.name = name
        self.body = body
    }
    override var typeName: String { "function" }
    override var isCallable: Bool { true }
    override func call(_ arguments: Arguments, _ context: CallContext) throws -> Value { try body(arguments, context) }
    override var renderedString: String { "<function \(name)>" }
}
