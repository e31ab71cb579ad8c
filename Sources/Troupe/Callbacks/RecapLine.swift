/// One `PLAY RECAP` line: `host : ok=N changed=N unreachable=N failed=N skipped=N rescued=N ignored=N`,
/// padded exactly as Ansible's `hostcolor`/`colorize` do.
public enum RecapLine {
    /// The line for `host`; coloured when `display` is given and has colours on.
    public static func format(host: String, stats: HostStats, display: Display?) -> String {
        let colored = display?.colorEnabled ?? false
        let colors = display?.colors ?? DisplayColors()
        let hostText: String
        if colored {
            let color = stats.failures != 0 || stats.unreachable != 0 ? colors.error : stats.changed != 0 ? colors.changed : colors.ok
            // The colour codes count toward the padding width, as in Ansible's "%-37s".
            hostText = pad(color.apply(to: host), to: 37)
        } else {
            hostText = pad(host, to: 26)
        }
        let fields: [(String, Int, DisplayColor)] = [
            ("ok", stats.ok, colors.ok), ("changed", stats.changed, colors.changed),
            ("unreachable", stats.unreachable, colors.unreachable), ("failed", stats.failures, colors.error),
            ("skipped", stats.skipped, colors.skip), ("rescued", stats.rescued, colors.ok), ("ignored", stats.ignored, colors.warn),
        ]
        let counters = fields.map { name, count, color -> String in
            let text = "\(name)=" + pad(String(count), to: 4)
            return colored && count != 0 ? color.apply(to: text) : text
        }
        return "\(hostText) : " + counters.joined(separator: " ")
    }

    /// Left-justifies like Python's `%-Ns` (width in characters).
    static func pad(_ text: String, to width: Int) -> String {
        let length = text.unicodeScalars.count
        return length >= width ? text : text + String(repeating: " ", count: width - length)
    }
}
