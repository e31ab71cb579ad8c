import XCTest
@testable import Jinja

/// Checks the corpus harness itself on hand-built values, independently of the engine,
/// so a corpus failure always means the engine differs from Python, never a harness bug.
final class CorpusHarnessSelfTests: XCTestCase {
    private func expectValue(_ value: Value, _ type: String) -> CorpusCase.Expectation { .value(value, type: type) }

    func testTypesMustMatchNotJustPythonEquality() {
        XCTAssertNil(CorpusComparison.mismatch(expected: expectValue(1, "int"), actual: .value(1)))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: expectValue(1, "int"), actual: .value(1.0)))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: expectValue(1.0, "float"), actual: .value(1)))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: expectValue(true, "bool"), actual: .value(1)))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: expectValue(1, "int"), actual: .value(true)))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: expectValue("1", "str"), actual: .value(1)))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: expectValue(nil, "NoneType"), actual: .value("")))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: expectValue(nil, "NoneType"), actual: .value(.undefined(.variable("x")))))
    }

    func testNestedValuesAreComparedStrictly() {
        let expected: Value = ["a": [1, 2.5, "x", nil, true], "b": [:]]
        XCTAssertNil(CorpusComparison.mismatch(expected: expectValue(expected, "dict"),
                                               actual: .value(["a": [1, 2.5, "x", nil, true], "b": [:]])))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: expectValue(expected, "dict"),
                                                  actual: .value(["a": [1.0, 2.5, "x", nil, true], "b": [:]])))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: expectValue(expected, "dict"),
                                                  actual: .value(["a": [1, 2.5, "x", nil, 1], "b": [:]])))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: expectValue(expected, "dict"),
                                                  actual: .value(["a": [1, 2.5, "x", nil], "b": [:]])))
        // Key order is part of the result (Python dicts keep insertion order).
        XCTAssertNotNil(CorpusComparison.mismatch(expected: expectValue(["a": 1, "b": 2], "dict"),
                                                  actual: .value(["b": 2, "a": 1])))
    }

    func testFloatSpecialValues() {
        XCTAssertNil(CorpusComparison.mismatch(expected: expectValue(.float(.nan), "float"), actual: .value(.float(.nan))))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: expectValue(.float(.nan), "float"), actual: .value(0.0)))
        XCTAssertNil(CorpusComparison.mismatch(expected: expectValue(.float(.infinity), "float"), actual: .value(.float(.infinity))))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: expectValue(.float(-0.0), "float"), actual: .value(0.0)))
    }

    func testUnsafeStringsCountAsStr() {
        XCTAssertNil(CorpusComparison.mismatch(expected: expectValue("x", "str"), actual: .value(.unsafe("x"))))
        XCTAssertNil(CorpusComparison.mismatch(expected: expectValue(["x"], "list"), actual: .value([.unsafe("x")])))
    }

    func testErrorKindsAndMessages() {
        let undefined = CorpusCase.Expectation.error(kind: "undefined", message: "'x' is undefined", causeKind: nil, line: nil)
        XCTAssertNil(CorpusComparison.mismatch(expected: undefined, actual: .error(JinjaError(.undefined, "'x' is undefined\nmore"))))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: undefined, actual: .error(JinjaError(.undefined, "'y' is undefined"))))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: undefined, actual: .error(JinjaError(.runtime, "'x' is undefined"))))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: undefined, actual: .value(nil)))

        // Other kinds: message not compared.
        let syntax = CorpusCase.Expectation.error(kind: "syntax", message: "unexpected '}'", causeKind: nil, line: nil)
        XCTAssertNil(CorpusComparison.mismatch(expected: syntax, actual: .error(JinjaError(.syntax, "different words"))))
        let syntaxOnLine3 = CorpusCase.Expectation.error(kind: "syntax", message: "m", causeKind: nil, line: 3)
        XCTAssertNil(CorpusComparison.mismatch(expected: syntaxOnLine3, actual: .error(JinjaError(.syntax, "m", line: 3, column: 7))))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: syntaxOnLine3, actual: .error(JinjaError(.syntax, "m", line: 1))))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: syntaxOnLine3, actual: .error(JinjaError(.syntax, "m"))))

        // A filter that raised TypeError inside Ansible: either kind is right.
        let filterType = CorpusCase.Expectation.error(kind: "filter", message: "object of type 'int' has no len()", causeKind: "type", line: nil)
        XCTAssertNil(CorpusComparison.mismatch(expected: filterType, actual: .error(JinjaError(.filter, "x"))))
        XCTAssertNil(CorpusComparison.mismatch(expected: filterType, actual: .error(JinjaError(.type, "x"))))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: filterType, actual: .error(JinjaError(.value, "x"))))
        let plainFilter = CorpusCase.Expectation.error(kind: "filter", message: "m", causeKind: nil, line: nil)
        XCTAssertNotNil(CorpusComparison.mismatch(expected: plainFilter, actual: .error(JinjaError(.type, "x"))))

        XCTAssertNotNil(CorpusComparison.mismatch(expected: expectValue(1, "int"), actual: .error(JinjaError(.runtime, "boom"))))
        XCTAssertNotNil(CorpusComparison.mismatch(expected: expectValue(1, "int"), actual: .foreignError("oops")))
    }

    func testParsesACaseLine() throws {
        let line = #"{"id": "f/g/001", "mode": "text", "template": "{% include 'a.j2' %}", "vars": {"b": 1, "a": [1.0, NaN]}, "#
            + #""options": {"trim_blocks": true, "lstrip_blocks": false, "keep_trailing_newline": true}, "#
            + #""templates": {"a.j2": "x"}, "expect": {"value": "x", "type": "str"}}"#
        let testCase = try CorpusCase(jsonLine: line)
        XCTAssertEqual(testCase.id, "f/g/001")
        XCTAssertEqual(testCase.family, "f")
        XCTAssertEqual(testCase.mode, .text)
        XCTAssertEqual(testCase.variables.keys, ["b", "a"])
        XCTAssertTrue(testCase.trimBlocks)
        XCTAssertFalse(testCase.lstripBlocks)
        XCTAssertTrue(testCase.keepTrailingNewline)
        XCTAssertEqual(testCase.templates, ["a.j2": "x"])
        XCTAssertEqual(try DictionaryTemplateLoader(templates: testCase.templates).source(named: "a.j2"), "x")
        XCTAssertThrowsError(try DictionaryTemplateLoader(templates: [:]).source(named: "a.j2")) { error in
            XCTAssertEqual((error as? JinjaError)?.kind, .templateNotFound)
        }
        guard case .value(let value, let type) = testCase.expectation else { return XCTFail("expected a value expectation") }
        XCTAssertEqual(type, "str")
        XCTAssertEqual(value, "x")

        let errorLine = #"{"id": "e/s/001", "mode": "expr", "template": "1 +", "vars": {}, "options": {}, "#
            + #""expect": {"error": "filter", "message": "m", "cause": "TypeError", "cause_kind": "type"}}"#
        guard case .error(let kind, let message, let causeKind, let line) = try CorpusCase(jsonLine: errorLine).expectation else {
            return XCTFail("expected an error expectation")
        }
        XCTAssertEqual([kind, message, causeKind], ["filter", "m", "type"])
        XCTAssertNil(line)
        XCTAssertThrowsError(try CorpusCase(jsonLine: #"{"id": "x"}"#))
        XCTAssertThrowsError(try CorpusCase(jsonLine: #"{"id": "x", "mode": "weird", "template": ""}"#))
    }

    func testKnownFailuresFormat() {
        let parsed = KnownFailures.parse("# header\n\nfilters_jinja/map/003  # needs map(attribute) defaults\nnative/x/001\n")
        XCTAssertEqual(parsed, ["filters_jinja/map/003": "needs map(attribute) defaults", "native/x/001": ""])
    }

    func testFamilyReportSeparatesKnownFailures() throws {
        let passing = try CorpusCase(jsonLine: #"{"id": "f/a/001", "mode": "native", "template": "", "vars": {}, "options": {}, "expect": {"value": 1, "type": "int"}}"#)
        // Whatever the engine returns for it, a listed case is either still failing or now
        // passing; it never counts as an unexpected failure.
        let report = CorpusRunner.runFamily("f", cases: [passing], knownFailures: ["f/a/001": "reason"])
        XCTAssertEqual(report.total, 1)
        XCTAssertEqual(report.failures.count, 0, "a listed case must never count as an unexpected failure")
        XCTAssertEqual(report.knownFailing.count + report.knownNowPassing.count, 1)
    }

    /// The shipped corpus parses completely and meets the size the project asked for.
    func testShippedCorpusParses() throws {
        var total = 0
        var ids = Set<String>()
        for family in try CorpusRunner.familyNames() {
            let cases = try CorpusRunner.loadCases(family: family)
            for testCase in cases {
                XCTAssertEqual(testCase.family, family, "\(testCase.id) is in \(family).jsonl")
                XCTAssertTrue(ids.insert(testCase.id).inserted, "duplicate id \(testCase.id)")
            }
            total += cases.count
        }
        XCTAssertGreaterThanOrEqual(total, 1500)
    }
}
