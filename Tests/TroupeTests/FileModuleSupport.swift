import Foundation
import XCTest
import Jinja
@testable import Troupe

/// A temp directory and a local connection for running file modules directly.
final class FileModuleSandbox {
    let root: String
    let connection = LocalConnection()

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { root + "/" + name }

    func write(_ name: String, _ text: String, mode: Int? = nil) throws {
        let p = path(name)
        try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: p, atomically: false, encoding: .utf8)
        if let mode { chmod(p, mode_t(mode)) }
    }

    func read(_ name: String) -> String? {
        (try? String(contentsOfFile: path(name), encoding: .utf8))
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    func mode(_ name: String) -> Int {
        var st = stat()
        lstat(path(name), &st)
        return Int(st.st_mode & 0o7777)
    }

    /// Runs a module as the worker would: argument validation, check mode, result.
    func run(_ module: RemoteModule, _ args: OrderedDict, check: Bool = false, diff: Bool = false) throws -> OrderedDict {
        let invocation = ModuleInvocation(module: module.name, args: args, host: "localhost", checkMode: check, diff: diff)
        let value = try module.execute(invocation, connection: connection)
        return value.dictValue ?? [:]
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

extension OrderedDict {
    var isChanged: Bool { self["changed"] == true }
    var isFailed: Bool { self["failed"] == true }
}

/// Runs playbooks with the standard modules plus the file modules, in process.
struct FilePlaybookHarness {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-fpb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    var path: String { directory.path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func read(_ name: String) -> String? { try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) }

    func run(_ playbook: String, options: ExecutionOptions = ExecutionOptions()) throws -> (Int, RecordingCallback) {
        let path = try write("site.yml", playbook)
        let inventory = StaticInventory(hosts: ["localhost"], variables: ["localhost": ["ansible_connection": "local"]])
        let loader = DataLoader(baseDirectory: directory.path)
        let vm = VariableManager(inventory: inventory, templar: Templar(baseDirectory: directory.path), extraVars: [:])
        let recorder = RecordingCallback()
        let registry = ModuleRegistry.standard()
        FileModules.register(in: registry)
        let executor = PlaybookExecutor(playbooks: [path], inventory: inventory, variableManager: vm, loader: loader,
                                        options: options, callbacks: [recorder], modules: registry,
                                        runner: InProcessModuleRunner(modules: registry))
        let rc = try executor.run()
        return (rc, recorder)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
