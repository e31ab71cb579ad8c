import Foundation

/// ansible-core's `tree`: after every ok, failed or unreachable result, the host's file in
/// the tree directory is replaced with that result as JSON (so it ends up holding the
/// host's last result). The directory is the ad-hoc `--tree DIR`, else
/// `ANSIBLE_CALLBACK_TREE_DIR` / `[callback_tree] directory`, else `~/.ansible/tree`.
public final class TreeCallback: CallbackPlugin {
    /// Where the per-host files go.
    public let directory: String
    private let display: Display
    private let formatter: ResultFormatter

    /// A tree writer configured from the run's options; announces the plugin's deprecation
    /// as ansible-core 2.19 does.
    public init(context: CallbackContext) {
        display = context.display
        formatter = ResultFormatter(display: context.display)
        let configured = context.treeDirectory
            ?? context.config.string(section: "callback_tree", key: "directory", env: "ANSIBLE_CALLBACK_TREE_DIR")
            ?? "~/.ansible/tree"
        directory = CallbackFiles.directory(configured, context: context)
        display.deprecated("The tree callback plugin is deprecated.", version: "2.23")
    }

    /// Writes the host's file.
    public func runnerOk(_ result: TaskResult) { write(result) }
    /// Writes the host's file.
    public func runnerFailed(_ result: TaskResult, ignoreErrors: Bool) { write(result) }
    /// Writes the host's file.
    public func runnerUnreachable(_ result: TaskResult) { write(result) }

    private func write(_ result: TaskResult) {
        CallbackFiles.makeDirectory(directory, display: display)
        let path = (directory as NSString).appendingPathComponent(result.host)
        CallbackFiles.replace(path, with: formatter.dumpResults(ResultFormatter.callbackView(of: result.result, task: result.task)), display: display, what: "'\(result.host)''s file")
    }
}
