import Foundation
import Jinja

/// ansible-core's `junit`: one test case per task and host (plus one per include), written
/// as `<playbook>-<epoch>.xml` into `JUNIT_OUTPUT_DIR` (default `~/.ansible.log`) when the
/// run ends. ok → pass; failed → error (with the failure text) or failure; skipped →
/// skipped; `EXPECTED FAILURE` in a task name passes a failure, `TOGGLE RESULT` inverts.
///
/// Environment options, as in ansible-core: `JUNIT_OUTPUT_DIR`, `JUNIT_TASK_CLASS`,
/// `JUNIT_TASK_RELATIVE_PATH`, `JUNIT_REPLACE_OUT_OF_TREE_PATH`, `JUNIT_FAIL_ON_CHANGE`,
/// `JUNIT_FAIL_ON_IGNORE`, `JUNIT_INCLUDE_SETUP_TASKS_IN_REPORT`, `JUNIT_HIDE_TASK_ARGUMENTS`,
/// `JUNIT_TEST_CASE_PREFIX`.
public final class JUnitCallback: CallbackPlugin {
    /// What the options say.
    struct Options {
        var outputDirectory: String
        var taskClass = false
        var taskRelativePath = ""
        var replaceOutOfTreePath: String?
        var failOnChange = false
        var failOnIgnore = false
        var includeSetupTasks = true
        var hideTaskArguments = false
        var testCasePrefix = ""
    }

    private enum Status { case ok, failed, skipped, included }

    private struct HostRecord {
        var name: String
        var status: Status
        var result: Value
        var includeText: String
        var finished: Date
    }

    private struct TaskRecord {
        var name: String
        var path: String
        var play: String
        var action: String
        var started: Date
        var hosts: [String: HostRecord] = [:]
        var hostOrder: [String] = []
    }

    /// Where the report goes.
    public var outputDirectory: String { options.outputDirectory }
    let options: Options
    private let display: Display
    private let formatter: ResultFormatter
    private let currentDirectory: String
    private var playbookName = "playbook"
    private var playName = ""
    private var tasks: [String: TaskRecord] = [:]
    private var taskOrder: [String] = []
    private var lastTaskUUID: String?

    /// A JUnit writer configured from the run's environment; creates the output directory.
    public init(context: CallbackContext) {
        let env = context.config.environment
        let flag = { (name: String, fallback: Bool) in env[name].map { $0.lowercased() == "true" } ?? fallback }
        var options = Options(outputDirectory: CallbackFiles.directory(env["JUNIT_OUTPUT_DIR"] ?? "~/.ansible.log", context: context))
        options.taskClass = flag("JUNIT_TASK_CLASS", false)
        options.taskRelativePath = env["JUNIT_TASK_RELATIVE_PATH"] ?? ""
        options.replaceOutOfTreePath = env["JUNIT_REPLACE_OUT_OF_TREE_PATH"]
        options.failOnChange = flag("JUNIT_FAIL_ON_CHANGE", false)
        options.failOnIgnore = flag("JUNIT_FAIL_ON_IGNORE", false)
        options.includeSetupTasks = flag("JUNIT_INCLUDE_SETUP_TASKS_IN_REPORT", true)
        options.hideTaskArguments = flag("JUNIT_HIDE_TASK_ARGUMENTS", false)
        options.testCasePrefix = env["JUNIT_TEST_CASE_PREFIX"] ?? ""
        self.options = options
        display = context.display
        // The plugin has no result_format/pretty options: JSON, indented only when the result asks.
        formatter = ResultFormatter(display: Display(verbosity: 0, sink: { _, _ in }))
        currentDirectory = context.config.currentDirectory
        CallbackFiles.makeDirectory(options.outputDirectory, display: display)
    }

