import XCTest
import Foundation
@testable import Jinja

/// The public API others build on: compile/render/native/expression, caching,
/// thread safety, error positions, globals and lazy variable lookup.
final class LanguageAPITests: XCTestCase {
    let env = LanguageTestSupport.makeEnvironment()

    func testRenderNativeKeepsTypesOfASingleExpression() throws {
        let vars = DictionaryLookup(["n": 3, "l": [1, "a"], "d": ["k": nil]])
        XCTAssertEqual(try env.template("{{ n }}").renderNative(vars), 3)
        XCTAssertEqual(try env.template("{{ l }}").renderNative(vars), [1, "a"])
        XCTAssertEqual(try env.template("{{ d }}").renderNative(vars).pythonRepr, "{'k': None}")
        XCTAssertEqual(try env.template("{{ none }}").renderNative(vars), .null)
        XCTAssertEqual(try env.template("{{ 1.5 }}").renderNative(vars).pythonRepr, "1.5")
        // Anything else is the concatenated text, never literal-evaluated.
        XCTAssertEqual(try env.template("{{ n }}{{ n }}").renderNative(vars), "33")
        XCTAssertEqual(try env.template(" {{ n }}").renderNative(vars), " 3")
        XCTAssertEqual(try env.template("{{ '[1]' }}").renderNative(vars), "[1]")
        XCTAssertEqual(try env.template("plain").renderNative(vars), "plain")
        XCTAssertEqual(try env.template("").renderNative(vars), "")
    }

    func testRenderPrintsPythonStrAndNoneAsEmpty() throws {
        let vars = DictionaryLookup(["l": ["a", 1, true, nil], "f": 0.1])
        XCTAssertEqual(try env.template("{{ l }}|{{ f }}|{{ none }}|{{ True }}").render(vars), "['a', 1, True, None]|0.1||True")
    }

    func testExpressionsReturnOperandsAndRaiseOnUndefined() throws {
        let vars = DictionaryLookup(["x": 2, "y": "yes", "empty": []])
        XCTAssertEqual(try env.expression("x > 1 and y").evaluate(vars), "yes")
        XCTAssertEqual(try env.expression("empty or x").evaluate(vars), 2)
        XCTAssertEqual(try env.expression("missing is defined").evaluate(vars), false)
        XCTAssertEqual(try env.expression("'a\\nb'").evaluate(vars), "a\nb")
        XCTAssertThrowsError(try env.expression("missing").evaluate(vars)) {
            XCTAssertEqual(($0 as? JinjaError)?.kind, .undefined)
            XCTAssertEqual(($0 as? JinjaError)?.message, "'missing' is undefined")
        }
        XCTAssertThrowsError(try env.expression("x >")) { XCTAssertEqual(($0 as? JinjaError)?.kind, .syntax) }
        XCTAssertThrowsError(try env.expression("x }} y")) { XCTAssertEqual(($0 as? JinjaError)?.kind, .syntax) }
    }

    func testEscapeBackslashesFollowsAnsible() throws {
        let vars = DictionaryLookup([:])
        // Templar.template default: literals inside {{ }} keep backslashes.
        XCTAssertEqual(try env.template("{{ 'a\\nb' }}").render(vars), "a\\nb")
        XCTAssertEqual(try env.template("{% set s = 'a\\nb' %}{{ s }}").render(vars), "a\nb")
        // Template files (template module/lookup): normal Python escapes.
        XCTAssertEqual(try env.template("{{ 'a\\nb' }}", escapeBackslashes: false).render(vars), "a\nb")
    }

    func testIsTemplate() {
        XCTAssertTrue(Environment.isTemplate("a {{ b }}"))
        XCTAssertTrue(Environment.isTemplate("{% if x %}{% endif %}"))
        XCTAssertTrue(Environment.isTemplate("{# c #}"))
        XCTAssertFalse(Environment.isTemplate("plain { text }"))
    }

