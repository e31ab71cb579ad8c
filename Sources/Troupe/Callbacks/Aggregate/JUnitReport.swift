import Foundation

/// A JUnit XML report as ansible-core writes it (its `_junit_xml` classes serialised through
/// minidom's `toprettyxml`): tab-indented elements, text kept inline, attributes omitted
/// when unset, and totals computed from the test cases.
struct JUnitReport {
    /// One `<testcase>`.
    struct TestCase {
        /// A `<failure>` or `<error>` child.
        struct Problem {
            var message: String
            var output: String
        }

        var name: String
        var classname: String?
        var time: Double
        var errors: [Problem] = []
        var failures: [Problem] = []
        var skipped: String?
        var systemOut: String?
    }

    /// The `<testsuite>` name (the playbook's file name without extension).
    var suiteName: String
    var cases: [TestCase]

    /// The document, ending with a newline.
    func xml() -> String {
        let errors = cases.filter { !$0.errors.isEmpty }.count
        let failures = cases.filter { !$0.failures.isEmpty }.count
        let skipped = cases.filter { !($0.skipped ?? "").isEmpty }.count
        // Python's sum() of the cases' Decimal times, zero times skipped as ansible's `if case.time`.
        let time = cases.map { PythonDecimal($0.time) }.filter { $0 != .zero }.reduce(PythonDecimal.zero, +).description
        var out = "<?xml version=\"1.0\" ?>\n"
        out += "<testsuites" + Self.attributes([("disabled", "0"), ("errors", "\(errors)"), ("failures", "\(failures)"),
                                               ("tests", "\(cases.count)"), ("time", time)])
        out += ">\n"
        out += "\t<testsuite" + Self.attributes([("disabled", "0"), ("errors", "\(errors)"), ("failures", "\(failures)"),
                                                ("name", suiteName), ("skipped", "\(skipped)"), ("tests", "\(cases.count)"),
                                                ("time", time)])
        if cases.isEmpty {
            out += "/>\n"
        } else {
            out += ">\n"
            for testCase in cases { out += Self.element(testCase) }
            out += "\t</testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    private static func element(_ testCase: TestCase) -> String {
        var children: [(tag: String, attributes: [(String, String)], text: String)] = []
        if let skipped = testCase.skipped, !skipped.isEmpty { children.append(("skipped", [], skipped)) }
        for error in testCase.errors { children.append(("error", [("message", error.message), ("type", "error")], error.output)) }
        for failure in testCase.failures {
            children.append(("failure", [("message", failure.message), ("type", "failure")], failure.output))
        }
        if let out = testCase.systemOut, !out.isEmpty { children.append(("system-out", [], out)) }
        var attributes: [(String, String)] = []
        if let classname = testCase.classname { attributes.append(("classname", classname)) }
        attributes.append(("name", testCase.name))
        attributes.append(("time", PythonDecimal(testCase.time).description))
        var out = "\t\t<testcase" + Self.attributes(attributes)
        guard !children.isEmpty else { return out + "/>\n" }
        out += ">\n"
        for child in children {
            out += "\t\t\t<\(child.tag)" + Self.attributes(child.attributes)
            // minidom writes an element whose text is empty as self-closing.
            out += child.text.isEmpty ? "/>\n" : ">" + escape(child.text) + "</\(child.tag)>\n"
        }
        return out + "\t\t</testcase>\n"
    }

    private static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    /// minidom's escaping, used for text and attribute values alike.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case "\"": out += "&quot;"
            case ">": out += "&gt;"
            // XML 1.0 cannot carry these; ansible replaces undecodable text the same way.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
