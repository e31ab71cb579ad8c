import Foundation

/// Callback plugins written in any language: every executable file in a `callback_plugins`
/// directory (next to a playbook, or on the `callback_plugins` / `ANSIBLE_CALLBACK_PLUGINS`
/// path) runs for the whole run and reads each event as one JSON line on stdin — the
/// ansible-runner event record (``RunnerEvent/jsonLine()``), in order. They need no
/// `callbacks_enabled` entry: being there is enabling them. Python callback plugins
/// (`*.py`), which Ansible would load, cannot run here; each gets one warning.
public final class ExternalCallbackPlugins: @unchecked Sendable {
    /// Events one plugin may have waiting before further ones are dropped.
    public static let defaultQueueCapacity = 10_000
    /// How long plugins get, together, to finish after the run before they are killed.
    public static let defaultExitGrace: TimeInterval = 5

    private let processes: [ExternalCallbackProcess]
    private let exitGrace: TimeInterval

    /// The executables found, in order: directories as given, files by name, each path once.
    public let paths: [String]

    /// Finds the plugins in `directories` (missing ones are skipped) and starts them, with
    /// `environment` (nil: this process's). A plugin that cannot start is a warning, not an error.
    public init(directories: [String], environment: [String: String]? = nil, warn: @escaping @Sendable (String) -> Void,
                queueCapacity: Int = defaultQueueCapacity, exitGrace: TimeInterval = defaultExitGrace) {
        self.exitGrace = exitGrace
        paths = Self.executables(in: directories, warn: warn)
        if !paths.isEmpty { signal(SIGPIPE, SIG_IGN) }  // a plugin gone away is EPIPE, handled, not a signal
        processes = paths.compactMap { path in
            do {
                return try ExternalCallbackProcess(path: path, environment: environment, capacity: queueCapacity, warn: warn)
            } catch {
                warn(TaskErrorText.message(error))
                return nil
            }
        }
    }

    /// The directories searched for a run of `playbooks`: each playbook's adjacent
    /// `callback_plugins`, then the configured path (as Ansible, adjacent ones first).
    public static func directories(playbooks: [String], config: AnsibleConfig) -> [String] {
        var dirs: [String] = []
        for playbook in playbooks {
            dirs.append(((playbook as NSString).deletingLastPathComponent as NSString).appendingPathComponent("callback_plugins"))
        }
        dirs += config.callbackPluginPath.filter { !$0.isEmpty }.map { ($0 as NSString).expandingTildeInPath }
        return dirs
    }

    /// Whether any plugin is running (no plugins: the caller need not record events for them).
    public var isEmpty: Bool { processes.isEmpty }

    /// Hands `event` to every plugin; never blocks.
    public func send(_ event: RunnerEvent) {
        guard !processes.isEmpty else { return }
        let line = Data((event.jsonLine() + "\n").utf8)
        for process in processes { process.send(line) }
    }

    /// For runs that record no events otherwise (`troupe playbook`): makes events of
    /// `executor`'s callbacks and of what `display` prints, for the plugins only; the output
    /// itself is unchanged. Nothing happens when no plugin runs.
    public func recordEvents(of executor: PlaybookExecutor, display: Display, inventory: InventoryView) {
        guard !isEmpty else { return }
        var options = EventRecorder.Options(runnerIdent: UUID().uuidString.lowercased())
        options.terminalLineEndings = false
        let addresses = RemoteAddresses(inventory: inventory)
        options.remoteAddress = { addresses.address(of: $0) }
        let recorder = EventRecorder(options: options) { [self] in send($0) }
        recorder.observe(display)
        executor.taskQueueManager.callbacks.setScope(recorder)
    }

    /// Closes the plugins' input after what is queued and waits (at most the exit grace,
    /// all together) for them to exit; kills those still running then.
    public func finish() {
        let deadline = Date().addingTimeInterval(exitGrace)
        let group = DispatchGroup()
        for process in processes {
            DispatchQueue.global().async(group: group) { process.finish(deadline: deadline) }
        }
        group.wait()
    }

    private static func executables(in directories: [String], warn: (String) -> Void) -> [String] {
        let fm = FileManager.default
        var found: [String] = []
        var seen = Set<String>()
        for dir in directories {
            let resolved = (dir as NSString).resolvingSymlinksInPath
            guard seen.insert(resolved).inserted, let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
            for name in names.sorted() where !name.hasPrefix(".") && !name.hasPrefix("__") {
                let path = (dir as NSString).appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                guard fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                if name.hasSuffix(".py") {
                    warn("Callback plugin \(path) is a Python callback plugin, which Troupe cannot load; it is ignored. "
                         + "Make an executable that reads events as JSON lines on stdin instead.")
                    continue
                }
                guard fm.isExecutableFile(atPath: path) else { continue }
                found.append(path)
            }
        }
        return found
    }
}
