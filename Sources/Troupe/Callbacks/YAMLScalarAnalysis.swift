import Foundation

/// What the YAML emitter decides about a scalar before choosing its style (libyaml's
/// `yaml_emitter_analyze_scalar`, as ansible dumps with libyaml), with unicode allowed.
struct ScalarAnalysis {
    var empty = false
    var multiline = false
    var allowFlowPlain = true
    var allowBlockPlain = true
    var allowSingleQuoted = true
    var allowDoubleQuoted = true
    var allowBlock = true

    init(_ text: String) {
        let chars = Array(text.unicodeScalars)
        if chars.isEmpty {
            empty = true
            allowFlowPlain = false
            allowBlock = false
            return
        }
        let breaks = YAMLResultEmitter.breaks
        let spaceLike: Set<Unicode.Scalar> = ["\0", " ", "\t", "\r", "\n", "\u{85}", "\u{2028}", "\u{2029}"]
        var blockIndicators = false, flowIndicators = false, lineBreaks = false, special = false
        var leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
        var breakSpace = false, spaceBreak = false
        if text.hasPrefix("---") || text.hasPrefix("...") {
            blockIndicators = true
            flowIndicators = true
        }
        var precededByWhitespace = true
        var followedByWhitespace = chars.count == 1 || spaceLike.contains(chars[1])
        var previousSpace = false, previousBreak = false
        for (index, ch) in chars.enumerated() {
            if index == 0 {
                if "#,[]{}&*!|>'\"%@`".unicodeScalars.contains(ch) {
                    flowIndicators = true
                    blockIndicators = true
                }
                if ch == "?" || ch == ":" {
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                }
                if ch == "-" && followedByWhitespace {
                    flowIndicators = true
                    blockIndicators = true
                }
            } else {
                if ",?[]{}".unicodeScalars.contains(ch) { flowIndicators = true }
                if ch == ":" {
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                }
                if ch == "#" && precededByWhitespace {
                    flowIndicators = true
                    blockIndicators = true
                }
            }
            let isBreak = breaks.contains(ch) || ch == "\r"
            if isBreak { lineBreaks = true }
            if !YAMLResultEmitter.isPrintable(ch) { special = true }
            if ch == " " {
                if index == 0 { leadingSpace = true }
                if index == chars.count - 1 { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if isBreak {
                if index == 0 { leadingBreak = true }
                if index == chars.count - 1 { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = spaceLike.contains(ch)
            followedByWhitespace = index + 2 >= chars.count || spaceLike.contains(chars[index + 2])
        }
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
            allowFlowPlain = false
            allowBlockPlain = false
        }
        if trailingSpace { allowBlock = false }
        if breakSpace {
            allowFlowPlain = false
            allowBlockPlain = false
            allowSingleQuoted = false
        }
        if spaceBreak || special {
            allowFlowPlain = false
            allowBlockPlain = false
            allowSingleQuoted = false
            allowBlock = false
        }
        if lineBreaks {
            allowFlowPlain = false
            allowBlockPlain = false
        }
        if flowIndicators { allowFlowPlain = false }
        if blockIndicators { allowBlockPlain = false }
        multiline = lineBreaks
    }
}

/// PyYAML's YAML 1.1 implicit resolvers: whether a plain scalar would load as something
/// other than a string (so the emitter must quote it).
enum YAMLImplicitTypes {
    private static let patterns: [NSRegularExpression] = [
        #"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"#,
        #"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"#,
        #"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"#,
        #"^(?:<<)$"#,
        #"^(?:~|null|Null|NULL|)$"#,
        #"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$"#,
        #"^(?:=)$"#,
        #"^(?:!|&|\*)$"#,
    ].map { try! NSRegularExpression(pattern: $0) }

    /// True when `text`, written plain, would not read back as the same string.
    static func resolvesToNonString(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..., in: text)
        return patterns.contains { $0.firstMatch(in: text, range: range) != nil }
    }
}
