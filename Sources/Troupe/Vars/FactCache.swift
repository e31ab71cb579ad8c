import Foundation
import Jinja

/// `fact_caching`: keeps gathered facts (and `set_fact cacheable: true` values) between
/// plays and, with `jsonfile`, between runs — in the file format ansible-core 2.19 writes
/// (`<dir>/s1_<host>` holding `{"__payload__": "<json>"}`), so both tools share a cache.
public final class FactCache: @unchecked Sendable {
    /// "memory" (this run only) or "jsonfile".
    public let backend: String
    public let directory: String?
    /// Seconds a cached entry stays valid; 0 keeps it forever.
    public let timeout: Double
    private let lock = NSLock()
    private var memory: [String: OrderedDict] = [:]

    /// `fact_caching_prefix`, put before each file name.
    public let prefix: String

    public init(backend: String = "memory", directory: String? = nil, timeout: Double = 86400, prefix: String = "") {
        self.backend = backend
        self.prefix = prefix
        self.directory = directory.map { ($0 as NSString).expandingTildeInPath }
        self.timeout = timeout
    }

    /// The cached variables of `host` (`ansible_*` facts and cacheable facts), or nil.
    public func load(_ host: String) -> OrderedDict? {
        lock.lock(); defer { lock.unlock() }
        if let cached = memory[host] { return cached }
        guard backend == "jsonfile", let path = path(for: host),
              let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        if timeout > 0, let modified = attributes[.modificationDate] as? Date,
           Date().timeIntervalSince(modified) > timeout { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let outer = try? Value.parseJSON(text) else { return nil }
        let payload = outer["__payload__"]?.stringValue.flatMap { try? Value.parseJSON($0) } ?? outer
        guard let facts = payload.dictValue else { return nil }
        memory[host] = facts
        return facts
    }

    /// Replaces what is cached for `host`.
    public func store(_ host: String, _ facts: OrderedDict) {
        lock.lock(); defer { lock.unlock() }
        memory[host] = facts
        guard backend == "jsonfile", let path = path(for: host), let directory else { return }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let payload: Value = ["__payload__": .string(Value.dict(facts).jsonString)]
        let temp = path + ".tmp\(getpid())"
        if (try? payload.jsonString.write(toFile: temp, atomically: false, encoding: .utf8)) != nil {
            rename(temp, path)
        }
    }

    /// `--flush-cache`: forgets what is cached for `hosts` (their files too).
    public func flush(_ hosts: [String]) {
        lock.lock(); defer { lock.unlock() }
        for host in hosts {
            memory[host] = nil
            if backend == "jsonfile", let path = path(for: host) { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    private func path(for host: String) -> String? {
        // ansible-core 2.19 names the file prefix + schema id ("s1_") + host.
        directory.map { $0 + "/" + prefix + "s1_" + host }
    }
}
