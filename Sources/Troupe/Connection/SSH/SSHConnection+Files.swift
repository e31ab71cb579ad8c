import Foundation

extension SSHConnection {
    /// Writes `data` to `path` atomically: a temporary file in the same directory, then a
    /// rename. Under become the bytes are uploaded as the login user first and moved into
    /// place by the become user, so the file ends with the right owner.
    public func put(_ data: Data, to path: String, attributes: FileAttributes, become: BecomeSettings?) throws {
        if become == nil && data.count <= ShellFileTransfer.inlineLimit {
            // One round trip instead of SFTP's open, write and close plus the rename.
            let temp = ShellFileTransfer.temporaryPath(for: path)
            let script = [ShellFileTransfer.register(temp), ShellFileTransfer.create(temp),
                          ShellFileTransfer.finalize(temp, to: path, attributes: attributes), ShellFileTransfer.unregister(temp)]
            try onWorker { try runChecked(script.joined(separator: "\n"), stdin: data, what: "writing \(path)") }
            return
        }
        var sent = false
        try upload(to: path, attributes: attributes, become: become) {
            if sent { return nil }
            sent = true
            return data
        }
    }

    /// Streams a local file to `path` atomically, with a bounded buffer.
    public func putFile(_ localPath: String, to path: String, attributes: FileAttributes, become: BecomeSettings?) throws {
        guard let handle = FileHandle(forReadingAtPath: localPath) else {
            throw TroupeError(.io, "could not read \(localPath)")
        }
        defer { try? handle.close() }
        var finished = false
        try upload(to: path, attributes: attributes, become: become) {
            if finished { return nil }
            let chunk = handle.readData(ofLength: ShellFileTransfer.chunkSize)
            if chunk.count < ShellFileTransfer.chunkSize { finished = true }
            return chunk.isEmpty && finished ? nil : chunk
        }
    }

    /// Reads a whole remote file.
    public func fetch(_ path: String, become: BecomeSettings?) throws -> Data {
        try onWorker {
            if become == nil, let sftp = try sftpChannel() {
                var data = Data()
                try sftp.read(path) { data.append($0) }
                return data
            }
            return try runChecked(ShellFileTransfer.read(path), become: become, what: "reading \(path)")
        }
    }

    /// Streams a remote file to a local path.
    public func fetchFile(_ path: String, to localPath: String, become: BecomeSettings?) throws {
        try onWorker {
            guard FileManager.default.createFile(atPath: localPath, contents: nil),
                  let handle = FileHandle(forWritingAtPath: localPath) else {
                throw TroupeError(.io, "could not write \(localPath)")
            }
            defer { try? handle.close() }
            if become == nil, let sftp = try sftpChannel() {
                try sftp.read(path) { handle.write($0) }
            } else {
                handle.write(try runChecked(ShellFileTransfer.read(path), become: become, what: "reading \(path)"))
            }
        }
    }

    /// Metadata of `path` as the login user sees it; nil when it does not exist.
    public func stat(_ path: String, followLinks: Bool) throws -> RemoteFileStatus? {
        try onWorker {
            if let sftp = try sftpChannel() { return try sftp.stat(path, followLinks: followLinks) }
            let reply = try execute(script: ShellFileTransfer.stat(path, followLinks: followLinks), stdin: nil, deadline: nil)
            guard reply.rc == 0 else { return nil }
            guard let status = ShellFileTransfer.parseStat(reply.stdout) else {
                throw TroupeError(.io, "could not stat \(path): unexpected output from stat")
            }
            return status
        }
    }

    /// Sends the chunks from `next` to a temporary file and renames it over `path`.
    private func upload(to path: String, attributes: FileAttributes, become: BecomeSettings?, next: () throws -> Data?) throws {
        try onWorker {
            let target = become == nil ? ShellFileTransfer.temporaryPath(for: path) : ShellFileTransfer.uploadPath()
            // Recorded first, so a shell that ends mid-upload removes the partial file.
            try runChecked(ShellFileTransfer.register(target), what: "writing \(path)")
            try send(to: target, next: next)
            if let become {
                let temp = ShellFileTransfer.temporaryPath(for: path)
                let inner = ShellFileTransfer.create(temp) + "\n" + ShellFileTransfer.finalize(temp, to: path, attributes: attributes)
                let prefix = "trap 'rm -f \(shellQuote(target))' EXIT\n" + ShellFileTransfer.unregister(target) + "\n"
                try runChecked(inner, become: become, feedPath: target, prefix: prefix, what: "writing \(path)")
            } else {
                let script = ShellFileTransfer.finalize(target, to: path, attributes: attributes) + "\n" + ShellFileTransfer.unregister(target)
                try runChecked(script, what: "writing \(path)")
            }
        }
    }

    /// Writes the chunks to a new remote file as the login user.
    private func send(to remotePath: String, next: () throws -> Data?) throws {
        // An interrupted run stops a long upload between chunks (the partial file removed).
        func nextUnlessInterrupted() throws -> Data? {
            if interruption.isSet { throw TroupeError(.execution, "the run was cancelled") }
            return try next()
        }
        if let sftp = try sftpChannel() {
            try sftp.write(to: remotePath, next: nextUnlessInterrupted) { [self] in diagnoseWriteFailure(in: $0) }
            return
        }
        var first = true
        while let chunk = try next() {
            let script = first ? ShellFileTransfer.create(remotePath) : ShellFileTransfer.append(remotePath)
            try runChecked(script, stdin: chunk, what: "writing \(remotePath)")
            first = false
        }
        if first { try runChecked(ShellFileTransfer.create(remotePath), stdin: nil, what: "writing \(remotePath)") }
    }

    /// Why writing in `directory` fails, in the host's words ("No space left on device",
    /// "Read-only file system", "Disk quota exceeded" …); nil when a probe write succeeds.
    private func diagnoseWriteFailure(in directory: String) -> String? {
        guard let reply = try? execute(script: ShellFileTransfer.probeWrite(in: directory), stdin: nil, deadline: monotonicNow() + 30) else {
            return nil
        }
        return ShellFileTransfer.probeReason(reply.stdout)
    }
}