    func testCompiledTemplatesAreCachedPerOptions() throws {
        let first = try env.template("{{ a }}")
        XCTAssertTrue(first === (try env.template("{{ a }}")))
        env.trimBlocks.toggle()
        XCTAssertFalse(first === (try env.template("{{ a }}")))
        XCTAssertTrue(try env.expression("a + 1") === (try env.expression("a + 1")))
    }

    func testConcurrentRenderingIsSafe() throws {
        let template = try env.template("{% for i in range(n) %}{{ i }}{% endfor %}-{{ name | upper }}")
        let results = UnsafeMutableBufferPointer<String>.allocate(capacity: 64)
        results.initialize(repeating: "")
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            results[i] = (try? template.render(DictionaryLookup(["n": .int(i % 5), "name": .string("h\(i)")]))) ?? "error"
        }
        for i in 0..<64 {
            XCTAssertEqual(results[i], (0..<(i % 5)).map(String.init).joined() + "-H\(i)")
        }
    }

    func testSyntaxErrorsCarryPosition() {
        XCTAssertThrowsError(try env.template("line one\n{{ 1 + }}", name: "t.j2")) { error in
            guard let e = error as? JinjaError else { return XCTFail("not a JinjaError") }
            XCTAssertEqual(e.kind, .syntax)
            XCTAssertEqual(e.message, "unexpected 'end of print statement'")
            XCTAssertEqual(e.line, 2)
            XCTAssertEqual(e.column, 8)
            XCTAssertEqual(e.templateName, "t.j2")
            XCTAssertEqual(e.description, "unexpected 'end of print statement' (t.j2:2:8)\n{{ 1 + }}\n       ^")
        }
        XCTAssertThrowsError(try env.template("{% if x %}\n{% endfor %}")) { error in
            XCTAssertEqual((error as? JinjaError)?.line, 2)
        }
    }

    func testUnknownFiltersFailAtCompileTimeUnlessInsideIf() throws {
        XCTAssertThrowsError(try env.template("{{ x | nope }}")) {
            XCTAssertEqual(($0 as? JinjaError)?.kind, .unknownFilter)
            XCTAssertEqual(($0 as? JinjaError)?.message, "No filter named 'nope'.")
        }
        XCTAssertThrowsError(try env.template("{{ x is nope }}")) { XCTAssertEqual(($0 as? JinjaError)?.kind, .unknownTest) }
        let guarded = try env.template("{% if false %}{{ x | nope }}{% endif %}ok")
        XCTAssertEqual(try guarded.render(DictionaryLookup([:])), "ok")
        XCTAssertThrowsError(try env.template("{% if true %}{{ 1 | nope }}{% endif %}").render(DictionaryLookup([:]))) {
            XCTAssertEqual(($0 as? JinjaError)?.message, "No filter named 'nope' found.")
        }
    }

    /// A global like the engine's `lookup`: a callable object.
    final class Echo: JinjaObject, @unchecked Sendable {
        override var isCallable: Bool { true }
        override func call(_ arguments: Arguments, _ context: CallContext) throws -> Value {
            .list(arguments.positional + arguments.keywords.map { .string("\($0.name)=\($0.value.pythonString)") })
        }
    }

    func testCallableGlobalsAndLookupOrder() throws {
        env.globals["lookup"] = .object(Echo())
        env.globals["shadowed"] = "global"
        let vars = DictionaryLookup(["shadowed": "var"])
        XCTAssertEqual(try env.template("{{ lookup('file', 'x', errors='ignore') }}").renderNative(vars), ["file", "x", "errors=ignore"])
        XCTAssertEqual(try env.template("{{ shadowed }}").render(vars), "var")
        XCTAssertEqual(try env.template("{% set shadowed = 'local' %}{{ shadowed }}").render(vars), "local")
        XCTAssertEqual(try env.template("{{ range(2) }}").renderNative(vars), [0, 1])
    }

    struct ThrowingLookup: VariableLookup {
        func lookup(_ name: String) throws -> Value? {
            if name == "bad" { throw JinjaError(.runtime, "recursive loop detected in template string: bad") }
            return name == "good" ? "fine" : nil
        }
    }

    func testLazyLookupErrorsPropagate() throws {
        XCTAssertEqual(try env.template("{{ good }}").render(ThrowingLookup()), "fine")
        XCTAssertThrowsError(try env.template("{{ bad }}").render(ThrowingLookup())) {
            XCTAssertEqual(($0 as? JinjaError)?.message, "recursive loop detected in template string: bad")
        }
        // Never looked up when not needed.
        XCTAssertEqual(try env.template("{{ good if true else bad }}").render(ThrowingLookup()), "fine")
    }

    func testMacrosCanBeCalledByFilters() throws {
        env.filters["apply"] = Filter { value, args, context in
            guard case .object(let f)? = args.positional.first, f.isCallable else { throw JinjaError(.filter, "not callable") }
            return try .list(value.pythonIterate().map { try f.call(Arguments([$0]), context) })
        }
        let source = "{% macro twice(x) %}{{ x * 2 }}{% endmacro %}{{ [1, 2] | apply(twice) }}"
        XCTAssertEqual(try env.template(source).renderNative(DictionaryLookup([:])), [2, 4])
    }

    func testKeepTrailingNewlineAndWhitespaceOptions() throws {
        let vars = DictionaryLookup([:])
        XCTAssertEqual(try env.template("a\n").render(vars), "a")
        env.keepTrailingNewline = true
        XCTAssertEqual(try env.template("a\n").render(vars), "a\n")
        env.trimBlocks = true
        env.lstripBlocks = true
        XCTAssertEqual(try env.template("  {% if true %}\n  x\n  {% endif %}\n").render(vars), "  x\n")
    }

    func testRuntimeErrorsNameTheTemplateAndLine() {
        XCTAssertThrowsError(try env.template("ok\n{{ 1 / 0 }}", name: "calc.j2").render(DictionaryLookup([:]))) { error in
            let e = error as? JinjaError
            XCTAssertEqual(e?.message, "division by zero")
            XCTAssertEqual(e?.templateName, "calc.j2")
            XCTAssertEqual(e?.line, 2)
        }
    }
}

