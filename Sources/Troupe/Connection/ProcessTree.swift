import Foundation

/// The processes below a process, read from /proc: a command started by a shell keeps
/// running when only the shell is killed, so cancelling kills the whole tree.
enum ProcessTree {
    /// Every descendant of `root` (children first-level first), excluding `root`.
    static func descendants(of root: Int32) -> [Int32] {
        var children: [Int32: [Int32]] = [:]
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        for entry in entries {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // Fields after "(comm)": state ppid …
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let parent = Int32(fields[1]) else { continue }
            children[parent, default: []].append(pid)
        }
        var result: [Int32] = []
        var queue = children[root] ?? []
        while !queue.isEmpty {
            let pid = queue.removeFirst()
            result.append(pid)
            queue.append(contentsOf: children[pid] ?? [])
        }
        return result
    }

    /// Sends `signal` to `root` and all its descendants (descendants found first, so a
    /// dying parent cannot hide its children from the scan).
    static func kill(_ root: Int32, signal: Int32 = SIGTERM) {
        let all = descendants(of: root)
        Glibc.kill(root, signal)
        for pid in all { Glibc.kill(pid, signal) }
    }
}
