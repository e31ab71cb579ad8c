import XCTest
import Foundation
@testable import Jinja

/// Behaviour the conformance corpus pinned down where Ansible's Templar differs from a
/// bare Jinja2 environment: trailing newlines in native renders, collection-qualified
/// plugin names, `self`, the `lookup` placeholders, datetime arithmetic.
final class LanguageAnsibleTemplarTests: XCTestCase {
    let env = Environment.ansible()
    let none = DictionaryLookup([:])

    func testNativeRenderRestoresTrailingNewlinesOfStringResults() throws {
        let vars = DictionaryLookup(["x": "X", "n": 1, "flag": true])
        XCTAssertEqual(try env.template("{{ x }}\n").renderNative(vars), "X\n")
        XCTAssertEqual(try env.template("{{ x }}\n\n").renderNative(vars), "X\n\n")
        XCTAssertEqual(try env.template("a\n{% if flag %}b{% endif %}\nc\n").renderNative(vars), "a\nbc\n")
        // Non-string results are never padded.
        XCTAssertEqual(try env.template("{{ n }}\n").renderNative(vars), 1)
        // Text without markup comes back untouched, carriage returns included.
        XCTAssertEqual(try env.template("a\r\nb\r\n").renderNative(vars), "a\r\nb\r\n")
        // Plain render keeps Jinja's own rule (one trailing newline dropped).
        XCTAssertEqual(try env.template("{{ x }}\n").render(vars), "X")
    }

    func testBackslashEscapingIsPerTemplateOption() throws {
        XCTAssertEqual(try env.template("{{ 'a\\nb' }}").render(none), "a\\nb")
        XCTAssertEqual(try env.template("{{ 'a\\nb' }}", escapeBackslashes: false).render(none), "a\nb")
    }

    func testCollectionQualifiedNamesResolve() throws {
        XCTAssertEqual(try env.template("{{ 'abc' | ansible.builtin.upper }}").renderNative(none), "ABC")
        XCTAssertEqual(try env.template("{{ 'x' | ansible.legacy.b64encode }}").renderNative(none), "eA==")
        XCTAssertEqual(try env.template("{{ 1 is ansible.builtin.odd }}").renderNative(none), true)
        XCTAssertThrowsError(try env.template("{{ 'x' | ansible.legacy.upper }}").renderNative(none)) {
            XCTAssertEqual(($0 as? JinjaError)?.kind, .unknownFilter)
        }
        XCTAssertEqual(try env.template("{{ ['a'] | map('ansible.builtin.upper') | list }}").renderNative(none), ["A"])
        XCTAssertEqual(try env.template("{{ 'ansible.builtin.upper' is filter }}").renderNative(none), true)
        // Filters a host adds later (Troupe's YAML ones) resolve the same way.
        let late = Environment.ansible()
        late.filters["shout"] = Filter { v, _, _ in .string(v.pythonString + "!") }
        XCTAssertEqual(try late.template("{{ 'a' | ansible.builtin.shout }}").renderNative(none), "a!")
        // An environment that copies the registries (as Troupe's template action does) too.
        let copy = Environment()
        copy.filters = late.filters
        XCTAssertEqual(try copy.template("{{ 'a' | ansible.builtin.shout }}").renderNative(none), "a!")
        XCTAssertNil(copy.filter(named: "ansible.legacy.upper"))
    }

    func testSelfRendersTheMostDerivedBlock() throws {
        let loaderEnv = Environment.ansible()
        loaderEnv.loader = DictionaryTemplateLoader(templates: ["base.j2": "<{% block body %}b{% endblock %}|{% block foot %}f{% endblock %}>"])
        let child = "{% extends 'base.j2' %}{% block body %}{{ self.foot() }}{% endblock %}{% block foot %}F{% endblock %}"
        XCTAssertEqual(try loaderEnv.template(child).render(none), "<F|F>")
        XCTAssertEqual(try env.template("{% block a %}x{% endblock %}{{ self.a() }}").render(none), "xx")
    }

    func testLookupIsACallablePlaceholderUntilReplaced() throws {
        XCTAssertEqual(try env.template("{{ lookup is callable }}").renderNative(none), true)
        XCTAssertThrowsError(try env.template("{{ lookup('file', 'x') }}").render(none)) {
            XCTAssertTrue((($0 as? JinjaError)?.message ?? "").contains("lookup plugin 'file' is not available"))
        }
    }

    func testDatetimeSubtractionAndFloatOverflow() throws {
        let src = "{{ (('2024-03-01' | to_datetime('%Y-%m-%d')) - ('2024-02-01' | to_datetime('%Y-%m-%d'))).days }}"
        XCTAssertEqual(try env.template(src).renderNative(none), 29)
        XCTAssertThrowsError(try env.template("{{ 2.0 ** 10000 }}").renderNative(none)) {
            XCTAssertEqual(($0 as? JinjaError)?.kind, .runtime)
        }
        XCTAssertThrowsError(try env.template("{{ 's'.upper(1) }}").renderNative(none)) {
            XCTAssertEqual(($0 as? JinjaError)?.message, "str.upper() takes no arguments (1 given)")
        }
    }

    func testPluginExceptionsAreReportedAsPluginFailures() throws {
        XCTAssertThrowsError(try env.template("{{ 10 is divisibleby 0 }}").renderNative(none)) {
            XCTAssertEqual(($0 as? JinjaError)?.kind, .filter)
        }
        XCTAssertEqual(try env.template("{{ s | regex_search('') }}").render(DictionaryLookup(["s": "abc"])), "")
        XCTAssertEqual(try env.template("{{ {'b': 1} | to_json(separators=[',', ':']) }}").render(none), "{\"b\":1}")
    }
}
