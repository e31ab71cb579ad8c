import Foundation
import Jinja

/// Prints errors the way ansible-core 2.19 does: `[ERROR]: message`, the origin, and the
/// offending lines with a caret; and maps them to ansible-playbook's exit codes.
public enum ErrorReport {
    /// The `[ERROR]: …` text of `error`, with origin and source excerpt, newline-terminated.
    public static func render(_ error: Error) -> String {
        var text = "[ERROR]: "
        switch error {
        case let e as TroupeError:
            text += e.message
            if let location = e.location {
                text += "\nOrigin: \(location.file):\(location.line):\(location.column)\n\n"
                text += snippet(location) ?? "(source not shown: file truncated)\n"
            }
        case let e as JinjaError:
            text += e.description
        default:
            text += "\(error)"
        }
        return text.hasSuffix("\n") ? text : text + "\n"
    }

    /// The line and up to two before it, numbered, then a caret under the column.
    static func snippet(_ location: SourceLocation) -> String? {
        guard let source = try? String(contentsOfFile: location.file, encoding: .utf8) else { return nil }
        let lines = source.components(separatedBy: "\n")
        guard location.line >= 1, location.line <= lines.count else { return nil }
        let first = max(1, location.line - 2)
        let width = String(location.line).count
        var out = ""
        for n in first...location.line {
            let number = String(n)
            out += String(repeating: " ", count: width - number.count) + number + " " + lines[n - 1] + "\n"
        }
        out += String(repeating: " ", count: width + 1 + max(0, location.column - 1)) + "^ column \(location.column)\n\n"
        return out
    }

    /// ansible-playbook's exit codes: 4 parse errors, 5 bad options, 1 anything else.
    public static func exitCode(_ error: Error) -> Int32 {
        switch (error as? TroupeError)?.code {
        case .parse?: return 4
        case .options?: return 5
        default: return 1
        }
    }
}
