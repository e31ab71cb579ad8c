import Foundation
import Jinja

/// The raw material one run of ``FactScript`` produced, split into its sections.
struct FactSections: Sendable {
    /// A `*.fact` file found under `fact_path`, as the script saw it.
    enum LocalFact: Sendable, Equatable {
        case file(path: String, content: String)
        case executable(path: String, output: String, rc: Int)
        case unreadable(path: String)
    }

    /// Contents of readable files, by absolute path.
    var files: [String: String] = [:]
    /// Standard output of commands, by section name (`ip_addr`, `date`, ...).
    var commands: [String: String] = [:]
    /// Probed paths that exist, plus `@tool` entries for tools found on PATH.
    var existing: Set<String> = []
    /// `/sys/class/net` entries in the order the script listed them, with their lines.
    var netDevices: [(name: String, lines: [String])] = []
    /// `/sys/block` entries in listing order, with their `key=value` lines.
    var blockDevices: [(name: String, lines: [String])] = []
    /// Local fact files in glob (sorted) order.
    var localFacts: [LocalFact] = []
    /// True when the script printed its final marker (it was not cut short).
    var complete = false

    init() {}

    /// Splits the script's standard output. Text before the first marker is ignored.
    init(output: String, nonce: String) {
        let separator = "\n==troupe-\(nonce):"
        var chunks = output.components(separatedBy: separator)
        chunks.removeFirst()
        var pendingExec: (path: String, output: String)?
        for chunk in chunks {
            guard let end = chunk.range(of: "==\n") ?? chunk.range(of: "==", options: .backwards) else { continue }
            let name = String(chunk[chunk.startIndex..<end.lowerBound])
            let content = String(chunk[end.upperBound...])
            let (kind, argument) = Self.splitName(name)
            switch kind {
            case "file": files[argument] = content
            case "cmd": commands[argument] = content
            case "exists":
                for line in content.split(separator: "\n") where !line.isEmpty { existing.insert(String(line)) }
            case "net": netDevices.append((argument, Self.lines(content)))
            case "block": blockDevices.append((argument, Self.lines(content)))
            case "localfile": localFacts.append(.file(path: argument, content: content))
            case "localunreadable": localFacts.append(.unreadable(path: argument))
            case "localexec": pendingExec = (argument, content)
            case "localrc":
                if let exec = pendingExec {
                    localFacts.append(.executable(path: exec.path, output: exec.output, rc: Int(argument) ?? -1))
                    pendingExec = nil
                }
            case "end": complete = true
            default: break
            }
        }
        if let exec = pendingExec {
            // The script was cut short while a fact script ran.
            localFacts.append(.executable(path: exec.path, output: exec.output, rc: -1))
        }
    }

    private static func splitName(_ name: String) -> (String, String) {
        guard let colon = name.firstIndex(of: ":") else { return (name, "") }
        return (String(name[..<colon]), String(name[name.index(after: colon)...]))
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// A file's content with surrounding whitespace removed (Ansible's `get_file_content`),
    /// nil when the file was not readable.
    func file(_ path: String) -> String? {
        files[path].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// A command's output trimmed, nil when the command did not run or printed nothing.
    func command(_ name: String) -> String? {
        guard let text = commands[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    func exists(_ path: String) -> Bool { existing.contains(path) }
}

extension OrderedDict {
    /// An ordered dictionary from literal pairs, keeping their order.
    static func factDict(_ pairs: KeyValuePairs<String, Value>) -> OrderedDict {
        OrderedDict(pairs.map { ($0.key, $0.value) })
    }
}
