/// Python's backslash escapes in string literals (`\n`, `\x41`, `\u00e9`, `\101` …),
/// shared by the template lexer and the inventory's literal parser.
public enum PythonStringEscape {
    /// Why an escape could not be decoded, worded as Python words it.
    public struct Failure: Error {
        public let message: String
    }

    /// Decodes the escape whose letter is at `scalars[index]` (just after the backslash),
    /// appends its text to `out` and moves `index` past it. Unknown escapes keep their
    /// backslash; a backslash-newline is a line continuation and adds nothing.
    public static func decode(_ scalars: [Unicode.Scalar], at index: inout Int,
                              into out: inout String.UnicodeScalarView) throws {
        let e = scalars[index]
        index += 1
        func hex(_ count: Int) throws -> Unicode.Scalar {
            guard index + count <= scalars.count else { throw Failure(message: "truncated escape sequence in string literal") }
            var v: UInt32 = 0
            for k in 0..<count {
                guard let d = scalars[index + k].properties.isASCIIHexDigit ? hexValue(scalars[index + k]) : nil else {
                    throw Failure(message: "truncated escape sequence in string literal")
                }
                v = v * 16 + d
            }
            index += count
            guard let scalar = Unicode.Scalar(v) else { throw Failure(message: "illegal Unicode character in string literal") }
            return scalar
        }
        switch e {
        case "\n": break
        case "\\": out.append("\\")
        case "'": out.append("'")
        case "\"": out.append("\"")
        case "a": out.append("\u{07}")
        case "b": out.append("\u{08}")
        case "f": out.append("\u{0C}")
        case "n": out.append("\n")
        case "r": out.append("\r")
        case "t": out.append("\t")
        case "v": out.append("\u{0B}")
        case "x": out.append(try hex(2))
        case "u": out.append(try hex(4))
        case "U": out.append(try hex(8))
        case "0"..."7":
            // Up to three octal digits: at most 0o777, always a valid scalar.
            var v = e.value - 0x30
            var n = 1
            while n < 3, index < scalars.count, ("0"..."7").contains(scalars[index]) {
                v = v * 8 + (scalars[index].value - 0x30)
                index += 1
                n += 1
            }
            out.append(Unicode.Scalar(v)!)
        default:
            out.append("\\")
            out.append(e)
        }
    }

    private static func hexValue(_ s: Unicode.Scalar) -> UInt32? {
        switch s {
        case "0"..."9": return s.value - 0x30
        case "a"..."f": return s.value - 0x61 + 10
        case "A"..."F": return s.value - 0x41 + 10
        default: return nil
        }
    }
}
