import Foundation

/// A temporary directory holding one playbook (`play.yml`), for tests that run the troupe
/// binary on it with the directory as HOME.
struct PlaybookDirectory {
    let path: String

    init(_ playbook: String) throws {
        path = NSTemporaryDirectory() + "troupe-playbook-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try playbook.write(toFile: path + "/play.yml", atomically: true, encoding: .utf8)
    }

    /// `troupe playbook play.yml ARGS` with stdin closed.
    func runPlaybook(_ arguments: [String], environment: [String: String] = [:]) throws -> TroupeBinary.Output {
        try TroupeBinary.run(["playbook", "play.yml"] + arguments, in: path,
                             environment: environment.merging(["HOME": path]) { given, _ in given }, closedInput: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
