import XCTest
@testable import Jinja

/// Replays the conformance corpus (Tests/JinjaTests/Corpus/*.jsonl, generated from
/// ansible-core 2.19 by scripts/jinja-corpus/gen.py) against our engine, one test per
/// family so the output shows which areas conform. Cases listed in known_failures.txt
/// are reported separately and do not fail the test; when one starts passing a note
/// asks for it to be removed from the list.
final class CorpusTests: XCTestCase {
    /// Families with a test method below. `testEveryCorpusFileHasATest` keeps this honest.
    static let families = [
        "errors", "expressions", "filters_ansible", "filters_jinja", "native", "statements",
        "tests_ansible", "tests_jinja", "undefined", "whitespace",
    ]
    static let maxListedFailures = 50

    func testErrors() throws { try replay("errors") }
    func testExpressions() throws { try replay("expressions") }
    func testFiltersAnsible() throws { try replay("filters_ansible") }
    func testFiltersJinja() throws { try replay("filters_jinja") }
    func testNative() throws { try replay("native") }
    func testStatements() throws { try replay("statements") }
    func testTestsAnsible() throws { try replay("tests_ansible") }
    func testTestsJinja() throws { try replay("tests_jinja") }
    func testUndefined() throws { try replay("undefined") }
    func testWhitespace() throws { try replay("whitespace") }

    /// A corpus file nobody replays would silently test nothing.
    func testEveryCorpusFileHasATest() throws {
        let files = Set(try CorpusRunner.familyNames()).subtracting(CorpusRunner.familiesOutsideJinja)
        XCTAssertEqual(files, Set(Self.families), "corpus files and CorpusTests.families disagree")
    }

    /// Every id in known_failures.txt must name a real case, or the list rots.
    func testKnownFailuresNameRealCases() throws {
        let known = try CorpusRunner.loadKnownFailures()
        var ids = Set<String>()
        for family in try CorpusRunner.familyNames() {
            ids.formUnion(try CorpusRunner.loadCases(family: family).map(\.id))
        }
        for id in known.keys.sorted() where !ids.contains(id) {
            XCTFail("known_failures.txt lists '\(id)', which is not a corpus case")
        }
    }

    /// With JINJA_CORPUS_RECORD_FAILURES=<file>, appends every unexpected failure as a
    /// known_failures.txt line (`id  # why`), so an integrator can review the list and adopt
    /// it instead of copying ids by hand. Recording never changes the test result.
    private func recordFailuresIfAsked(_ report: CorpusRunner.FamilyReport) throws {
        guard let path = ProcessInfo.processInfo.environment["JINJA_CORPUS_RECORD_FAILURES"], !path.isEmpty else { return }
        let lines = report.failures.map { "\($0.testCase.id)  # \($0.why.replacingOccurrences(of: "\n", with: " "))\n" }.joined()
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(lines.utf8))
    }

    private func replay(_ family: String) throws {
        let cases = try CorpusRunner.loadCases(family: family)
        XCTAssertFalse(cases.isEmpty, "\(family).jsonl has no cases")
        let report = CorpusRunner.runFamily(family, cases: cases, knownFailures: try CorpusRunner.loadKnownFailures())
        print(report.summary)
        for id in report.knownNowPassing {
            print("[corpus] note: \(id) is listed in known_failures.txt but passes now; remove it from the list")
        }
        for failure in report.failures.prefix(Self.maxListedFailures) {
            XCTFail("""
                \(failure.testCase.id) [\(failure.testCase.mode.rawValue)]: \(failure.why)
                  template: \(CorpusComparison.truncate(failure.testCase.template.debugDescription))
                  expected: \(failure.expected)
                  got:      \(failure.got)
                """)
        }
        try recordFailuresIfAsked(report)
        if report.failures.count > Self.maxListedFailures {
            XCTFail("\(family): \(report.failures.count - Self.maxListedFailures) more failing case(s) not listed (\(report.summary))")
        }
    }
}
