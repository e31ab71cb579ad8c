import XCTest
import Foundation

/// The same variable set at each of ansible-core's 22 precedence levels: run k removes every
/// level above k and checks that level k wins, as ansible-playbook decided when
/// scripts/precedence/record.py recorded Fixtures/precedence/expected.txt.
final class PrecedenceTests: XCTestCase {
    private static let fixture = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/precedence")
    private static let marker = try! NSRegularExpression(pattern: #"level-(\d\d)|# L(\d\d)"#)

    /// The levels a line belongs to (`level-NN` values and `# LNN` markers).
    private static func levels(in line: String) -> [Int] {
        marker.matches(in: line, range: NSRange(line.startIndex..., in: line)).compactMap { match in
            (1...2).lazy.compactMap { Range(match.range(at: $0), in: line).flatMap { Int(line[$0]) } }.first
        }
    }

    /// A copy of the fixture without the lines of levels above `k`.
    private func prepare(_ k: Int) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-precedence-\(k)-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.fixture, to: directory)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let file as URL in files where (try file.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            let text = try String(contentsOf: file, encoding: .utf8)
            let kept = text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { line in !Self.levels(in: String(line)).contains { $0 > k } }
            try kept.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        }
        return directory
    }

    /// The value `debug: var=v` printed.
    private func winner(_ output: String) -> String? {
        guard let range = output.range(of: #""v": "([^"]*)""#, options: .regularExpression) else { return nil }
        return String(output[range].dropFirst(6).dropLast())
    }

    func testEachLevelWinsOnceTheLevelsAboveItAreGone() throws {
        let expected = try String(contentsOf: Self.fixture.appendingPathComponent("expected.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        XCTAssertEqual(expected.count, 22)
        for line in expected {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let k = Int(parts[0].dropFirst(2))!
            let directory = try prepare(k)
            defer { try? FileManager.default.removeItem(at: directory) }
            let extra = k >= 22 ? ["-e", "v=level-22"] : []
            let output = try TroupeBinary.run(["playbook", "-i", "inventory/hosts"] + extra + ["site.yml"], in: directory.path,
                                              environment: ["ANSIBLE_CONFIG": directory.appendingPathComponent("ansible.cfg").path],
                                              closedInput: true)
            XCTAssertEqual(output.status, 0, "run k=\(k):\n\(output.combined)")
            XCTAssertEqual(winner(output.combined), parts[1], "run k=\(k) (levels 1…\(k) set):\n\(output.combined)")
        }
    }
}
