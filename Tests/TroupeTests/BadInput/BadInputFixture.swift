import Foundation

/// The recorded bad-input cases and Troupe's documented deviations from them.
struct BadInputFixture {
    struct AnsibleResult: Decodable {
        var rc: Int32?
        var first_error: String?
        var timeout: Bool?
        var crashed: Bool?

        var summary: String {
            if timeout == true { return "timed out" }
            if crashed == true { return "crashed (rc \(rc ?? -1))" }
            return "gave rc \(rc ?? -1)"
        }
    }

    struct Case: Decodable {
        var name: String
        var group: String
        var args: [String]
        var env: [String: String]
        /// Relative path to base64 content (some cases are deliberately not UTF-8).
        var files: [String: String]
        var ansible: AnsibleResult

        var arguments: [String] { args }
        var environment: [String: String] { env }

        /// Writes the case's files into a fresh directory and returns its path.
        func materialise() throws -> String {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("troupe-bad-input-\(name)-\(UUID().uuidString)").resolvingSymlinksInPath().path
            for (path, encoded) in files {
                let url = URL(fileURLWithPath: directory).appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard let data = Data(base64Encoded: encoded) else { throw CocoaError(.fileReadCorruptFile) }
                try data.write(to: url)
            }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return directory
        }
    }

    /// Where Troupe deliberately answers differently, and why.
    struct Choice: Decodable {
        var rc: Int32
        var first_error: String?
        var reason: String
    }

    struct Expectation {
        var rc: Int32
        var firstError: String?
        var source: String
    }

    private struct File: Decodable { var cases: [Case] }
    private struct ChoicesFile: Decodable {
        var choices: [String: Choice]
        var unreviewed: [String]
    }

    var cases: [Case]
    var choices: [String: Choice]
    /// Cases whose exit code and first error line are not compared yet.
    var unreviewed: Set<String>

    static func load() throws -> BadInputFixture {
        let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/bad-input")
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: directory.appendingPathComponent("cases.json")))
        let choices = try JSONDecoder().decode(ChoicesFile.self,
                                               from: Data(contentsOf: directory.appendingPathComponent("troupe-choices.json")))
        return BadInputFixture(cases: file.cases, choices: choices.choices, unreviewed: Set(choices.unreviewed))
    }

    /// Troupe's documented choice when there is one, else ansible-playbook's recorded
    /// answer; nil when ansible hung or crashed and no choice is documented.
    func expectation(for badCase: Case) -> Expectation? {
        if let choice = choices[badCase.name] {
            return Expectation(rc: choice.rc, firstError: choice.first_error, source: "Troupe's choice: \(choice.reason)")
        }
        guard badCase.ansible.timeout != true, badCase.ansible.crashed != true, let rc = badCase.ansible.rc else { return nil }
        return Expectation(rc: rc, firstError: badCase.ansible.first_error, source: "ansible-playbook")
    }

    /// The same rule as record.py: the first engine error, failed task or argument error
    /// (whose program name becomes `<prog>`, so `troupe playbook` and `ansible-playbook` compare).
    static func firstErrorLine(_ output: String, directory: String) -> String? {
        let prefixes = ["[ERROR]", "ERROR!", "fatal: ", "failed: "]
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            var text = String(line)
            if prefixes.contains(where: text.hasPrefix) {
            } else if let range = argumentErrorProgram(text) {
                text.replaceSubrange(range, with: "<prog>")
            } else {
                continue
            }
            return String(text.replacingOccurrences(of: directory, with: "<dir>").prefix(400))
        }
        return nil
    }

    /// The program part of `PROGRAM: error: …` (one or two words) as argparse writes it.
    private static func argumentErrorProgram(_ line: String) -> Range<String.Index>? {
        guard let range = line.range(of: ": error: ") else { return nil }
        let program = line[..<range.lowerBound]
        let words = program.split(separator: " ", omittingEmptySubsequences: false)
        guard (1...2).contains(words.count),
              words.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" } })
        else { return nil }
        return line.startIndex..<range.lowerBound
    }
}
