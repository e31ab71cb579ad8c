import Foundation

/// Shell snippets for file transfers: the final chmod/chown/rename step of every put, and
/// the whole transfer when the server has no SFTP subsystem (bytes travel as request stdin,
/// with exact lengths, so binary content is safe).
enum ShellFileTransfer {
    /// Largest piece of a streamed upload sent in one request.
    static let chunkSize = 4 * 1024 * 1024
    /// Up to this size a put travels inline with its rename request (one round trip).
    static let inlineLimit = 64 * 1024

    /// A temporary name next to `path`, so the final rename stays on one filesystem.
    static func temporaryPath(for path: String) -> String {
        let dir = (path as NSString).deletingLastPathComponent
        let name = ".troupe_tmp_" + String(PersistentShell.randomToken().prefix(16))
        return dir.isEmpty ? name : (dir == "/" ? "/" + name : dir + "/" + name)
    }

    /// A temporary upload path in the login user's temp directory (used under become).
    static func uploadPath() -> String {
        "/tmp/.troupe_upload_" + String(PersistentShell.randomToken().prefix(20))
    }

    /// Records `temp` as an upload in progress in the persistent shell's private directory;
    /// the shell's exit trap removes it unless ``unregister(_:)`` ran first. Only for
    /// scripts run by the persistent shell itself (not under become: `$d` is its variable).
    static func register(_ temp: String) -> String {
        "printf '%s' \(shellQuote(temp)) > \"$d/\(recordName(temp))\""
    }

    /// The upload of `temp` completed (or its file is gone): forget it.
    static func unregister(_ temp: String) -> String {
        "rm -f \"$d/\(recordName(temp))\""
    }

    private static func recordName(_ temp: String) -> String {
        "p." + (temp as NSString).lastPathComponent
    }

    /// Writes a block to a new file in `directory` and prints why that fails (the host's
    /// own words, e.g. "No space left on device"): SFTP reports most such errors only as
    /// "Failure".
    static func probeWrite(in directory: String) -> String {
        let probe = shellQuote((directory.isEmpty ? "." : directory) + "/.troupe_probe_" + String(PersistentShell.randomToken().prefix(12)))
        return "dd if=/dev/zero of=\(probe) bs=4096 count=1 2>&1 >/dev/null | grep '^dd:'; rm -f \(probe)"
    }

    /// The reason in a `dd:` error line: the text after its last ": ".
    static func probeReason(_ output: Data) -> String? {
        let line = String(decoding: output, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("dd:") }
        guard let line, let colon = line.range(of: ": ", options: .backwards) else { return nil }
        let reason = line[colon.upperBound...].trimmingCharacters(in: .whitespaces)
        return reason.isEmpty ? nil : reason
    }

    /// Writes stdin into `temp` (created private, replaced if present).
    static func create(_ temp: String) -> String {
        "(umask 077; cat > \(shellQuote(temp))) || { r=$?; rm -f \(shellQuote(temp)); exit $r; }"
    }

    /// Appends stdin to `temp`.
    static func append(_ temp: String) -> String {
        "cat >> \(shellQuote(temp)) || { r=$?; rm -f \(shellQuote(temp)); exit $r; }"
    }

    /// Gives `temp` its mode and owner, then renames it over `path` atomically. Without an
    /// explicit mode the file keeps the mode of the file it replaces, or gets 0666 & ~umask.
    static func finalize(_ temp: String, to path: String, attributes: FileAttributes) -> String {
        let t = shellQuote(temp), p = shellQuote(path)
        var steps: [String] = []
        if let mode = attributes.mode {
            steps.append("chmod \(String(mode, radix: 8)) \(t)")
        } else {
            steps.append("{ if [ -e \(p) ] && m=$(stat -L -c %a \(p) 2>/dev/null); then :; else m=$(printf '%o' $((0666 & ~$(umask)))); fi; chmod \"$m\" \(t); }")
        }
        if attributes.owner != nil || attributes.group != nil {
            let spec = (attributes.owner ?? "") + (attributes.group.map { ":" + $0 } ?? "")
            steps.append("chown \(shellQuote(spec)) \(t)")
        }
        steps.append("mv -f \(t) \(p)")
        return steps.joined(separator: " && ") + " || { r=$?; rm -f \(t); exit $r; }"
    }

    /// Prints the file, for fetches through the shell.
    static func read(_ path: String) -> String {
        "exec cat -- \(shellQuote(path))"
    }

    /// Prints `<hex mode> <size> <uid> <gid> <mtime>` (GNU stat), or exits 1 when missing.
    static func stat(_ path: String, followLinks: Bool) -> String {
        let p = shellQuote(path)
        return "[ -e \(p) ] || [ -L \(p) ] || exit 1\nexec stat \(followLinks ? "-L " : "")-c '%f %s %u %g %Y' -- \(p)"
    }

    /// Parses the output of ``stat(_:followLinks:)``.
    static func parseStat(_ output: Data) -> RemoteFileStatus? {
        let fields = String(decoding: output, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard fields.count >= 5, let raw = UInt32(fields[0], radix: 16), let size = Int64(fields[1]),
              let uid = UInt32(fields[2]), let gid = UInt32(fields[3]), let mtime = Double(fields[4]) else { return nil }
        let kind: RemoteFileStatus.Kind
        switch raw & 0o170000 {
        case 0o100000: kind = .file
        case 0o040000: kind = .directory
        case 0o120000: kind = .link
        default: kind = .other
        }
        return RemoteFileStatus(kind: kind, size: size, mode: raw & 0o7777, uid: uid, gid: gid, mtime: mtime)
    }
}
