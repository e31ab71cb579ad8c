/// The options of the `default` stdout callback (Ansible's default_callback and
/// result_format_callback documentation fragments), settable from `ansible.cfg`/env.
public struct DefaultCallbackOptions: Sendable, Hashable {
    /// `display_skipped_hosts` (true).
    public var displaySkippedHosts = true
    /// `display_ok_hosts` (true).
    public var displayOkHosts = true
    /// `display_failed_stderr` (false): failures and unreachables go to stderr.
    public var displayFailedStderr = false
    /// `show_custom_stats` (false): print `set_stats` data after the recap.
    public var showCustomStats = false
    /// `show_per_host_start` (false): a ` [started TASK: … on host]` line per host.
    public var showPerHostStart = false
    /// `check_mode_markers` (false): `DRY RUN` banners and ` [CHECK MODE]` suffixes.
    public var checkModeMarkers = false
    /// `show_task_path_on_failure` (false).
    public var showTaskPathOnFailure = false
    /// `display_args_to_stdout` (false): task arguments in the banner.
    public var displayArgsToStdout = false
    /// `callback_format_pretty`: nil by default.
    public var prettyResults: Bool?
    /// `callback_result_format`: "json" (default) or "yaml".
    public var resultFormat = "json"
    /// `[diff] context` (3).
    public var diffContext = 3

    /// Ansible's defaults.
    public init() {}

    /// The options as configured.
    public init(config: AnsibleConfig) {
        displaySkippedHosts = config.bool(.displaySkippedHosts)
        displayOkHosts = config.bool(.displayOkHosts)
        displayFailedStderr = config.bool(.displayFailedStderr)
        showCustomStats = config.bool(.showCustomStats)
        showPerHostStart = config.bool(.showPerHostStart)
        checkModeMarkers = config.bool(.checkModeMarkers)
        showTaskPathOnFailure = config.bool(.showTaskPathOnFailure)
        displayArgsToStdout = config.bool(.displayArgsToStdout)
        let pretty = config[.callbackFormatPretty]
        prettyResults = pretty.isNull ? nil : pretty.isTruthy
        diffContext = config.diffContext
        resultFormat = config.string(.callbackResultFormat) ?? "json"
    }
}
