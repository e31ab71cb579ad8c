import XCTest
import Foundation
@testable import Jinja

/// Property test: arbitrary template text — grammar fragments, mutations of valid
/// templates and random bytes — must compile and render or fail with a JinjaError;
/// never crash, hang or overflow the stack.
final class FuzzLanguageTests: XCTestCase {
    /// A deterministic xorshift generator so failures reproduce.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed == 0 ? 0x9E3779B97F4A7C15 : seed }
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    static let fragments: [String] = [
        "{{", "}}", "{%", "%}", "{#", "#}", "{{-", "-}}", "{%-", "-%}", "+%}", "{%+", " ", " ", "x", "y", "d", "s",
        "if", "for", "in", "endif", "endfor", "else", "elif", "set", "endset", "=", "macro", "endmacro", "call",
        "endcall", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", "upper", "default", "is", "defined", "not",
        "and", "or", "'a'", "\"b\"", "1", "2.5", "0", "-1", "~", "*", "**", "/", "//", "%", "loop", "loop.index",
        "range(3)", "namespace()", "raw", "endraw", "include", "'self'", "'other'", "import", "from", "as",
        "extends", "block", "endblock", "with", "endwith", "filter", "endfilter", "\n", "true", "none",
        "recursive", "caller()", "super()", ".items()", "\\", "é", "🎉", "'%s' %", ".format(", "[1:]", "[::-1]",
        "if x else", "m()", "ns.a", "dict(", "cycler(", "1_0", "0x1f", "'\\x41'", "\"\\u00e9\"",
    ]

    static let seeds: [String] = [
        "{% for k, v in d.items() %}{{ k }}={{ v }}{% endfor %}",
        "{% macro m(a, b=2) %}{{ a ~ b }}{{ caller() if caller is defined }}{% endmacro %}{{ m(1) }}",
        "{% set ns = namespace(c=0) %}{% for i in y %}{% set ns.c = ns.c + i %}{% endfor %}{{ ns.c }}",
        "{% if x is defined and x > 0 %}{{ s | upper }}{% elif y %}{{ y[0] }}{% else %}{{ none }}{% endif %}",
        "{% for i in y recursive %}{{ loop.index }}{% if i is defined %}{{ loop([]) }}{% endif %}{% endfor %}",
        "{{ '%s-%d' % (s, x) }} {{ '{0}{1}'.format(x, s) }} {{ s.split('t')[1:] }} {{ d.get('a', 5) }}",
        "{% raw %}{{ not rendered }}{% endraw %}{# comment #}{%- with a = 1 -%} {{ a }} {%- endwith %}",
        "{% include 'other' %}{% import 'other' as o %}{% from 'other' import m %}{{ m(1) }}",
        "{% extends 'base' %}{% block b %}child {{ super() }}{% endblock %}",
        "{% call(v) m(1) %}[{{ v }}]{% endcall %}{% filter upper %}abc{% endfilter %}",
    ]

