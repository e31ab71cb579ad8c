import Foundation
import Jinja

extension Runner {
    /// The whole run: read the private data dir, prepare the artifacts, run the playbook
    /// with every event recorded, write status and rc.
    func execute() {
        setStatus(.starting)
        var artifacts: RunnerArtifacts?
        var display: Display?
        var code = 0
        var stats: RunStats?
        var keyFile: String?
        let echo = EchoOutput(json: config.echoJSON, enabled: config.echoOutput)
        do {
            let inputs = try PrivateDataDirectory(config)
            if config.writeArtifacts {
                artifacts = try RunnerArtifacts(path: config.artifactPath)
                artifacts?.rotate(keep: config.rotateArtifacts)
            }
            let commandLine = try RunnerCommandLine(inputs.commandLine)
            let environment = runEnvironment(inputs)
            let project = config.projectPath
            var playbookPath = config.playbook.hasPrefix("/") ? config.playbook : project + "/" + config.playbook
            if let adHoc = config.adHoc {
                // The one-task play lives outside the project (read-only for the run) and the artifacts.
                playbookPath = try writeAdHocPlaybook(adHoc)
            }
            defer { if config.adHoc != nil { try? FileManager.default.removeItem(atPath: (playbookPath as NSString).deletingLastPathComponent) } }
            artifacts?.writeCommand(equivalentCommand(inputs, commandLine), cwd: project, environment: environment)
            if let key = inputs.sshKey {
                keyFile = try writeKey(key)
            }
            let ansibleConfig = try AnsibleConfig.load(environment: environment, currentDirectory: project)
            let shown = Display.configured(config: ansibleConfig, verbosity: config.verbosity + commandLine.verbosity,
                                           sink: { _, _ in }, stdoutIsTTY: true)
            display = shown
            var plugins: ExternalCallbackPlugins?
            defer { plugins?.finish() }
            let recorder = EventRecorder(options: recorderOptions(project: project, displayArgs: ansibleConfig.bool(.displayArgsToStdout))) {
                [self] event in
                artifacts?.record(event)
                echo.write(event)
                publish(event)
                plugins?.send(event)
            }
            recorder.attach(to: shown)
            // Started once the recorder shows their warnings; they see every event from playbook_on_start.
            plugins = ExternalCallbackPlugins(directories: ExternalCallbackPlugins.directories(playbooks: [playbookPath], config: ansibleConfig),
                                              environment: environment, warn: { [unowned shown] in shown.warning($0) })
            setStatus(.running)
            let timer = startJobTimer(inputs.seconds("job_timeout"))
            defer { timer?.cancel() }
            let executor = try makeExecutor(inputs: inputs, commandLine: commandLine, config: ansibleConfig, display: shown,
                                            playbook: playbookPath, keyFile: keyFile, recorder: recorder)
            if install(executor) {
                code = try executor.run()
            } else {
                executor.taskQueueManager.cleanup()
            }
            stats = executor.taskQueueManager.stats
        } catch {
            code = Int(ErrorReport.exitCode(error))
            let text = ErrorReport.render(error)
            if let display {
                display.display(String(text.dropLast()), color: display.colors.error, stderr: true, screenOnly: false,
                                logOnly: false, newline: true, kind: "error")
            } else {
                artifacts?.appendError(text)
                if config.echoOutput { FileHandle.standardError.write(Data(text.utf8)) }
            }
        }
        if let keyFile { try? FileManager.default.removeItem(atPath: keyFile) }
        finish(code: code, stats: stats) { status, rc in artifacts?.finish(status: status, rc: rc) }
    }

