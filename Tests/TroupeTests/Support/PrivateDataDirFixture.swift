import Foundation
@testable import Troupe

/// A private data dir in a temporary directory: `project/`, `inventory/hosts`, `env/`.
struct PrivateDataDirFixture {
    let root: String

    init(playbook: String, name: String = "site.yml", inventory: String, env: [String: String] = [:]) throws {
        root = NSTemporaryDirectory() + "troupe-pdd-\(UUID().uuidString.prefix(8))"
        let fm = FileManager.default
        for dir in ["project", "inventory", "env"] {
            try fm.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
        try playbook.write(toFile: root + "/project/" + name, atomically: true, encoding: .utf8)
        try inventory.write(toFile: root + "/inventory/hosts", atomically: true, encoding: .utf8)
        for (file, text) in env { try text.write(toFile: root + "/env/" + file, atomically: true, encoding: .utf8) }
    }

    /// A copy of this directory next to it (same content, different path).
    func copy() throws -> PrivateDataDirFixture {
        let other = NSTemporaryDirectory() + "troupe-pdd-\(UUID().uuidString.prefix(8))"
        try FileManager.default.copyItem(atPath: root, toPath: other)
        return PrivateDataDirFixture(root: other)
    }

    private init(root: String) { self.root = root }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// `artifacts/<ident>`.
    func artifacts(_ ident: String) -> String { root + "/artifacts/" + ident }

    /// The job events of a run, in counter order.
    func events(_ ident: String) throws -> [RunnerEvent] {
        let dir = artifacts(ident) + "/job_events"
        return try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }
            .map { try RunnerEvent(jsonLine: String(contentsOfFile: dir + "/" + $0, encoding: .utf8)) }
            .sorted { $0.counter < $1.counter }
    }

    func read(_ ident: String, _ file: String) -> String? {
        try? String(contentsOfFile: artifacts(ident) + "/" + file, encoding: .utf8)
    }
}

/// Processes whose command line contains `marker` (a unique `sleep` duration), from /proc.
func processes(matching marker: String) -> [Int32] {
    let me = getpid()
    return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry -> Int32? in
        guard let pid = Int32(entry), pid != me,
              let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"), !data.isEmpty else { return nil }
        let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        // The sleep itself (argv "sleep N"), not the shells or the test's own tools.
        guard words.first.map({ ($0 as NSString).lastPathComponent }) == "sleep", words.dropFirst().first == marker else { return nil }
        return pid
    }
}

/// Polls `condition` every 50 ms until it holds or `seconds` pass.
func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(50_000)
    }
    return condition()
}
