import ArgumentParser
import Foundation
import Jinja
import Troupe

/// `troupe playbook`: ansible-playbook.
struct PlaybookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "playbook", abstract: "Run Ansible playbooks (like ansible-playbook).")

    @OptionGroup var common: CommonOptions
    @Option(name: [.short, .customLong("tags")], help: "Only run plays and tasks tagged with these values (repeatable, comma separated).")
    var t: [String] = []
    @Option(name: .customLong("skip-tags"), help: "Only run plays and tasks whose tags do not match these values.")
    var skipTags: [String] = []
    @Flag(name: .customLong("list-hosts"), help: "Outputs a list of matching hosts; does not execute anything else.")
    var listHosts = false
    @Flag(name: .customLong("list-tasks"), help: "List all tasks that would be executed.")
    var listTasks = false
    @Flag(name: .customLong("list-tags"), help: "List all available tags.")
    var listTags = false
    @Flag(name: .customLong("syntax-check"), help: "Perform a syntax check on the playbook, but do not execute it.")
    var syntaxCheck = false
    @Option(name: .customLong("start-at-task"), help: "Start the playbook at the task matching this name.")
    var startAtTask: String?
    @Flag(name: .customLong("step"), help: "One step at a time: confirm each task before running it.")
    var step = false
    @Flag(name: .customLong("force-handlers"), help: "Run handlers even if a task fails.")
    var forceHandlers = false
    @Flag(name: .customLong("flush-cache"), help: "Clear the fact cache for every host in inventory.")
    var flushCache = false
    @Flag(name: .customLong("version"), help: "Show the version and exit.")
    var version = false
    @Argument(help: "Playbook(s) to run.")
    var playbooks: [String] = []

    func run() throws {
        if version {
            print(TroupeVersion.text)
            return
        }
        guard !playbooks.isEmpty else {
            // ansible-playbook's argparse error: usage and exit status 2.
            FileHandle.standardError.write(Data("""
            usage: troupe playbook [options] playbook [playbook ...]
            troupe playbook: error: the following arguments are required: playbook

            """.utf8))
            Foundation.exit(2)
        }
        let cwd = FileManager.default.currentDirectoryPath
        let paths = playbooks.map { ($0 as NSString).expandingTildeInPath }.map { $0.hasPrefix("/") ? $0 : cwd + "/" + $0 }
        for (given, path) in zip(playbooks, paths) where !FileManager.default.fileExists(atPath: path) {
            ErrorReport.fail(TroupeError(.io, "the playbook: \(given) could not be found"))
        }
        do {
            let setup = try RunSetup(common, baseDirectory: (paths[0] as NSString).deletingLastPathComponent)
            var options = setup.options
            options.tags = splitList(t).isEmpty ? ["all"] : splitList(t)
            options.skipTags = splitList(skipTags)
            options.startAtTask = startAtTask
            if step { options.stepPrompter = StepPrompter(display: setup.display) }
            options.forceHandlers = options.forceHandlers || forceHandlers
            options.flushCache = flushCache
            let callbacks = (listHosts || listTasks || listTags || syntaxCheck) ? [] : try setup.callbacks()
            let templar = Templar(baseDirectory: setup.loader.baseDirectory)
            templar.vaultSecrets = setup.vaultSecrets
            let variables = VariableManager(inventory: setup.inventory, templar: templar, extraVars: setup.extraVars)
            variables.hashBehaviour = setup.config.hashBehaviour
            let executor = PlaybookExecutor(playbooks: paths, inventory: setup.inventory, variableManager: variables,
                                            loader: setup.loader, options: options, callbacks: callbacks)
            executor.playbooksAsGiven = playbooks
            let parsed = try executor.parse()
            if syntaxCheck || listHosts || listTasks || listTags {
                print(try PlaybookListing(playbooks: parsed, inventory: setup.inventory, options: options, templar: templar,
                                          variables: variables).render(hosts: listHosts, tasks: listTasks, tags: listTags), terminator: "")
                return
            }
            let plugins = ExternalCallbackPlugins(directories: ExternalCallbackPlugins.directories(playbooks: paths, config: setup.config),
                                                  warn: { [display = setup.display] in display.warning($0) })
            plugins.recordEvents(of: executor, display: setup.display, inventory: setup.inventory)
            let interruption = RunInterruption(executor.taskQueueManager, display: setup.display)
            let code: Int
            do {
                code = try executor.run()
                plugins.finish()
            } catch {
                plugins.finish()
                interruption.exitIfInterrupted()
                throw error
            }
            interruption.exitIfInterrupted()
            if let startAtTask, !executor.taskQueueManager.startedAtTask {
                setup.display.error("No matching task \"\(startAtTask)\" found. Note: --start-at-task can only follow static includes.")
            }
            if code != 0 { throw ExitCode(Int32(code)) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            ErrorReport.fail(error)
        }
    }

    private func splitList(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }
}