    /// The process environment plus `env/envvars` and what ansible-runner sets for every run.
    private func runEnvironment(_ inputs: PrivateDataDirectory) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.merging(inputs.environment) { _, new in new }
        env["ANSIBLE_RETRY_FILES_ENABLED"] = "False"
        if env["ANSIBLE_HOST_KEY_CHECKING"] == nil { env["ANSIBLE_HOST_KEY_CHECKING"] = "False" }
        if config.writeArtifacts {
            env["ANSIBLE_CACHE_PLUGIN"] = "jsonfile"
            env["ANSIBLE_CACHE_PLUGIN_CONNECTION"] = config.artifactPath + "/fact_cache"
        }
        env["RUNNER_OMIT_EVENTS"] = "False"
        env["RUNNER_ONLY_FAILED_EVENTS"] = "False"
        return env
    }

    /// Writes the ad hoc command's play into a private temporary directory; its path.
    private func writeAdHocPlaybook(_ task: RunnerAdHocTask) throws -> String {
        let directory = NSTemporaryDirectory() + "troupe-adhoc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let path = directory + "/adhoc.yml"
        try Data(task.playbookText.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The `troupe playbook` command line this run amounts to (the `command` artifact).
    private func equivalentCommand(_ inputs: PrivateDataDirectory, _ commandLine: RunnerCommandLine) -> [String] {
        var command = ["troupe", "playbook"] + inputs.commandLine
        for source in inputs.inventory { command += ["-i", source] }
        if let limit = config.limit { command += ["--limit", limit] }
        if let file = inputs.extraVarsFile { command += ["-e", "@" + file] }
        if !config.extraVars.isEmpty { command += ["-e", Value.dict(config.extraVars).jsonString] }
        if config.verbosity > 0 { command.append("-" + String(repeating: "v", count: config.verbosity)) }
        if let tags = config.tags { command += ["--tags", tags] }
        if let skip = config.skipTags { command += ["--skip-tags", skip] }
        if let forks = config.forks { command += ["--forks", String(forks)] }
        command.append(config.playbook)
        return command
    }

    private func recorderOptions(project: String, displayArgs: Bool) -> EventRecorder.Options {
        var options = EventRecorder.Options(runnerIdent: config.ident)
        options.playbookName = { path in path.hasPrefix(project + "/") ? String(path.dropFirst(project.count + 1)) : path }
        if config.adHoc != nil {
            options.adHoc = true
            options.playbookName = { _ in "__adhoc_playbook__" }
        }
        options.displayArgs = displayArgs
        return options
    }

    /// `env/ssh_key` goes to a private file in the artifact dir for the run only
    /// (ansible-runner feeds it to an ssh-agent through a fifo there, then removes it).
    private func writeKey(_ key: String) throws -> String {
        let dir = config.writeArtifacts ? config.artifactPath : NSTemporaryDirectory()
        let path = (dir as NSString).appendingPathComponent(config.writeArtifacts ? "ssh_key_data" : "troupe-ssh-key-\(config.ident)")
        guard FileManager.default.createFile(atPath: path, contents: Data((key.hasSuffix("\n") ? key : key + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw TroupeError(.io, "could not write the ssh key to \(path)")
        }
        return path
    }

    private func startJobTimer(_ fromSettings: Double?) -> DispatchWorkItem? {
        guard let seconds = config.jobTimeout ?? fromSettings, seconds > 0 else { return nil }
        let item = DispatchWorkItem { [weak self] in self?.stop(timeout: true) }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
        return item
    }

    private func makeExecutor(inputs: PrivateDataDirectory, commandLine: RunnerCommandLine, config ansible: AnsibleConfig,
                              display: Display, playbook: String, keyFile: String?, recorder: EventRecorder) throws -> PlaybookExecutor {
        let loader = DataLoader(baseDirectory: config.projectPath, warn: { display.warning($0) })
        var options = ExecutionOptions(config: ansible)
        var passwords: [String: String] = [:]
        for (pattern, answer) in inputs.passwords {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            func matches(_ prompt: String) -> Bool {
                regex.firstMatch(in: prompt, range: NSRange(prompt.startIndex..., in: prompt)) != nil
            }
            if matches("SSH password:") { passwords["conn_pass"] = answer }
            if matches("BECOME password:") || matches("SUDO password:") { passwords["become_pass"] = answer }
            if matches("Vault password:") { passwords["vault_pass"] = answer }
        }
        options.forks = config.forks ?? commandLine.forks ?? ansible.forks
        options.verbosity = config.verbosity + commandLine.verbosity
        options.check = commandLine.check
        options.diff = commandLine.diff || ansible.diffAlways
        options.remoteUser = commandLine.user ?? ansible.remoteUser
        options.become = commandLine.become || ansible.become
        if let user = commandLine.becomeUser { options.becomeUser = user }
        if let method = commandLine.becomeMethod { options.becomeMethod = method }
        options.connection = commandLine.connection
        options.startAtTask = commandLine.startAtTask
        options.forceHandlers = options.forceHandlers || commandLine.forceHandlers
        if let timeout = commandLine.timeout { options.timeout = timeout }
        options.privateKeyFile = keyFile ?? commandLine.privateKey ?? ansible.privateKeyFile
        let limit = config.limit ?? commandLine.limit
        options.limit = try limit.map { try CommandLineValues.limitPattern($0) }
        let tags = (commandLine.tags + [config.tags].compactMap { $0 }).flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        options.tags = tags.isEmpty ? ["all"] : tags
        options.skipTags = (commandLine.skipTags + [config.skipTags].compactMap { $0 }).flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let sources = inputs.inventory + commandLine.inventory
        options.inventorySources = sources.isEmpty ? ansible.inventory : sources
        var extra = OrderedDict()
        for text in commandLine.extraVars { extra.merge(try CommandLineValues.extraVars(text, loader: loader)) }
        if let file = inputs.extraVarsFile { extra.merge(try loader.loadVariablesFile(file)) }
        extra.merge(config.extraVars)
        options.extraVars = extra
        let inventory = try InventorySources.load(options.inventorySources, loader: loader, warn: { display.warning($0) })
        // ansible-runner's `-m` runs the `ansible` CLI, whose stdout callback is `minimal`.
        let callbacks = try CallbackSelector().makeCallbacks(
            context: CallbackContext(display: display, config: ansible, checkMode: options.check), adHoc: config.adHoc != nil,
            explicitStdout: ansible.environment["ORIGINAL_STDOUT_CALLBACK"] ?? (config.adHoc == nil ? "default" : "minimal"))
        let templar = Templar(baseDirectory: loader.baseDirectory)
        let variables = VariableManager(inventory: inventory, templar: templar, extraVars: extra)
        variables.hashBehaviour = ansible.hashBehaviour
        let executor = PlaybookExecutor(playbooks: [playbook], inventory: inventory, variableManager: variables, loader: loader,
                                        options: options, passwords: passwords, callbacks: callbacks)
        let addresses = RemoteAddresses(inventory: inventory)
        recorder.setRemoteAddress { addresses.address(of: $0) }
        executor.taskQueueManager.callbacks.setScope(recorder)
        return executor
    }
}

/// `remote_addr` of each host (its inventory `ansible_host`, else its name), looked up once.
final class RemoteAddresses: @unchecked Sendable {
    private let inventory: InventoryView
    private let lock = NSLock()
    private var known: [String: String] = [:]

    init(inventory: InventoryView) { self.inventory = inventory }

    func address(of host: String) -> String {
        lock.lock(); defer { lock.unlock() }
        if let address = known[host] { return address }
        let address = inventory.inventoryVariables(for: host).reversed().lazy.compactMap { $0["ansible_host"]?.stringValue }.first ?? host
        known[host] = address
        return address
    }
}

/// Echoes events on this process's stdout as ansible-runner does: each event's text and a
/// newline, or each event as a JSON line with `--json`.
private struct EchoOutput {
    let json: Bool
    let enabled: Bool

    func write(_ event: RunnerEvent) {
        guard enabled else { return }
        if json {
            FileHandle.standardOutput.write(Data((event.jsonLine() + "\n").utf8))
        } else if !event.stdout.isEmpty {
            FileHandle.standardOutput.write(Data((event.stdout + "\n").utf8))
        }
    }
}
