import Foundation

/// Chooses the callbacks for a run the way ansible's TaskQueueManager does: one stdout
/// callback (`stdout_callback`, or `minimal` for ad-hoc), plus every callback named in
/// `callbacks_enabled` and those enabled by default.
public struct CallbackSelector {
    /// Where plugins are looked up.
    public var registry: CallbackRegistry

    /// A selector over `registry`.
    public init(registry: CallbackRegistry = .shared) {
        self.registry = registry
    }

    /// The stdout callback's name for a run.
    /// - Parameters:
    ///   - adHoc: building for the `ansible` command, which uses `minimal` unless
    ///     `bin_ansible_callbacks` is on and another stdout callback is configured.
    ///   - oneLine: `ansible -o`.
    ///   - explicit: a callback forced by the caller.
    public func stdoutCallbackName(config: AnsibleConfig, adHoc: Bool = false, oneLine: Bool = false, explicit: String? = nil) -> String {
        if let explicit { return explicit }
        if adHoc {
            if oneLine { return "oneline" }
            if config.bool(.loadCallbackPlugins) && config.stdoutCallback != "default" { return config.stdoutCallback }
            return "minimal"
        }
        return config.stdoutCallback
    }

    /// Builds the run's callbacks, stdout callback first. An unknown stdout callback is an
    /// error (as in Ansible); unknown enabled callbacks produce a warning and are skipped.
    ///
    /// Order follows ansible's TaskQueueManager: the stdout callback, then ansible-core's own
    /// and program-registered callbacks in registration order, then collection callbacks
    /// (`ansible.posix.timer`, …) in the order `callbacks_enabled` lists them.
    public func makeCallbacks(context: CallbackContext, adHoc: Bool = false, oneLine: Bool = false,
                              explicitStdout: String? = nil) throws -> [CallbackPlugin] {
        let stdoutName = stdoutCallbackName(config: context.config, adHoc: adHoc, oneLine: oneLine, explicit: explicitStdout)
        guard let stdoutEntry = registry.entry(named: stdoutName), stdoutEntry.kind == .stdout else {
            throw TroupeError(.options, "Invalid callback for stdout specified: \(stdoutName)")
        }
        var plugins: [CallbackPlugin] = [stdoutEntry.make(context)]
        // Ad-hoc runs load other callbacks only when bin_ansible_callbacks is on.
        let loadOthers = !adHoc || context.config.bool(.loadCallbackPlugins)
        let enabledNames = enabledCallbackNames(context)
        var enabled: [String] = []
        for name in enabledNames {
            guard let entry = registry.entry(named: name) else {
                context.display.warning("Skipping callback plugin '\(name)', unable to load")
                continue
            }
            if !enabled.contains(entry.name) { enabled.append(entry.name) }
        }
        func wanted(_ entry: CallbackRegistry.Entry) -> Bool {
            if entry.name == "tree" && context.treeDirectory != nil { return true }
            return loadOthers && (entry.enabledByDefault || enabled.contains(entry.name))
        }
        for name in registry.names where name != stdoutEntry.name {
            guard let entry = registry.entry(named: name), entry.collectionName == nil else { continue }
            if entry.kind == .stdout {
                context.display.vv("Skipping callback '\(name)', as we already have a stdout callback.")
                continue
            }
            if wanted(entry) { plugins.append(entry.make(context)) }
        }
        for name in enabled where name != stdoutEntry.name {
            guard let entry = registry.entry(named: name), entry.collectionName != nil else { continue }
            if entry.kind == .stdout {
                context.display.vv("Skipping callback '\(entry.collectionName ?? name)', as we already have a stdout callback.")
                continue
            }
            if wanted(entry) { plugins.append(entry.make(context)) }
        }
        return plugins
    }

    /// `callbacks_enabled`, or — for configurations written before ansible-core 2.15 removed
    /// it — `callback_whitelist` (with a warning that it is obsolete).
    func enabledCallbackNames(_ context: CallbackContext) -> [String] {
        let config = context.config
        if config.rawValue(.callbacksEnabled).origin == .default,
           let legacy = config.string(section: "defaults", key: "callback_whitelist", env: "ANSIBLE_CALLBACK_WHITELIST") {
            context.display.warning("'callback_whitelist' was removed in ansible-core 2.15; use 'callbacks_enabled' instead.")
            return legacy.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return config.callbacksEnabled
    }
}
