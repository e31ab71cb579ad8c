import Foundation
import XCTest

/// The command line as users reach it: argparse-style errors and suggestions.
final class CompanionCLITests: XCTestCase {
    private var cwd: String { FileManager.default.temporaryDirectory.path }

    /// ansible-playbook without a playbook prints argparse's usage error and exits 2.
    func testPlaybookWithoutAPlaybookExitsTwo() throws {
        let output = try TroupeBinary.run(["playbook"], in: cwd)
        XCTAssertEqual(output.status, 2, output.combined)
        XCTAssertTrue(output.combined.contains("error: the following arguments are required: playbook"), output.combined)
    }

    func testMistypedSubcommandGetsASuggestion() throws {
        let output = try TroupeBinary.run(["playbok", "site.yml"], in: cwd)
        XCTAssertEqual(output.status, 2, output.combined)
        XCTAssertTrue(output.combined.contains("'playbok' is not a troupe command"), output.combined)
        XCTAssertTrue(output.combined.contains("Did you mean 'playbook'?"), output.combined)
        let inventory = try TroupeBinary.run(["invent", "--list"], in: cwd)
        XCTAssertTrue(inventory.combined.contains("Did you mean 'inventory'?"), inventory.combined)
        let unknown = try TroupeBinary.run(["xyzzy"], in: cwd)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertFalse(unknown.combined.contains("Did you mean"), unknown.combined)
    }

    /// `ansible-config dump --only-changed` and `view` with a file given by -c, as ansible-config
    /// 2.19 prints them (`CONFIG_FILE() = …`, `DEFAULT_FORKS(<file>) = 7`).
    func testConfigDumpOnlyChangedAndView() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("custom.cfg").path
        try "[defaults]\nforks = 7\n".write(toFile: file, atomically: true, encoding: .utf8)
        let dump = try TroupeBinary.run(["config", "dump", "--only-changed", "-c", file], in: dir.path)
        XCTAssertEqual(dump.status, 0, dump.combined)
        // The test runner sets NO_COLOR, which ansible-config also reports as ANSIBLE_NOCOLOR(env: NO_COLOR).
        let changed = dump.stdout.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("ANSIBLE_NOCOLOR(") }
        XCTAssertEqual(changed, ["CONFIG_FILE() = \(file)", "DEFAULT_FORKS(\(file)) = 7"])
        let full = try TroupeBinary.run(["config", "dump", "-c", file], in: dir.path)
        XCTAssertTrue(full.stdout.contains("DEFAULT_TIMEOUT(default) = 10"), full.combined)
        let view = try TroupeBinary.run(["config", "view", "-c", file], in: dir.path)
        XCTAssertEqual(view.stdout, "[defaults]\nforks = 7\n")
        let list = try TroupeBinary.run(["config", "list"], in: dir.path)
        XCTAssertTrue(list.stdout.contains("DEFAULT_FORKS:\n  default: 5\n  env:\n  - name: ANSIBLE_FORKS\n  ini:\n  - key: forks\n    section: defaults\n  type: integer"), list.stdout)
        let missing = try TroupeBinary.run(["config", "view", "-c", dir.appendingPathComponent("none.cfg").path], in: dir.path)
        XCTAssertNotEqual(missing.status, 0)
    }
}
