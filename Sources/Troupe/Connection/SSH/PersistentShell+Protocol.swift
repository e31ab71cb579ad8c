import Foundation

/// The wire protocol between ``PersistentShell`` and the POSIX-sh loop running on the host.
///
/// A request is a header line `<token> <stdin-length>`, the script as text lines, a line
/// holding only the token, then exactly `<stdin-length>` raw bytes. The loop runs the
/// script in a subshell (so `exit`, `cd` and `export` stay inside it) with stdin from those
/// bytes or /dev/null; the command's stdout and stderr flow straight to the channel's two
/// streams, followed by the trailers `<token>:<rc>:\n` on stdout and `<token>\n` on stderr.
/// The token is 128 random bits, so command output cannot forge a trailer.
///
/// The loop's private directory `$d` also holds one `p.<name>` file per upload in
/// progress, naming its temporary file (``ShellFileTransfer/register(_:)``): when the
/// shell ends before the upload completes — the run interrupted, the worker killed, the
/// connection lost (the shell then reads end of file) — its exit trap removes the
/// temporary file, so no `.troupe_tmp_*` is left in the destination directory.
extension PersistentShell {
    /// The loop started with `exec /bin/sh -c`. Only shell builtins run per request, plus
    /// `head -c` when stdin bytes are sent.
    static let loopScript = """
        d=$(mktemp -d "${TMPDIR:-/tmp}/.troupe-shell.XXXXXXXX") || exit 1
        trap 'for p in "$d"/p.*; do [ -f "$p" ] && rm -f -- "$(cat "$p")"; done; rm -rf "$d"' EXIT
        trap 'exit 129' HUP
        trap 'exit 143' TERM
        while IFS=' ' read -r t n; do
          s=
          while IFS= read -r l; do
            [ "$l" = "$t" ] && break
            s="$s$l
        "
          done
          i=/dev/null
          if [ "$n" -gt 0 ] 2>/dev/null; then head -c "$n" > "$d/i"; i="$d/i"; fi
          ( eval "$s" ) < "$i"
          r=$?
          printf '%s:%s:\\n' "$t" "$r"
          printf '%s\\n' "$t" >&2
        done
        """

    /// The command that starts the loop on a fresh exec channel.
    static var startCommand: String { "exec /bin/sh -c " + shellQuote(loopScript) }

    /// Frames one request.
    static func frame(token: String, script: String, stdin: Data?) -> Data {
        var body = script
        if !body.hasSuffix("\n") { body += "\n" }
        var data = Data("\(token) \(stdin?.count ?? 0)\n".utf8)
        data.append(Data(body.utf8))
        data.append(Data("\(token)\n".utf8))
        if let stdin { data.append(stdin) }
        return data
    }

    /// 32 hex characters from the system's random source.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        // Not String(format:): this runs once per command and Foundation's formatter is slow.
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<2 {
            let word = generator.next() as UInt64
            for shift in stride(from: 60, through: 0, by: -4) { bytes.append(digits[Int((word >> UInt64(shift)) & 0xf)]) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Turns a ``CommandRequest`` into the script the loop evaluates.
enum ShellScriptBuilder {
    /// The script without privilege escalation: environment, directory, timeout and command.
    static func inner(_ request: CommandRequest) throws -> String {
        var lines: [String] = []
        for (name, value) in request.environment.sorted(by: { $0.key < $1.key }) {
            guard isValidName(name) else {
                throw TroupeError(.module, "invalid environment variable name '\(name)'")
            }
            lines.append("export \(name)=\(shellQuote(value))")
        }
        if let dir = request.workingDirectory {
            lines.append("cd \(shellQuote(dir)) || exit 1")
        }
        var command: String
        var standalone: String  // the command as one `sh -c`-able string
        switch request.command {
        case .argv(let words):
            guard !words.isEmpty else { throw TroupeError(.module, "no command given") }
            command = "exec " + words.map(shellQuote).joined(separator: " ")
            standalone = command
        case .shell(let text):
            if let exe = request.executable, exe != "/bin/sh" {
                command = "exec \(shellQuote(exe)) -c \(shellQuote(text))"
            } else {
                command = text
            }
            standalone = command
        }
        if let timeout = request.timeout, timeout > 0 {
            let body = (lines + [standalone]).joined(separator: "\n")
            let seconds = String(format: "%.3f", timeout)
            let quoted = shellQuote(body)
            // GNU/busybox timeout runs the command in its own process group and kills the
            // whole group, so grandchildren die too while the loop shell lives on.
            command = "if command -v timeout >/dev/null 2>&1; then exec timeout -k 2 \(seconds) /bin/sh -c \(quoted); "
                + "else exec /bin/sh -c \(quoted); fi"
            return command
        }
        lines.append(command)
        return lines.joined(separator: "\n")
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
    }
}
