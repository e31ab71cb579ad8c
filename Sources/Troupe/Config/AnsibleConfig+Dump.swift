import Jinja

extension AnsibleConfig {
    /// `ansible-config dump`-style lines, sorted by name: `NAME(origin) = value` with values
    /// as Python prints them, plus `CONFIG_FILE() = path`. With `onlyChanged`, settings at
    /// their default are left out. Colour settings are included for the standard statuses.
    public func dumpLines(onlyChanged: Bool = false) -> [String] {
        var lines = ["CONFIG_FILE() = \(filePath ?? "None")"]
        let colorKeys: [(String, String)] = [
            ("changed", "yellow"), ("debug", "dark gray"), ("deprecate", "purple"), ("diff_add", "green"), ("diff_lines", "cyan"),
            ("diff_remove", "red"), ("error", "red"), ("highlight", "white"), ("included", "cyan"), ("ok", "green"),
            ("skip", "cyan"), ("unreachable", "bright red"), ("verbose", "blue"), ("warn", "bright purple"),
        ]
        let settings = Self.dumpableSettings + colorKeys.map { ConfigSetting.color($0.0, default: $0.1) }
        for setting in settings {
            let (value, origin): (Value, ConfigOrigin)
            if let resolved = try? self.value(setting) {
                (value, origin) = resolved
            } else {
                (value, origin) = (rawValue(setting).value, rawValue(setting).origin)
            }
            if onlyChanged && origin == .default { continue }
            let source: String
            switch origin {
            case .default: source = "default"
            case .environment(let name): source = "env: \(name)"
            case .file(let path, _, _): source = path
            case .override: source = "cli"
            }
            lines.append("\(setting.name)(\(source)) = \(value.pythonString)")
        }
        return [lines[0]] + lines.dropFirst().sorted()
    }

    /// Catalog settings that belong to ansible's base configuration (plugin options such as
    /// the ssh and callback ones are listed by ansible under their plugins, not here).
    static var dumpableSettings: [ConfigSetting] {
        let pluginOptions: Set<String> = [
            "SSH_ARGS", "SSH_COMMON_ARGS", "SSH_EXTRA_ARGS", "SSH_EXECUTABLE", "SSH_CONTROL_PATH_DIR", "SSH_TRANSFER_METHOD",
            "DISPLAY_SKIPPED_HOSTS", "DISPLAY_OK_HOSTS", "DISPLAY_FAILED_STDERR", "SHOW_CUSTOM_STATS", "SHOW_PER_HOST_START",
            "CHECK_MODE_MARKERS", "SHOW_TASK_PATH_ON_FAILURE", "CALLBACK_RESULT_FORMAT", "CALLBACK_FORMAT_PRETTY", "REMOTE_TMP",
            "DEFAULT_GATHER_SUBSET",
        ]
        return ConfigSetting.catalog.filter { !pluginOptions.contains($0.name) }
    }
}
