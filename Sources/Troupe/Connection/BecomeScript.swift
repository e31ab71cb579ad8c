import Foundation

/// Privilege escalation failed before the command ran (missing or wrong password, user not
/// allowed). The task fails with this message; the host stays reachable.
public struct BecomeError: Error, Sendable, CustomStringConvertible {
    /// Ansible-style text, e.g. "Missing sudo password" or "Incorrect sudo password".
    public var message: String
    /// What the escalation program printed.
    public var detail: String
    /// Creates the error.
    public init(_ message: String, detail: String = "") {
        self.message = message
        self.detail = detail
    }
    /// The message.
    public var description: String { message }
}

/// Wraps a script in sudo or su for ``PersistentShell``. The password travels as the first
/// line of the request's stdin bytes, read by the shell's builtin `read` and written to the
/// escalation program's stdin with the builtin `printf`: it never appears on a command line.
struct BecomeScript {
    let settings: BecomeSettings
    /// Printed on stderr by the escalated shell before the command starts; its absence means
    /// escalation failed.
    let marker = "BECOME-SUCCESS-" + PersistentShell.randomToken()
    let prompt = "[troupe become password " + PersistentShell.randomToken() + "]"

    /// The stdin bytes to send: the password line, then the command's own stdin.
    func stdin(for data: Data?) -> Data? {
        guard let password = settings.password else { return data }
        return Data((password + "\n").utf8) + (data ?? Data())
    }

    /// The wrapped script. `feedPath`, when set, is a file whose content becomes the escalated
    /// command's stdin instead of the request's stdin.
    func wrap(_ inner: String, feedPath: String? = nil) -> String {
        let escalated = "/bin/sh -c " + shellQuote("printf '%s\\n' \(marker) >&2\n" + inner)
        let feed = feedPath.map { "cat \(shellQuote($0))" } ?? "cat"
        let user = shellQuote(settings.user)
        if settings.method == "su" {
            let exe = shellQuote(settings.exe ?? "su")
            let flags = settings.flags ?? ""
            let command = "\(exe) \(flags) \(user) -c \(shellQuote(escalated))"
            return script(passwordCommand: command, noPasswordCommand: command, feed: feed, feedPath: feedPath, probe: nil)
        }
        let exe = shellQuote(settings.exe ?? "sudo")
        let flagWords = ShellWords.splitLeniently(settings.flags ?? "-H -S -n")
        let plain = "\(exe) \(flagWords.map(shellQuote).joined(separator: " ")) -u \(user) \(escalated)"
        let withPassword = "\(exe) \(flagWords.filter { $0 != "-n" }.map(shellQuote).joined(separator: " ")) -p \(shellQuote(prompt)) -u \(user) \(escalated)"
        // Ask sudo first whether a password is needed at all (NOPASSWD rule or cached
        // credentials); otherwise the password line would reach the command's stdin.
        let probe = "\(exe) -n -u \(user) true >/dev/null 2>&1"
        return script(passwordCommand: withPassword, noPasswordCommand: plain, feed: feed, feedPath: feedPath, probe: probe)
    }

    private func script(passwordCommand: String, noPasswordCommand: String, feed: String, feedPath: String?, probe: String?) -> String {
        guard settings.password != nil else {
            if let feedPath { return "\(noPasswordCommand) < \(shellQuote(feedPath))" }
            return noPasswordCommand
        }
        let withPassword = "{ printf '%s\\n' \"$__troupe_pw\"; exec \(feed); } | \(passwordCommand)"
        var lines = ["IFS= read -r __troupe_pw || __troupe_pw="]
        if let probe {
            let plain = feedPath.map { "\(noPasswordCommand) < \(shellQuote($0))" } ?? noPasswordCommand
            lines.append("if \(probe); then unset __troupe_pw; \(plain); else \(withPassword); fi")
        } else {
            lines.append(withPassword)
        }
        return lines.joined(separator: "\n")
    }

    /// Removes the prompt and marker from stderr, or throws ``BecomeError`` when the marker
    /// never came (escalation failed).
    func strip(_ stderr: Data) throws -> Data {
        let markerLine = Data((marker + "\n").utf8)
        if let range = stderr.range(of: markerLine) {
            return stderr.subdata(in: range.upperBound..<stderr.endIndex)
        }
        var text = String(decoding: stderr, as: UTF8.self).replacingOccurrences(of: prompt, with: "")
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = text.lowercased()
        let name = settings.method == "su" ? "su" : "sudo"
        if settings.password == nil && (lower.contains("authentication failure") || lower.contains("must be run from a terminal")) {
            throw BecomeError("Missing \(name) password", detail: text)
        }
        if lower.contains("incorrect password") || lower.contains("sorry, try again") || lower.contains("authentication failure") {
            throw BecomeError("Incorrect \(name) password", detail: text)
        }
        if lower.contains("password is required") || lower.contains("no password was provided") {
            throw BecomeError(settings.password == nil ? "Missing \(name) password" : "Incorrect \(name) password", detail: text)
        }
        throw BecomeError(text.isEmpty ? "privilege escalation with \(name) failed" : text, detail: text)
    }
}