    /// Takes the suite name from the playbook file.
    public func playbookStart(_ playbook: PlaybookInfo) {
        playbookName = ((playbook.path as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// Remembers the play name for the test case names.
    public func playStart(_ play: PlayInfo) { playName = play.name }
    /// Starts timing a task (once, however many hosts or batches run it).
    public func taskStart(_ task: TaskInfo) { start(task) }
    /// Starts timing a handler.
    public func handlerTaskStart(_ task: TaskInfo) { start(task) }

    /// A pass.
    public func runnerOk(_ result: TaskResult) {
        finish(options.failOnChange && result.isChanged ? .failed : .ok, result)
    }

    /// A failure, or a pass when ignored (unless `JUNIT_FAIL_ON_IGNORE`).
    public func runnerFailed(_ result: TaskResult, ignoreErrors: Bool) {
        finish(ignoreErrors && !options.failOnIgnore ? .ok : .failed, result)
    }

    /// A skipped case.
    public func runnerSkipped(_ result: TaskResult) { finish(.skipped, result) }

    /// An `[include]` case for the include task; several files for one task share it.
    public func include(_ file: IncludedFileInfo) {
        guard let uuid = lastTaskUUID, var task = tasks[uuid] else { return }
        let text = "\(file.path) (args=\(file.args.pythonString) vars=\(file.vars.pythonString)): [\(file.hosts.joined(separator: ", "))]"
        guard let status = adjusted(.included, name: task.name) else { return }
        if var existing = task.hosts["include"] {
            existing.includeText += "\n" + text
            existing.finished = Date()
            task.hosts["include"] = existing
        } else {
            task.hosts["include"] = HostRecord(name: "include", status: status, result: .null, includeText: text, finished: Date())
            task.hostOrder.append("include")
        }
        tasks[uuid] = task
    }

    /// Writes the report.
    public func stats(_ stats: RunStats) {
        var cases: [JUnitReport.TestCase] = []
        for uuid in taskOrder {
            guard let task = tasks[uuid] else { continue }
            if !options.includeSetupTasks && ["setup", "ansible.builtin.setup", "ansible.legacy.setup"].contains(task.action) { continue }
            for host in task.hostOrder { if let record = task.hosts[host] { cases.append(testCase(task, record)) } }
        }
        let report = JUnitReport(suiteName: playbookName, cases: cases)
        let file = "\(playbookName)-\(Date().timeIntervalSince1970).xml"
        CallbackFiles.replace((options.outputDirectory as NSString).appendingPathComponent(file), with: report.xml(),
                              display: display, what: "the JUnit report")
    }

    // MARK: - Recording

    private func start(_ task: TaskInfo) {
        lastTaskUUID = task.uuid
        guard tasks[task.uuid] == nil else { return }
        var name = task.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        if !task.noLog && !options.hideTaskArguments, let args = task.args.dictValue, !args.isEmpty {
            name += " " + args.map { "\($0.key)=\($0.value.pythonString)" }.joined(separator: ", ")
        }
        tasks[task.uuid] = TaskRecord(name: name, path: task.path ?? "", play: playName, action: task.action, started: Date())
        taskOrder.append(task.uuid)
    }

    /// The status after `EXPECTED FAILURE`/`TOGGLE RESULT`, or nil when the case is left out
    /// (`JUNIT_TEST_CASE_PREFIX` set and not matched, unless it failed).
    private func adjusted(_ status: Status, name: String) -> Status? {
        var status = status
        if status == .failed && name.contains("EXPECTED FAILURE") {
            status = .ok
        } else if name.contains("TOGGLE RESULT") {
            if status == .failed { status = .ok } else if status == .ok { status = .failed }
        }
        return name.hasPrefix(options.testCasePrefix) || status == .failed ? status : nil
    }

    private func finish(_ status: Status, _ result: TaskResult) {
        if tasks[result.task.uuid] == nil { start(result.task) }
        guard var task = tasks[result.task.uuid], let status = adjusted(status, name: task.name) else { return }
        // A second result for the same host and task keeps the first, as ansible reports only one.
        guard task.hosts[result.host] == nil else { return }
        task.hosts[result.host] = HostRecord(name: result.host, status: status,
                                             result: ResultFormatter.callbackView(of: result.result, task: result.task), includeText: "", finished: Date())
        task.hostOrder.append(result.host)
        tasks[result.task.uuid] = task
    }

    // MARK: - Report

    private func testCase(_ task: TaskRecord, _ host: HostRecord) -> JUnitReport.TestCase {
        let name = "[\(host.name)] \(task.play): \(task.name)"
        let duration = host.finished.timeIntervalSince(task.started)
        var testCase = JUnitReport.TestCase(name: name, classname: className(task.path), time: duration)
        switch host.status {
        case .included:
            testCase.systemOut = host.includeText
        case .ok:
            testCase.systemOut = formatter.dumpResults(host.result, indent: 0)
        case .failed:
            let dump = formatter.dumpResults(host.result, indent: 0)
            if let exception = host.result["exception"]?.stringValue, !exception.isEmpty {
                testCase.errors.append(.init(message: Self.briefMessage(exception), output: Self.traceback(exception)))
            } else if let message = host.result["msg"] {
                testCase.failures.append(.init(message: message.stringValue ?? message.pythonString, output: dump))
            } else {
                testCase.failures.append(.init(message: "rc=\((host.result["rc"] ?? .int(0)).pythonString)", output: dump))
            }
        case .skipped:
            testCase.skipped = host.result["skip_reason"]?.stringValue ?? "skipped"
        }
        return testCase
    }

    private func className(_ path: String) -> String {
        var name = path
        if !options.taskRelativePath.isEmpty && !path.isEmpty {
            name = Self.relativePath(path, from: options.taskRelativePath, currentDirectory: currentDirectory)
        }
        if let placeholder = options.replaceOutOfTreePath, name.hasPrefix("../") {
            name = placeholder + (name as NSString).lastPathComponent
        }
        if options.taskClass, let range = name.range(of: #"\.yml:[0-9]+$"#, options: .regularExpression) {
            name.removeSubrange(range)
        }
        return name
    }

    /// The failure's first message, without the `Origin:` excerpt.
    static func briefMessage(_ exception: String) -> String {
        let text = exception.components(separatedBy: "\nOrigin: ").first ?? exception
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The traceback chain ansible-core 2.19 prints for a failure whose Python tracebacks
    /// were not captured: module failures come from the target, the others from the action.
    static func traceback(_ exception: String) -> String {
        let source = exception.hasPrefix("Task failed: Module failed") ? "target" : "action"
        return "(traceback missing)\n\nThe above \(source) exception was the direct cause of the following controller exception:\n\n"
            + "(traceback missing)\n\nThe above exception was the direct cause of the following exception:\n\n(traceback missing)\n"
    }

    /// Python's `os.path.relpath`.
    static func relativePath(_ path: String, from base: String, currentDirectory: String) -> String {
        func components(_ text: String) -> [String] {
            let absolute = text.hasPrefix("/") ? text : (currentDirectory as NSString).appendingPathComponent(text)
            var parts: [String] = []
            for part in absolute.split(separator: "/") where part != "." {
                if part == ".." { if !parts.isEmpty { parts.removeLast() } } else { parts.append(String(part)) }
            }
            return parts
        }
        let target = components(path)
        let start = components(base)
        var common = 0
        while common < min(target.count, start.count) && target[common] == start[common] { common += 1 }
        let parts = Array(repeating: "..", count: start.count - common) + target[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
