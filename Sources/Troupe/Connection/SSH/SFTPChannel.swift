import CLibSSH
import Foundation

/// The subsystem is not configured on the server; transfers go through the shell instead.
struct SFTPUnavailable: Error {}

/// One SFTP session per host, reused for every transfer. Lives on the worker thread.
final class SFTPChannel {
    private let session: SSHSession
    private let sftp: sftp_session
    /// Bytes per read/write request: within every server's packet limit.
    private let chunkSize = 64 * 1024

    init(session: SSHSession) throws {
        self.session = session
        guard let sftp = sftp_new(session.handle) else {
            if !session.isConnected { throw UnreachableError(session.lostMessage()) }
            throw SFTPUnavailable()
        }
        guard sftp_init(sftp) == SSH_OK else {
            sftp_free(sftp)
            if !session.isConnected { throw UnreachableError(session.lostMessage()) }
            throw SFTPUnavailable()
        }
        self.sftp = sftp
    }

    deinit { sftp_free(sftp) }

    /// Creates `path` (which must not exist) with mode 0600 and fills it from `next`, which
    /// returns the next chunk or nil at the end. SFTP (version 3) reports a full disk, a
    /// read-only filesystem and the like only as "Failure": `diagnose` is asked why
    /// writing in the directory fails, before the partial file is removed (it may be what
    /// filled the disk).
    func write(to path: String, next: () throws -> Data?, diagnose: (String) -> String? = { _ in nil }) throws {
        let directory = (path as NSString).deletingLastPathComponent
        guard let file = sftp_open(sftp, path, O_WRONLY | O_CREAT | O_EXCL, 0o600) else {
            throw error("could not create \(path)", directory: directory, diagnose: diagnose)
        }
        var closed = false
        defer { if !closed { sftp_close(file) } }
        while true {
            let chunk: Data?
            do {
                chunk = try next()
            } catch {
                closed = true
                sftp_close(file)
                sftp_unlink(sftp, path)
                throw error
            }
            guard let chunk else { break }
            var offset = 0
            while offset < chunk.count {
                let length = min(chunkSize, chunk.count - offset)
                let written = chunk.withUnsafeBytes { raw in sftp_write(file, raw.baseAddress! + offset, length) }
                guard written > 0 else {
                    let failure = error("could not write \(path)", directory: directory, diagnose: diagnose)
                    sftp_unlink(sftp, path)
                    throw failure
                }
                offset += written
            }
        }
        closed = true
        guard sftp_close(file) == SSH_OK else {
            let failure = error("could not write \(path)", directory: directory, diagnose: diagnose)
            sftp_unlink(sftp, path)
            throw failure
        }
    }

    /// Reads `path` chunk by chunk into `sink`.
    func read(_ path: String, into sink: (Data) throws -> Void) throws {
        guard let file = sftp_open(sftp, path, O_RDONLY, 0) else { throw error("could not read \(path)") }
        defer { sftp_close(file) }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let n = buffer.withUnsafeMutableBytes { raw in sftp_read(file, raw.baseAddress, raw.count) }
            if n == 0 { return }
            guard n > 0 else { throw error("could not read \(path)") }
            try sink(Data(buffer[0..<n]))
        }
    }

    /// Removes a file, ignoring errors (cleanup of temporary uploads).
    func remove(_ path: String) {
        _ = sftp_unlink(sftp, path)
    }

    /// Metadata of `path`, nil when it does not exist.
    func stat(_ path: String, followLinks: Bool) throws -> RemoteFileStatus? {
        guard let attributes = followLinks ? sftp_stat(sftp, path) : sftp_lstat(sftp, path) else {
            if sftp_get_error(sftp) == SSH_FX_NO_SUCH_FILE { return nil }
            throw error("could not stat \(path)")
        }
        defer { sftp_attributes_free(attributes) }
        let a = attributes.pointee
        let kind: RemoteFileStatus.Kind
        switch Int32(a.type) {
        case SSH_FILEXFER_TYPE_REGULAR: kind = .file
        case SSH_FILEXFER_TYPE_DIRECTORY: kind = .directory
        case SSH_FILEXFER_TYPE_SYMLINK: kind = .link
        default: kind = .other
        }
        let mtime = a.mtime64 != 0 ? Double(a.mtime64) : Double(a.mtime)
        return RemoteFileStatus(kind: kind, size: Int64(a.size), mode: a.permissions & 0o7777,
                                uid: a.uid, gid: a.gid, mtime: mtime)
    }

    /// The error to raise: unreachable when the transport died, otherwise an I/O failure.
    /// `diagnose` (given `directory`) explains a generic failure in the host's words.
    private func error(_ what: String, directory: String? = nil, diagnose: (String) -> String? = { _ in nil }) -> Error {
        if !session.isConnected { return UnreachableError(session.lostMessage()) }
        let code = sftp_get_error(sftp)
        let reason: String
        switch code {
        case SSH_FX_NO_SUCH_FILE, SSH_FX_NO_SUCH_PATH: reason = "No such file or directory"
        case SSH_FX_PERMISSION_DENIED, SSH_FX_WRITE_PROTECT: reason = "Permission denied"
        case SSH_FX_FILE_ALREADY_EXISTS: reason = "File exists"
        case SSH_FX_NO_MEDIA: reason = "No medium found"
        case SSH_FX_OP_UNSUPPORTED: reason = "Operation not supported"
        case SSH_FX_FAILURE, SSH_FX_OK:
            // sftp-server sends errno values it has no code for (ENOSPC, EROFS, EDQUOT …)
            // as a bare "Failure", and a failed write may even leave the status at OK.
            reason = directory.flatMap(diagnose) ?? "Failure"
        default:
            let detail = session.lastError
            reason = "SFTP error \(code)" + (detail.isEmpty ? "" : ": \(detail)")
        }
        return TroupeError(.io, "\(what): \(reason)")
    }
}
