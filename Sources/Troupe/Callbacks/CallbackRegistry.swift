import Foundation

/// What a callback factory gets to build its plugin.
public struct CallbackContext {
    /// The run's output sink.
    public var display: Display
    /// The run's configuration (for the plugin's options).
    public var config: AnsibleConfig
    /// `--check` was given (for `DRY RUN` markers).
    public var checkMode: Bool
    /// The ad-hoc `--tree DIR` option: turns the `tree` callback on and overrides its directory.
    public var treeDirectory: String?

    /// A context for building callbacks.
    public init(display: Display, config: AnsibleConfig, checkMode: Bool = false, treeDirectory: String? = nil) {
        self.display = display
        self.config = config
        self.checkMode = checkMode
        self.treeDirectory = treeDirectory
    }
}

/// Named callback plugins that can be selected by `stdout_callback` or enabled through
/// `callbacks_enabled`. Holds the stdout callbacks `default`, `minimal`, `oneline` and
/// `json`, and the aggregate/notification callbacks `junit`, `tree`, `timer`,
/// `profile_tasks`, `profile_roles` and `log_plays`; programs add their own with `register`.
public final class CallbackRegistry: @unchecked Sendable {
    /// Ansible's callback types: `stdout` callbacks own the screen, only one is active.
    public enum Kind: String, Sendable {
        /// Owns the screen; `stdout_callback` picks exactly one.
        case stdout
        /// Runs alongside the stdout callback (e.g. timers, profilers) when enabled.
        case aggregate
        /// Sends events elsewhere (mail, chat, logs) when enabled.
        case notification
    }

    /// A factory for one named callback.
    public struct Entry {
        /// The name `stdout_callback`/`callbacks_enabled` select it by, e.g. "minimal".
        public var name: String
        /// The collection-qualified name Ansible users also write ("ansible.posix.timer"),
        /// when the plugin lives outside ansible-core; nil for ansible-core's own and custom ones.
        public var collectionName: String?
        /// Whether it owns the screen (`stdout`) or runs alongside (`aggregate`/`notification`).
        public var kind: Kind
        /// Whether an `aggregate`/`notification` callback runs without being listed in `callbacks_enabled`.
        public var enabledByDefault: Bool
        /// Builds the plugin for a run from the run's display and configuration.
        public var make: (CallbackContext) -> CallbackPlugin
    }

    /// The registry the command-line tools use.
    public static let shared = CallbackRegistry()

    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private var aliases: [String: String] = [:]
    private let lock = NSLock()

    /// A registry holding the built-in stdout callbacks.
    public init() {
        register("default", kind: .stdout) { DefaultCallback(display: $0.display, options: DefaultCallbackOptions(config: $0.config)) }
        register("minimal", kind: .stdout) { context in
            let pretty = context.config[.callbackFormatPretty]
            return MinimalCallback(display: context.display, prettyResults: pretty.isNull ? nil : pretty.isTruthy,
                                   diffContext: context.config.diffContext,
                                   resultFormat: context.config.string(.callbackResultFormat) ?? "json")
        }
        register("oneline", kind: .stdout) { OneLineCallback(display: $0.display) }
        registerBundledPlugins()
    }

    /// Adds (or replaces) a callback. Names may be short ("json") or fully qualified
    /// ("ansible.builtin.json"); lookups accept either form for `ansible.builtin`/`ansible.legacy`,
    /// and `collectionName` (e.g. "ansible.posix.json") as a second name.
    public func register(_ name: String, collectionName: String? = nil, kind: Kind, enabledByDefault: Bool = false,
                         make: @escaping (CallbackContext) -> CallbackPlugin) {
        lock.lock()
        defer { lock.unlock() }
        let key = Self.shortName(name)
        if entries[key] == nil { order.append(key) }
        entries[key] = Entry(name: key, collectionName: collectionName, kind: kind, enabledByDefault: enabledByDefault, make: make)
        if let collectionName { aliases[collectionName] = key }
    }

    /// The entry for a name, accepting `ansible.builtin.`/`ansible.legacy.` prefixes and
    /// collection names ("community.general.log_plays").
    public func entry(named name: String) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        return entries[Self.shortName(name)] ?? aliases[name].flatMap { entries[$0] }
    }

    /// Registered names in registration order.
    public var names: [String] {
        lock.lock()
        defer { lock.unlock() }
        return order
    }

    static func shortName(_ name: String) -> String {
        for prefix in ["ansible.builtin.", "ansible.legacy."] where name.hasPrefix(prefix) {
            return String(name.dropFirst(prefix.count))
        }
        return name
    }
}
