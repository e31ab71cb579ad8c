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
    public func makeCallbacks(context: CallbackContext, adHoc: Bool = false, oneLine: Bool = false,
                              explicitStdout: String? = nil) throws -> [CallbackPlugin] {
        let stdoutName = stdoutCallbackName(config: context.config, adHoc: adHoc, oneLine: oneLine, explicit: explicitStdout)
        guard let stdoutEntry = registry.entry(named: stdoutName), stdoutEntry.kind == .stdout else {
            throw TroupeError(.options, "Invalid callback for stdout specified: \(stdoutName)")
        }
        var plugins: [CallbackPlugin] = [stdoutEntry.make(context)]
        // Ad-hoc runs load other callbacks only when bin_ansible_callbacks is on.
        let loadOthers = !adHoc || context.config.bool(.loadCallbackPlugins)
        let enabled = context.config.callbacksEnabled.map(CallbackRegistry.shortName)
        for name in registry.names where name != stdoutEntry.name {
            guard let entry = registry.entry(named: name) else { continue }
            if entry.kind == .stdout {
                context.display.vv("Skipping callback '\(name)', as we already have a stdout callback.")
                continue
            }
            guard loadOthers, entry.enabledByDefault || enabled.contains(name) else { continue }
            plugins.append(entry.make(context))
        }
        for name in enabled where registry.entry(named: name) == nil {
            context.display.warning("Skipping callback plugin '\(name)', unable to load")
        }
        return plugins
    }
}