    func randomTemplate(_ rng: inout SeededGenerator) -> String {
        switch rng.next() % 4 {
        case 0:
            let count = Int(rng.next() % 24) + 1
            return (0..<count).map { _ in FuzzLanguageTests.fragments[Int(rng.next() % UInt64(FuzzLanguageTests.fragments.count))] }.joined()
        case 1, 2:
            var chars = Array(FuzzLanguageTests.seeds[Int(rng.next() % UInt64(FuzzLanguageTests.seeds.count))].unicodeScalars)
            for _ in 0..<(Int(rng.next() % 4) + 1) where !chars.isEmpty {
                let i = Int(rng.next() % UInt64(chars.count))
                switch rng.next() % 4 {
                case 0: chars.remove(at: i)
                case 1:
                    let fragment = FuzzLanguageTests.fragments[Int(rng.next() % UInt64(FuzzLanguageTests.fragments.count))]
                    chars.insert(contentsOf: fragment.unicodeScalars, at: i)
                case 2:
                    let j = min(chars.count, i + Int(rng.next() % 12))
                    chars.insert(contentsOf: chars[i..<j], at: i)
                default:
                    let j = Int(rng.next() % UInt64(chars.count))
                    chars.swapAt(i, j)
                }
            }
            return String(String.UnicodeScalarView(chars))
        default:
            let count = Int(rng.next() % 40)
            let bytes: [UInt8] = (0..<count).map { _ in
                let r = rng.next()
                let alphabet = Array("{}%#-+ ()[]'\"x1.|~\n".utf8)
                return r % 3 == 0 ? UInt8(truncatingIfNeeded: r >> 8) : alphabet[Int((r >> 8) % UInt64(alphabet.count))]
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    func testRandomTemplatesNeverCrash() throws {
        final class Outcome: @unchecked Sendable {
            var cases = 0, rendered = 0, failed = 0
            var slowest = 0.0
            var unexpected: [String] = []
        }
        let outcome = Outcome()
        // Run on a thread with a modest stack, like an engine worker would have.
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { finished.signal() }
            var rng = SeededGenerator(seed: 20_260_121)
            let env = LanguageTestSupport.makeEnvironment()
            env.loader = DictionaryLoader(files: [
                "self": "{% include 'self' %}",
                "other": "{% macro m(a) %}<{{ a }}>{% endmacro %}o{{ x }}",
                "base": "[{% block b %}base{% endblock %}]",
            ])
            let vars = DictionaryLookup(["x": 1, "y": [1, 2], "d": ["a": 1], "s": "str"])
            for _ in 0..<20_000 {
                let source = self.randomTemplate(&rng)
                outcome.cases += 1
                let start = Date()
                do {
                    let template = try env.template(source)
                    _ = try template.render(vars)
                    _ = try template.renderNative(vars)
                    outcome.rendered += 1
                } catch is JinjaError {
                    outcome.failed += 1
                } catch {
                    outcome.unexpected.append("\(source.debugDescription): \(error)")
                }
                outcome.slowest = max(outcome.slowest, Date().timeIntervalSince(start))
            }
        }
        thread.stackSize = 1 << 20
        runAndWait(thread, finished)
        print("FuzzLanguageTests: \(outcome.cases) templates, \(outcome.rendered) rendered, \(outcome.failed) JinjaErrors, slowest \(String(format: "%.3f", outcome.slowest))s")
        XCTAssertGreaterThanOrEqual(outcome.cases, 20_000)
        XCTAssertEqual(outcome.unexpected, [])
        XCTAssertLessThan(outcome.slowest, 5, "a single template took too long")
        XCTAssertGreaterThan(outcome.rendered, 500, "the generator should produce many valid templates too")
    }

    func testExtremeNumbersRaiseInsteadOfTrapping() {
        let env = LanguageTestSupport.makeEnvironment()
        let sources = [
            "{{ '%d' % 1e300 }}", "{{ [1, 2][::9223372036854775807] }}", "{{ [1, 2][9223372036854775807::-9223372036854775807] }}",
            "{{ range(-9223372036854775807, 9223372036854775807) }}", "{{ range(0, 10, -9223372036854775807 - 1) }}",
            "{{ '{:99999999999999999999}'.format(1) | length }}", "{{ '%c' % -1 }}", "{{ 'x'.center(9223372036854775807) | length }}",
            "{{ 9223372036854775807 + 1 }}", "{{ -9223372036854775807 - 2 }}", "{{ (-9223372036854775807 - 1) // -1 }}",
            "{{ (-9223372036854775807 - 1) % -1 }}", "{{ 2 ** 64 }}", "{{ 99999999999999999999999 }}", "{{ 'ab' * 9223372036854775807 }}",
            "{{ [1] * 9223372036854775807 }}", "{{ 'a\tb'.expandtabs(9223372036854775807) | length }}",
        ]
        for source in sources {
            do {
                _ = try env.template(source).render(DictionaryLookup([:]))
            } catch {
                XCTAssertTrue(error is JinjaError, "\(source): \(error)")
            }
        }
    }

    private func runAndWait(_ thread: Thread, _ finished: DispatchSemaphore) {
        thread.start()
        XCTAssertEqual(finished.wait(timeout: .now() + 600), .success)
    }

    func testDeepNestingIsAnErrorNotAStackOverflow() {
        // 512 KiB: the default stack of secondary threads.
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { finished.signal() }
            self.checkDeepNesting()
        }
        thread.stackSize = 512 << 10
        runAndWait(thread, finished)
    }

    private func checkDeepNesting() {
        let env = LanguageTestSupport.makeEnvironment()
        let deepParens = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        XCTAssertThrowsError(try env.template("{{ \(deepParens) }}")) { XCTAssertEqual(($0 as? JinjaError)?.kind, .syntax) }
        let deepIfs = String(repeating: "{% if true %}", count: 3000) + String(repeating: "{% endif %}", count: 3000)
        XCTAssertThrowsError(try env.template(deepIfs)) { XCTAssertEqual(($0 as? JinjaError)?.kind, .syntax) }
        let deepNot = "{{ " + String(repeating: "not ", count: 5000) + "x }}"
        XCTAssertThrowsError(try env.template(deepNot))
        let deepMinus = "{{ " + String(repeating: "-", count: 5000) + "1 }}"
        XCTAssertThrowsError(try env.template(deepMinus))
        let recursiveMacro = "{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}{{ r(0) }}"
        XCTAssertThrowsError(try env.template(recursiveMacro).render(DictionaryLookup([:])))
        XCTAssertThrowsError(try env.template("{{ range(100000000) }}").render(DictionaryLookup([:])))
        env.loader = DictionaryLoader(files: ["self": "x{% include 'self' %}"])
        XCTAssertThrowsError(try env.template("{% include 'self' %}").render(DictionaryLookup([:])))
        let deepLoops = "{% for a in [[[[[[1]]]]]] recursive %}{% if a is string %}{% else %}{{ loop(a) if a is not number else a }}{% endif %}{% endfor %}"
        _ = try? env.template(deepLoops).render(DictionaryLookup([:]))
        let recursiveLoop = "{% for a in [1] recursive %}{{ loop([1]) }}{% endfor %}"
        XCTAssertThrowsError(try env.template(recursiveLoop).render(DictionaryLookup([:])))
    }
}