extension LanguageAPITests {
    func testAnsibleEnvironmentTrimsBlocks() throws {
        let env = Environment.ansible()
        XCTAssertTrue(env.trimBlocks)
        XCTAssertEqual(try env.template("{% if true %}\nx\n{% endif %}\ny").render(DictionaryLookup([:])), "x\ny")
    }
}

extension LanguageAPITests {
    func testTemplatesWithoutOutputRenderNativeNone() throws {
        let vars = DictionaryLookup([:])
        XCTAssertEqual(try env.template("{# c #}").renderNative(vars), .null)
        XCTAssertEqual(try env.template("{% set x = 1 %}").renderNative(vars), .null)
        XCTAssertEqual(try env.template("{% raw %}{% endraw %}").renderNative(vars), .null)
        XCTAssertEqual(try env.template("{{ '' }}{{ '' }}").renderNative(vars), "")
        XCTAssertEqual(try env.template("  ").renderNative(vars), "  ")
    }

    func testConcurrentCompilationSharesOneCache() throws {
        let env = LanguageTestSupport.makeEnvironment()
        let outputs = UnsafeMutableBufferPointer<String>.allocate(capacity: 200)
        outputs.initialize(repeating: "")
        defer { outputs.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            let source = "{{ \(i % 20) }}-{{ n }}"
            outputs[i] = (try? env.template(source).render(DictionaryLookup(["n": .int(i)]))) ?? "error"
        }
        for i in 0..<200 { XCTAssertEqual(outputs[i], "\(i % 20)-\(i)") }
        XCTAssertTrue(try env.template("{{ 3 }}-{{ n }}") === (try env.template("{{ 3 }}-{{ n }}")))
    }
}
