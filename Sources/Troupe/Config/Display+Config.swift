import Foundation

extension DisplayColors {
    /// The colours configured in `[colors]` / `ANSIBLE_COLOR_*`, Ansible's defaults otherwise.
    public init(config: AnsibleConfig) {
        self.init()
        func pick(_ key: String, _ current: DisplayColor) -> DisplayColor {
            DisplayColor(config.string(.color(key, default: current.name)) ?? current.name)
        }
        ok = pick("ok", ok)
        changed = pick("changed", changed)
        skip = pick("skip", skip)
        error = pick("error", error)
        unreachable = pick("unreachable", unreachable)
        warn = pick("warn", warn)
        deprecate = pick("deprecate", deprecate)
        debug = pick("debug", debug)
        verbose = pick("verbose", verbose)
        included = pick("included", included)
        highlight = pick("highlight", highlight)
        diffAdd = pick("diff_add", diffAdd)
        diffRemove = pick("diff_remove", diffRemove)
        diffLines = pick("diff_lines", diffLines)
        consolePrompt = pick("console_prompt", consolePrompt)
    }
}

extension Display {
    /// The process's display set up from configuration: colours on a terminal unless
    /// `nocolor`/`NO_COLOR`, forced by `force_color`; `[colors]`; `verbose_to_stderr`;
    /// `deprecation_warnings`; `system_warnings`; `log_path`. `verbosity` is the `-v` count
    /// (counted on top of the configured `verbosity`, as argparse does with its default).
    public static func configured(config: AnsibleConfig, verbosity: Int = 0, sink: Sink? = nil, stdoutIsTTY: Bool? = nil) -> Display {
        let tty = stdoutIsTTY ?? (isatty(STDOUT_FILENO) != 0)
        let color = ColorPolicy.colorEnabled(stdoutIsTTY: tty, noColor: config.noColor, forceColor: config.forceColor,
                                             environment: config.environment)
        let display = Display(verbosity: config.verbosity + verbosity, colorEnabled: color,
                              colors: DisplayColors(config: config),
                              columns: sink == nil ? terminalColumns() : 79, sink: sink ?? Display.standardSink)
        display.verboseToStderr = config.bool(.verboseToStderr)
        display.deprecationWarningsEnabled = config.deprecationWarnings
        display.systemWarningsEnabled = config.systemWarnings
        if let path = config.logPath {
            if let writer = DisplayLogWriter(path: path) {
                display.logWriter = writer
            } else {
                display.warning("log file at '\(path)' is not writeable and we cannot create it, aborting")
            }
        }
        return display
    }
}
