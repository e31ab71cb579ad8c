import ArgumentParser
import Foundation
import Jinja
import Troupe

/// `troupe adhoc PATTERN -m MODULE -a ARGS`: the `ansible` command.
struct AdhocCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "adhoc", abstract: "Run one module against hosts (like `ansible`).")

    @OptionGroup var common: CommonOptions
    @Option(name: [.customShort("m"), .customLong("module-name")], help: "Module to execute (default command).")
    var module: String?
    @Option(name: [.customShort("a"), .customLong("args")], help: "The module's arguments (k=v or free form).")
    var args: String?
    @Flag(name: [.customShort("o"), .customLong("one-line")], help: "Condense output.")
    var oneLine = false
    @Option(name: [.customShort("t"), .customLong("tree")], help: "Log output to this directory (the tree callback).")
    var tree: String?
    @Flag(name: .customLong("list-hosts"), help: "Outputs a list of matching hosts; does not execute anything else.")
    var listHosts = false
    @Option(name: .customLong("task-timeout"), help: "Set task timeout limit in seconds, must be positive integer.")
    var taskTimeout: Int?
    @Option(name: [.customShort("B"), .customLong("background")], help: "Run asynchronously, failing after SECONDS.")
    var background: Int?
    @Option(name: [.customShort("P"), .customLong("poll")], help: "Set the poll interval if using -B (default 15).")
    var poll: Int?
    @Option(name: .customLong("playbook-dir"),
            help: "A substitute playbook directory: the base of relative paths, group_vars/, host_vars/ and roles/.")
    var playbookDir: String?
    @Flag(name: .customLong("flush-cache"), help: "Clear the fact cache for every host in inventory.")
    var flushCache = false
    @Argument(help: "Host pattern.")
    var pattern: String

    func run() throws {
        do {
            // As ansible's --playbook-dir: what a playbook's directory would be for a playbook run.
            let cwd = playbookDir.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? FileManager.default.currentDirectoryPath
            let setup = try RunSetup(common, baseDirectory: cwd, hostPattern: pattern)
            if listHosts {
                // As `ansible --list-hosts`: the pattern's hosts, narrowed by --limit.
                var hosts = try setup.inventory.hostNames(matching: pattern)
                if let limit = setup.options.limit {
                    let allowed = Set(try setup.inventory.hostNames(matching: limit))
                    hosts = hosts.filter(allowed.contains)
                }
                print("  hosts (\(hosts.count)):" + hosts.map { "\n    " + $0 }.joined())
                return
            }
            if playbookDir != nil { try setup.inventory.loadPlaybookVariables(directory: cwd) }
            let moduleName = module ?? setup.config.moduleName
            let taskArgs: Value
            let short = ModuleNames.shortName(moduleName)
            if let args {
                if let node = try? YAMLLoader().load(args, file: "<args>"), case .mapping = node.kind {
                    taskArgs = node.value
                } else {
                    taskArgs = .dict(KeyValueParser.parse(args, checkRaw: ModuleNames.freeForm.contains(short)))
                }
            } else {
                taskArgs = .dict(OrderedDict())
            }
            if ModuleNames.freeForm.contains(short) && (taskArgs["_raw_params"] == nil && taskArgs["cmd"] == nil && taskArgs["argv"] == nil) {
                throw TroupeError(.options, "No argument passed to \(moduleName) module")
            }
            var task = OrderedDict()
            task["action"] = ["module": .string(moduleName)]
            if let taskTimeout, taskTimeout > 0 { task["timeout"] = .int(taskTimeout) }
            if let background, background > 0 {
                task["async"] = .int(background)
                task["poll"] = .int(poll ?? 15)
            }
            if var dict = task["action"]?.dictValue {
                dict.merge(taskArgs.dictValue ?? OrderedDict())
                task["action"] = .dict(dict)
            }
            var play = OrderedDict()
            play["name"] = .string("Ansible Ad-Hoc")
            play["hosts"] = .string(pattern)
            play["gather_facts"] = false
            play["tasks"] = [.dict(task)]
            // One registry for parsing and running, so --module-path modules resolve in both.
            let modules = ModuleRegistry.standard()
            for directory in setup.options.modulePaths { modules.library.add(directory: directory) }
            let playObject = try Play.load(.dict(play), loader: setup.loader, modules: modules)
            let templar = Templar(baseDirectory: cwd)
            templar.vaultSecrets = setup.vaultSecrets
            let variables = VariableManager(inventory: setup.inventory, templar: templar, extraVars: setup.extraVars)
            var options = setup.options
            options.flushCache = flushCache
            let tqm = TaskQueueManager(inventory: setup.inventory, variableManager: variables, loader: setup.loader,
                                       options: options, callbacks: try setup.callbacks(adHoc: true, oneLine: oneLine, treeDirectory: tree),
                                       modules: modules)
            let matched = try setup.inventory.hostNames(matching: pattern)
            // As ansible: with an empty inventory the play still runs (its templated `hosts`
            // may name the implicit localhost); otherwise no match means nothing to do.
            if matched.isEmpty && !((try? setup.inventory.hostNames(matching: "all")) ?? []).isEmpty {
                setup.display.warning("No hosts matched, nothing to do")
                return
            }
            let interruption = RunInterruption(tqm, display: setup.display)
            let code: Int
            do {
                code = try tqm.run(playObject)
            } catch {
                tqm.cleanup()
                interruption.exitIfInterrupted()
                throw error
            }
            tqm.saveFacts()
            tqm.cleanup()
            interruption.exitIfInterrupted()
            if code != 0 { throw ExitCode(Int32(code)) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            ErrorReport.fail(error)
        }
    }
}
