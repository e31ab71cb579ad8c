import Foundation

/// Turns a configured path into an absolute one the way Ansible's `unfrackpath` does
/// (without following symlinks): `$VAR`/`${VAR}` and `~` expanded, relative paths joined to
/// a base directory, `.`/`..` segments normalised.
public enum PathResolver {
    /// Resolves `path` against `base` using `environment` for `$VAR` references.
    public static func resolve(_ path: String, base: String, home: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        var text = path.replacingOccurrences(of: "{{CWD}}", with: FileManager.default.currentDirectoryPath)
        text = expandVariables(text, environment: environment)
        if text == "~" {
            text = home
        } else if text.hasPrefix("~/") {
            text = home + text.dropFirst(1)
        }
        if !text.hasPrefix("/") { text = base + "/" + text }
        return normalize(text)
    }

    /// Collapses `//`, `.` and `..` like `os.path.normpath` for absolute paths.
    public static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `os.path.expandvars`: unknown variables are left untouched.
    static func expandVariables(_ text: String, environment: [String: String]) -> String {
        guard text.contains("$") else { return text }
        var out = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            guard chars[i] == "$", i + 1 < chars.count else { out.append(chars[i]); i += 1; continue }
            if chars[i + 1] == "{", let close = chars[(i + 2)...].firstIndex(of: "}") {
                let name = String(chars[(i + 2)..<close])
                if let value = environment[name] { out += value } else { out += String(chars[i...close]) }
                i = close + 1
                continue
            }
            var j = i + 1
            while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
            let name = String(chars[(i + 1)..<j])
            if !name.isEmpty, let value = environment[name] { out += value } else { out += String(chars[i..<j]) }
            i = max(j, i + 1)
        }
        return out
    }
}
