import ArgumentParser
import Foundation
import Jinja
import Troupe

/// `troupe run`: ansible-runner's `run` over a private data dir, writing the same artifacts.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a playbook from a private data dir and write ansible-runner's artifacts (like ansible-runner run).")

    @Argument(help: "Base directory with project/, inventory/, env/; artifacts/ is written there.")
    var privateDataDir: String
    @Option(name: [.short, .long], help: "The playbook, relative to the project dir.")
    var playbook: String?
    @Option(name: [.customShort("m"), .customLong("module")], help: "Run this module instead of a playbook (an ad hoc command).")
    var module: String?
    @Option(name: [.customShort("a"), .customLong("args")], parsing: .unconditional, help: "The module's arguments (with -m).")
    var moduleArgs: String?
    @Option(name: .customLong("hosts"), help: "The hosts pattern the module runs on (with -m; default all).")
    var hosts: String?
    @Option(name: [.short, .customLong("ident")], help: "Names the artifacts/<ident> directory (default: a new uuid).")
    var ident: String?
    @Option(name: .customLong("rotate-artifacts"), help: "Keep at most this many artifact directories (0 keeps all).")
    var rotateArtifacts = 0
    @Option(name: .customLong("artifact-dir"), help: "Root of the artifact directories (default <private_data_dir>/artifacts).")
    var artifactDir: String?
    @Option(name: .customLong("project-dir"), help: "The playbook content directory (default <private_data_dir>/project).")
    var projectDir: String?
    @Option(name: .customLong("inventory"), help: "Inventory (path under <private_data_dir>/inventory, absolute path or host list; repeatable).")
    var inventory: [String] = []
    @Option(name: .long, help: "Further limit selected hosts to an additional pattern.")
    var limit: String?
    @Option(name: .customLong("tags"), help: "Only run plays and tasks tagged with these values.")
    var tags: String?
    @Option(name: .customLong("skip-tags"), help: "Only run plays and tasks whose tags do not match these values.")
    var skipTags: String?
    @Option(name: [.customShort("e"), .customLong("extravars")], help: "Extra variables: key=value, YAML/JSON, or @file (repeatable; above env/extravars).")
    var extraVars: [String] = []
    @Option(name: .customLong("cmdline"), help: "ansible-playbook options for this run (instead of env/cmdline).")
    var cmdline: String?
    @Option(name: .long, help: "Number of parallel processes.")
    var forks: Int?
    @Option(name: .customLong("timeout"), help: "Stop the run after this many seconds (status timeout, rc 254; default env/settings job_timeout).")
    var timeout: Double?
    @Flag(name: [.short, .customLong("json")], help: "Print each event as a JSON line instead of the playbook output.")
    var json = false
    @Flag(name: [.short, .long], help: "Print nothing; read the artifacts.")
    var quiet = false
    @Flag(name: .customShort("v"), help: "Verbose mode (repeatable).")
    var verbose: Int

    func validate() throws {
        // ansible-runner's rule: a playbook or a module, not both and not neither.
        if (playbook == nil) == (module == nil) {
            throw ValidationError(playbook == nil ? "Missing a playbook (-p) or a module (-m) to run." : "-p and -m cannot be used together.")
        }
        if module == nil && (moduleArgs != nil || hosts != nil) { throw ValidationError("-a and --hosts go with -m.") }
    }

    func run() throws {
        var config = RunnerConfig(privateDataDir: privateDataDir, playbook: playbook ?? "", ident: ident ?? UUID().uuidString.lowercased())
        if let module { config.adHoc = RunnerAdHocTask(module: module, arguments: moduleArgs ?? "", pattern: hosts ?? "all") }
        config.artifactDir = artifactDir
        config.projectDir = projectDir
        config.inventory = inventory
        config.limit = limit
        config.tags = tags
        config.skipTags = skipTags
        config.cmdline = cmdline
        config.forks = forks
        config.verbosity = verbose
        config.rotateArtifacts = rotateArtifacts
        config.jobTimeout = timeout
        config.echoOutput = !quiet && !suppressedBySettings()
        config.echoJSON = json
        let loader = DataLoader(baseDirectory: FileManager.default.currentDirectoryPath)
        do {
            for text in extraVars { config.extraVars.merge(try CommandLineValues.extraVars(text, loader: loader)) }
        } catch {
            ErrorReport.fail(error)
        }
        let runner = Runner(config: config)
        // Ctrl-C and SIGTERM cancel the run cleanly (remote commands stopped, status canceled).
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { runner.cancel() }
            source.resume()
            sources.append(source)
        }
        ParentLifeline.watch { runner.cancel() }
        runner.run()
        sources.forEach { $0.cancel() }
        let rc = runner.rc ?? 1
        if rc != 0 { throw ExitCode(Int32(truncatingIfNeeded: rc)) }
    }

    /// `suppress_ansible_output: true` in env/settings silences the output as --quiet does.
    private func suppressedBySettings() -> Bool {
        let path = (privateDataDir as NSString).appendingPathComponent("env/settings")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
        return text.range(of: #"suppress_ansible_output["']?\s*:\s*(true|True|yes)"#, options: .regularExpression) != nil
    }
}
