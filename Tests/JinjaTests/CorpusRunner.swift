import Foundation
@testable import Jinja

/// Loads the corpus files shipped in the test bundle and runs cases against our engine.
enum CorpusRunner {
    /// Families the Jinja target cannot run (YAML filters live in the Troupe target).
    static let familiesOutsideJinja: Set<String> = ["troupe_yaml"]

    /// The bundle's `Corpus` resource directory.
    static func corpusDirectory() throws -> URL {
        guard let url = Bundle.module.url(forResource: "Corpus", withExtension: nil) else {
            throw CorpusFormatError("the test bundle has no Corpus resource directory")
        }
        return url
    }

    /// Family names (file stems) of every `*.jsonl` in the corpus directory, sorted.
    static func familyNames() throws -> [String] {
        let files = try FileManager.default.contentsOfDirectory(atPath: try corpusDirectory().path)
        return files.filter { $0.hasSuffix(".jsonl") }.map { String($0.dropLast(".jsonl".count)) }.sorted()
    }

    static func loadCases(family: String) throws -> [CorpusCase] {
        let url = try corpusDirectory().appendingPathComponent(family + ".jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(whereSeparator: \.isNewline).map { try CorpusCase(jsonLine: String($0)) }
    }

    /// Known failures by id, with their reasons.
    static func loadKnownFailures() throws -> [String: String] {
        let url = try corpusDirectory().appendingPathComponent("known_failures.txt")
        guard FileManager.default.fileExists(atPath: url.path) else { return [:] }
        return KnownFailures.parse(try String(contentsOf: url, encoding: .utf8))
    }

    /// A fresh environment configured the way the case asks.
    static func makeEnvironment(for testCase: CorpusCase) -> Environment {
        let environment = Environment()
        environment.installAnsibleExtensions()
        environment.trimBlocks = testCase.trimBlocks
        environment.lstripBlocks = testCase.lstripBlocks
        environment.keepTrailingNewline = testCase.keepTrailingNewline
        if !testCase.templates.isEmpty {
            environment.loader = DictionaryTemplateLoader(templates: testCase.templates)
        }
        return environment
    }

    /// Runs one case in its mode. Never throws: errors are part of the outcome.
    static func run(_ testCase: CorpusCase) -> CorpusOutcome {
        let environment = makeEnvironment(for: testCase)
        let variables = testCase.variableLookup
        do {
            switch testCase.mode {
            case .native:
                return .value(try environment.template(testCase.template).renderNative(variables))
            case .text:
                // The mode is Ansible's Templar with escape_backslashes=False: text without
                // markup passes through untouched (as Troupe's Templar.templateString does),
                // and backslashes in string literals keep their Jinja meaning.
                guard Environment.isTemplate(testCase.template) else { return .value(.string(testCase.template)) }
                let template = try environment.template(testCase.template, escapeBackslashes: false)
                return .value(.string(try template.render(variables)))
            case .expr:
                return .value(try environment.expression(testCase.template).evaluate(variables))
            }
        } catch let error as JinjaError {
            return .error(error)
        } catch {
            return .foreignError(String(describing: error))
        }
    }

    /// The result of running a whole family.
    struct FamilyReport {
        var family: String
        var total = 0
        var passed = 0
        /// Unexpected failures: (case, explanation, expected, got).
        var failures: [(testCase: CorpusCase, why: String, expected: String, got: String)] = []
        /// Listed in known_failures.txt and still failing.
        var knownFailing: [String] = []
        /// Listed in known_failures.txt but passing now: the list should shrink.
        var knownNowPassing: [String] = []

        /// One-line summary, deliberately not in the "N passed, N failed" shape CI parses.
        var summary: String {
            "[corpus] \(family): \(passed)/\(total) pass, \(failures.count) unexpected failure(s), "
                + "\(knownFailing.count) known failure(s), \(knownNowPassing.count) known failure(s) now passing"
        }
    }

    static func runFamily(_ family: String, cases: [CorpusCase], knownFailures: [String: String]) -> FamilyReport {
        var report = FamilyReport(family: family)
        for testCase in cases {
            report.total += 1
            let outcome = run(testCase)
            let why = CorpusComparison.mismatch(expected: testCase.expectation, actual: outcome)
            let isKnown = knownFailures[testCase.id] != nil
            switch (why, isKnown) {
            case (nil, false): report.passed += 1
            case (nil, true): report.passed += 1; report.knownNowPassing.append(testCase.id)
            case (_?, true): report.knownFailing.append(testCase.id)
            case let (explanation?, false):
                report.failures.append((testCase, explanation,
                                        CorpusComparison.describe(testCase.expectation),
                                        CorpusComparison.describe(outcome)))
            }
        }
        return report
    }
}
