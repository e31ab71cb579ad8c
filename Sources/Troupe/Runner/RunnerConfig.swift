import Foundation
import Jinja

/// A run's state, with ansible-runner's status names.
public enum RunnerStatus: String, Sendable {
    /// Created, not started yet.
    case unstarted
    /// Reading the private data dir and preparing the artifacts.
    case starting
    /// Plays are running.
    case running
    /// Finished with rc 0.
    case successful
    /// Finished with a non-zero rc (failed or unreachable hosts, errors).
    case failed
    /// Stopped by the job timeout (rc 254).
    case timeout
    /// Stopped by `cancel()` (rc 254).
    case canceled

    /// The run is over.
    public var isFinal: Bool { [.successful, .failed, .timeout, .canceled].contains(self) }
}

/// What to run and where, as ansible-runner's `run()` takes it: a private data dir with
/// `project/`, `inventory/` and `env/`, and the options its command line has.
public struct RunnerConfig: Sendable {
    /// The private data dir (`project/`, `inventory/`, `env/`, `artifacts/`).
    public var privateDataDir: String
    /// The playbook, relative to the project dir (or absolute).
    public var playbook: String
    /// Names `artifacts/<ident>`; a random uuid by default.
    public var ident: String
    /// Where artifact dirs go; `<private data dir>/artifacts` by default.
    public var artifactDir: String?
    /// Run one module instead of a playbook (ansible-runner's `-m/-a/--hosts`): ansible's
    /// ad hoc output (the `minimal` callback, no recap) and events.
    public var adHoc: RunnerAdHocTask?
    /// The playbook content; `<private data dir>/project` by default.
    public var projectDir: String?
    /// Inventory sources; `<private data dir>/inventory` when it exists by default.
    public var inventory: [String] = []
    /// `--limit`.
    public var limit: String?
    /// `--tags` / `--skip-tags`, comma separated.
    public var tags: String?
    public var skipTags: String?
    /// `--forks`.
    public var forks: Int?
    /// `-v` count.
    public var verbosity = 0
    /// Extra variables, above `env/extravars`.
    public var extraVars = OrderedDict()
    /// ansible-playbook arguments (`env/cmdline` when nil).
    public var cmdline: String?
    /// Keep at most this many artifact dirs (0 keeps all).
    public var rotateArtifacts = 0
    /// Seconds before the run is stopped with status `timeout` (`env/settings` job_timeout when nil).
    public var jobTimeout: Double?
    /// Echo the run's output on this process's stdout (ansible-runner's default; `--quiet` turns it off).
    public var echoOutput = false
    /// Echo every event as a JSON line instead of its text (`--json`).
    public var echoJSON = false
    /// Write `artifacts/<ident>` (job events, stdout, status, rc …).
    public var writeArtifacts = true

    /// A run of `playbook` in `privateDataDir`.
    public init(privateDataDir: String, playbook: String, ident: String = UUID().uuidString.lowercased()) {
        self.privateDataDir = privateDataDir
        self.playbook = playbook
        self.ident = ident
    }

    /// The absolute private data dir.
    var root: String { Self.absolute(privateDataDir) }
    /// `artifacts/<ident>`.
    var artifactPath: String { ((artifactDir.map(Self.absolute) ?? root + "/artifacts") as NSString).appendingPathComponent(ident) }
    /// The project dir.
    var projectPath: String { projectDir.map(Self.absolute) ?? root + "/project" }

    static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let full = expanded.hasPrefix("/") ? expanded : FileManager.default.currentDirectoryPath + "/" + expanded
        return (full as NSString).standardizingPath
    }
}

/// An ad hoc command for the runner: `module` with `arguments` on the hosts `pattern` matches.
public struct RunnerAdHocTask: Sendable, Equatable {
    public var module: String
    public var arguments: String
    public var pattern: String

    public init(module: String, arguments: String = "", pattern: String = "all") {
        self.module = module
        self.arguments = arguments
        self.pattern = pattern
    }

    /// The one-task play ansible's ad hoc CLI builds, as YAML (JSON strings are YAML scalars).
    var playbookText: String {
        func quoted(_ text: String) -> String { JSONFormat().string(.string(text)) }
        return "- hosts: \(quoted(pattern))\n  gather_facts: false\n  tasks:\n    - \(quoted(module)):"
            + (arguments.isEmpty ? " {}\n" : " \(quoted(arguments))\n")
    }
}
