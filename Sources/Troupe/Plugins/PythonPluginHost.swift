import Foundation
import Jinja

/// A failure reported by the Python helper: the plugin's exception (message and Python
/// type name), or the helper itself not being available.
struct PythonPluginError: Error, CustomStringConvertible {
    let message: String
    let type: String
    var description: String { message }
}

/// The one Python helper process of this troupe process, which loads and runs Python
/// filter, test, lookup and action plugins. Started on first use with the python3 that has
/// ansible-core; it exits when its stdin closes, so it dies with this process.
/// Requests are served one at a time (the helper is single-threaded); a request's
/// callbacks into Troupe are answered on the calling thread, and may make nested requests.
final class PythonPluginHost: @unchecked Sendable {
    /// The process-wide helper.
    static let shared = PythonPluginHost()

    /// Answers one callback of a request: its operation and its fields.
    typealias CallbackHandler = (_ operation: String, _ fields: OrderedDict) throws -> Value

    /// The python3 (from PATH) that imports ansible-core, resolved to its real executable
    /// once per process: version-manager shims (pyenv) cost seconds per start under load.
    static let interpreter: String? = {
        let output = try? GalaxyProcess.run("python3", ["-c", "import ansible, sys; print(sys.executable)"])
        let path = output?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return path.isEmpty ? nil : path
    }()

    private let lock = NSRecursiveLock()
    private var process: Process?
    private var toHelper: FileHandle?
    private var fromHelper: FileHandle?
    private var buffered = Data()
    private var nextID = 0
    private var collectionPaths: [String] = []

    /// Sends `operation` with `fields` and returns the helper's answer; `plugin` (a file)
    /// names what needs the helper in the error raised when it cannot start.
    func call(_ operation: String, _ fields: OrderedDict, plugin: String, collectionPaths: [String] = [],
              callbacks: CallbackHandler? = nil) throws -> Value {
        lock.lock(); defer { lock.unlock() }
        try startIfNeeded(plugin: plugin)
        if !collectionPaths.isEmpty && collectionPaths != self.collectionPaths {
            self.collectionPaths = collectionPaths
            _ = try exchange("init", ["collection_paths": .list(collectionPaths.map(Value.string))], callbacks: nil)
        }
        return try exchange(operation, fields, callbacks: callbacks)
    }

    private func exchange(_ operation: String, _ fields: OrderedDict, callbacks: CallbackHandler?) throws -> Value {
        nextID += 1
        let id = nextID
        var request = fields
        request["id"] = .int(id)
        request["op"] = .string(operation)
        try write(request)
        while true {
            let message = try readMessage()
            if let callbackID = message["cb"] {
                var answer: OrderedDict = ["cb": callbackID]
                do {
                    guard let callbacks else { throw PythonPluginError(message: "no callbacks for this call", type: "") }
                    answer["ok"] = try callbacks(message["op"]?.stringValue ?? "", message)
                } catch {
                    answer["error"] = .string(TaskErrorText.message(error))
                }
                try write(answer)
                continue
            }
            guard message["id"]?.intValue == id else { continue }
            if let error = message["error"] {
                throw PythonPluginError(message: error.pythonString, type: message["type"]?.stringValue ?? "")
            }
            return message["ok"] ?? .null
        }
    }

    private func startIfNeeded(plugin: String) throws {
        if let process, process.isRunning { return }
        guard let interpreter = PythonPluginHost.interpreter else {
            throw PythonPluginError(message: "the Python plugin \(plugin) needs ansible-core on the controller, and no python3 with ansible-core was found (install it with: python3 -m pip install ansible-core)",
                                    type: "")
        }
        signal(SIGPIPE, SIG_IGN)  // a helper gone away is EPIPE on write, handled below
        let process = Process()
        let input = Pipe(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = ["-u", "-c", PythonPluginHelperScript.source]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        // Reaps the helper whenever it exits (Foundation waits for it on its own thread).
        process.terminationHandler = { _ in }
        try process.run()
        self.process = process
        toHelper = input.fileHandleForWriting
        fromHelper = output.fileHandleForReading
        buffered = Data()
        collectionPaths = []
    }

    private func write(_ message: OrderedDict) throws {
        guard let toHelper else { throw helperGone() }
        do {
            try toHelper.write(contentsOf: Data((Value.dict(message).jsonString + "\n").utf8))
        } catch {
            throw helperGone()
        }
    }

    private func readMessage() throws -> OrderedDict {
        guard let fromHelper else { throw helperGone() }
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[buffered.startIndex..<newline], as: UTF8.self)
                buffered = Data(buffered[(newline + 1)...])
                guard let message = (try? Value.parseJSON(line))?.dictValue else { continue }
                return message
            }
            let chunk = fromHelper.availableData
            if chunk.isEmpty { throw helperGone() }
            buffered.append(chunk)
        }
    }

    /// The helper exited (a plugin killed it, or it crashed): the next call starts a new one.
    private func helperGone() -> PythonPluginError {
        try? toHelper?.close()
        process = nil
        toHelper = nil
        fromHelper = nil
        return PythonPluginError(message: "the Python plugin helper exited unexpectedly", type: "")
    }
}
