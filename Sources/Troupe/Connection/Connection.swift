import Foundation

/// How a command is given to the host: an argv (no shell involved) or a shell string
/// interpreted by `/bin/sh -c`.
public enum RemoteCommand: Sendable, Hashable {
    /// Executed directly, without a shell: no quoting or expansion.
    case argv([String])
    /// Run by `/bin/sh -c` (or the request's `executable`).
    case shell(String)
}

/// Privilege escalation for one command or file transfer.
public struct BecomeSettings: Sendable, Hashable {
    /// The escalation program family (`become_method`): "sudo" or "su".
    public var method: String = "sudo"
    /// The user to become (`become_user`).
    public var user: String = "root"
    /// Overrides the escalation executable (`become_exe`); nil uses the method's name.
    public var exe: String?
    /// Extra arguments for the escalation program (`become_flags`); nil uses the method's defaults.
    public var flags: String?
    /// Sent over stdin to the escalation program, never on a command line.
    public var password: String?
    /// Creates escalation settings; defaults match Ansible's (`sudo` to `root`).
    public init(method: String = "sudo", user: String = "root", exe: String? = nil, flags: String? = nil, password: String? = nil) {
        self.method = method
        self.user = user
        self.exe = exe
        self.flags = flags
        self.password = password
    }
}

/// One command to run on a host.
public struct CommandRequest: Sendable {
    /// What to run: an argv or a shell string.
    public var command: RemoteCommand
    /// Bytes fed to the command's stdin; nil means stdin is /dev/null.
    public var stdin: Data?
    /// Extra environment variables for the command (task `environment:`).
    public var environment: [String: String]
    /// Directory to run in (`chdir:`); nil keeps the connection's default.
    public var workingDirectory: String?
    /// Privilege escalation for this command; nil runs as the connection user.
    public var become: BecomeSettings?
    /// Seconds before the command is killed (the connection stays usable).
    public var timeout: Double?
    /// The shell for `.shell` commands (`executable:`); /bin/sh when nil.
    public var executable: String?
    /// The command leaves a process running in the background (an async job): the
    /// connection must not let that process inherit descriptors it waits on.
    public var startsBackgroundJob = false

    /// Creates a request; only `command` is required.
    public init(_ command: RemoteCommand, stdin: Data? = nil, environment: [String: String] = [:],
                workingDirectory: String? = nil, become: BecomeSettings? = nil, timeout: Double? = nil,
                executable: String? = nil) {
        self.command = command
        self.stdin = stdin
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.become = become
        self.timeout = timeout
        self.executable = executable
    }
}

/// What a command produced.
public struct CommandResult: Sendable, Hashable {
    /// The exit status; meaningless when `timedOut` is true.
    public var rc: Int32
    /// Raw bytes written to stdout.
    public var stdout: Data
    /// Raw bytes written to stderr.
    public var stderr: Data
    /// True when the command was killed because its timeout expired.
    public var timedOut: Bool

    /// Creates a command result.
    public init(rc: Int32, stdout: Data, stderr: Data, timedOut: Bool = false) {
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.timedOut = timedOut
    }
}

/// File metadata as `stat` reports it on the host.
public struct RemoteFileStatus: Sendable, Hashable {
    /// The file type; symlinks are `.link` only when links are not followed.
    public enum Kind: String, Sendable { case file, directory, link, other }
    /// The file type.
    public var kind: Kind
    /// Size in bytes.
    public var size: Int64
    /// Permission bits only (`st_mode & 0o7777`), without the file-type bits.
    public var mode: UInt32
    /// Numeric owner id.
    public var uid: UInt32
    /// Numeric group id.
    public var gid: UInt32
    /// Modification time in seconds since the Unix epoch (fractional).
    public var mtime: Double
    /// Creates a status record.
    public init(kind: Kind, size: Int64, mode: UInt32, uid: UInt32, gid: UInt32, mtime: Double) {
        self.kind = kind
        self.size = size
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.mtime = mtime
    }
}

/// Ownership and permissions to give a file that is put on a host.
public struct FileAttributes: Sendable, Hashable {
    /// Permission bits to set; nil leaves the default (umask) mode.
    public var mode: UInt32?
    /// Owner name or numeric id; nil leaves it unchanged.
    public var owner: String?
    /// Group name or numeric id; nil leaves it unchanged.
    public var group: String?
    /// Creates attributes; every field is optional.
    public init(mode: UInt32? = nil, owner: String? = nil, group: String? = nil) {
        self.mode = mode
        self.owner = owner
        self.group = group
    }
}

/// Why a host could not be reached; the task result becomes UNREACHABLE.
public struct UnreachableError: Error, Sendable, CustomStringConvertible {
    /// Human-readable reason, shown in the UNREACHABLE result's `msg`.
    public var message: String
    /// Creates an error with the reason shown to the user.
    public init(_ message: String) { self.message = message }
    /// The message, as printed.
    public var description: String { message }
}

/// How modules act on a host. Calls block the calling thread: implementations own a
/// thread (or process) per host, and callers never run them on Swift's cooperative pool.
/// A connection is used by one task at a time.
public protocol Connection: AnyObject, Sendable {
    /// The inventory name of the host this connection reaches.
    var hostName: String { get }
    /// Opens the session if it is not open yet. Throws ``UnreachableError``.
    func connect() throws
    /// Runs a command; throws ``UnreachableError`` when the connection is lost.
    func run(_ request: CommandRequest) throws -> CommandResult
    /// Writes `data` to `path` atomically (temporary file in the same directory, then rename).
    func put(_ data: Data, to path: String, attributes: FileAttributes, become: BecomeSettings?) throws
    /// Streams a local file to `path` atomically.
    func putFile(_ localPath: String, to path: String, attributes: FileAttributes, become: BecomeSettings?) throws
    /// Reads a whole remote file.
    func fetch(_ path: String, become: BecomeSettings?) throws -> Data
    /// Streams a remote file to a local path.
    func fetchFile(_ path: String, to localPath: String, become: BecomeSettings?) throws
    /// Metadata of `path`, nil when it does not exist.
    func stat(_ path: String, followLinks: Bool) throws -> RemoteFileStatus?
    /// Drops the session; the next call reconnects (`meta: reset_connection`).
    func reset() throws
    /// Ends the session for good.
    func close()
    /// Stops the commands running through this connection now (a cancelled run): they
    /// and their child processes are terminated and `run` returns a failed result.
    /// Later commands are interrupted too. Callable from any thread.
    func interrupt()
}

extension Connection {
    /// Default: nothing to interrupt.
    public func interrupt() {}
}
