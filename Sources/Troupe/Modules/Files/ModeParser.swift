import Foundation
import Jinja

/// Turns a `mode:` argument into permission bits the way Ansible's
/// `set_mode_if_different` does: ints are taken as they are, strings are octal
/// (`"0644"`, `"644"`) or symbolic chmod clauses (`"u=rw,g+X,o-w"`).
public enum ModeParser {
    static let permissionBits: UInt32 = 0o7777

    /// Why a mode could not be understood, with Ansible's message and details.
    public struct InvalidMode: Error {
        /// Ansible's `msg`.
        public var message: String
        /// Ansible's `details`.
        public var details: String
    }

    /// The new permission bits for a file whose current bits are `current`.
    /// - Parameters:
    ///   - isDirectory: decides whether `X` grants execute.
    ///   - umask: applied to clauses without a `who` part (`+x`), like chmod.
    public static func resolve(_ mode: Value, current: UInt32, isDirectory: Bool, umask: UInt32 = 0o022) throws -> UInt32 {
        let resolved: UInt32
        switch mode {
        case .int(let i):
            guard i >= 0 else { throw InvalidMode(message: "Invalid mode supplied, only permission info is allowed", details: String(i)) }
            resolved = UInt32(truncatingIfNeeded: i)
            if Int(resolved) != i { throw InvalidMode(message: "Invalid mode supplied, only permission info is allowed", details: String(i)) }
        case .float(let d) where d == d.rounded() && d >= 0:
            resolved = UInt32(d)
        default:
            let text = mode.stringValue ?? mode.pythonString
            if let octal = UInt32(text, radix: 8) {
                resolved = octal
            } else {
                do {
                    resolved = try symbolic(text, current: current & permissionBits, isDirectory: isDirectory, umask: umask)
                } catch let e as InvalidMode {
                    throw InvalidMode(message: "mode must be in octal or symbolic form", details: e.details)
                }
            }
        }
        if resolved & ~permissionBits != 0 {
            throw InvalidMode(message: "Invalid mode supplied, only permission info is allowed", details: String(resolved))
        }
        return resolved
    }

    /// Ansible's "0%03o" rendering of permission bits.
    public static func format(_ bits: UInt32) -> String {
        "0" + String(format: "%03o", bits & permissionBits)
    }

    static func symbolic(_ text: String, current: UInt32, isDirectory: Bool, umask: UInt32) throws -> UInt32 {
        var mode = current
        for clause in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            let bad = InvalidMode(message: "mode must be in octal or symbolic form", details: "bad symbolic permission for mode: \(clause)")
            guard let firstOperator = clause.firstIndex(where: { "+-=".contains($0) }) else { throw bad }
            var users = String(clause[..<firstOperator])
            let useUmask = users.isEmpty
            if users.isEmpty || users == "a" { users = "ugo" }
            guard users.allSatisfy({ "ugo".contains($0) }) else { throw bad }
            // Split the remainder into (operator, permissions) pairs: "+x-w" → [("+","x"), ("-","w")].
            var pairs: [(Character, String)] = []
            for ch in clause[firstOperator...] {
                if "+-=".contains(ch) { pairs.append((ch, "")) } else { pairs[pairs.count - 1].1.append(ch) }
            }
            for (op, perms) in pairs {
                guard perms.allSatisfy({ "rwxXstugo".contains($0) }) else { throw bad }
                for user in users {
                    let bits = permissionValue(user: user, perms: perms, previous: mode, isDirectory: isDirectory,
                                               useUmask: useUmask, umask: umask)
                    mode = apply(op, user: user, bits: bits, to: mode)
                }
            }
        }
        return mode
    }

    private static func permissionValue(user: Character, perms: String, previous: UInt32, isDirectory: Bool,
                                        useUmask: Bool, umask: UInt32) -> UInt32 {
        let allowed = useUmask ? (umask ^ 0o7777) : 0o7777
        let applyX = isDirectory || (previous & 0o111) != 0
        let shift: UInt32 = user == "u" ? 6 : (user == "g" ? 3 : 0)
        var bits: UInt32 = 0
        for p in perms {
            switch p {
            case "r": bits |= (0o4 << shift) & allowed
            case "w": bits |= (0o2 << shift) & allowed
            case "x": bits |= (0o1 << shift) & allowed
            case "X": if applyX { bits |= 0o1 << shift }
            case "s": if user == "u" { bits |= 0o4000 } else if user == "g" { bits |= 0o2000 }
            case "t": if user == "o" { bits |= 0o1000 }
            case "u": bits |= ((previous >> 6) & 0o7) << shift
            case "g": bits |= ((previous >> 3) & 0o7) << shift
            case "o": bits |= (previous & 0o7) << shift
            default: break
            }
        }
        return bits
    }

    private static func apply(_ op: Character, user: Character, bits: UInt32, to mode: UInt32) -> UInt32 {
        switch op {
        case "=":
            let mask: UInt32 = user == "u" ? 0o4700 : (user == "g" ? 0o2070 : 0o1007)
            return (mode & (mask ^ 0o7777)) | bits
        case "+": return mode | bits
        default: return mode & ~bits
        }
    }
}
