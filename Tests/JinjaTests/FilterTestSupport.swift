import XCTest
@testable import Jinja

/// Calls filters and tests directly, the way the template evaluator will.
enum FilterHarness {
    /// Jinja2 builtins only.
    static let jinja = Environment()
    /// Jinja2 builtins plus Ansible's filters and tests.
    static let ansible: Environment = {
        let env = Environment()
        env.installAnsibleExtensions()
        return env
    }()

    static func context(_ env: Environment) -> CallContext {
        CallContext(environment: env, variables: DictionaryLookup([:]))
    }
}

/// Applies filter `name` to `value` (Ansible environment unless `jinjaOnly`).
func filter(_ name: String, _ value: Value, _ args: Value..., kwargs: KeyValuePairs<String, Value> = [:],
            jinjaOnly: Bool = false) throws -> Value {
    let env = jinjaOnly ? FilterHarness.jinja : FilterHarness.ansible
    guard let f = env.filters[name] else { throw JinjaError(.unknownFilter, "No filter named '\(name)'.") }
    if !f.acceptsUndefined, case .undefined(let u) = value { throw JinjaError(.undefined, u.message) }
    let arguments = Arguments(args, keywords: kwargs.map { (name: $0.key, value: $0.value) })
    return try f.function(value, arguments, FilterHarness.context(env))
}

/// Applies test `name` to `value`.
func check(_ name: String, _ value: Value, _ args: Value..., kwargs: KeyValuePairs<String, Value> = [:],
           jinjaOnly: Bool = false) throws -> Bool {
    let env = jinjaOnly ? FilterHarness.jinja : FilterHarness.ansible
    guard let t = env.tests[name] else { throw JinjaError(.unknownTest, "No test named '\(name)'.") }
    if !t.acceptsUndefined, case .undefined(let u) = value { throw JinjaError(.undefined, u.message) }
    let arguments = Arguments(args, keywords: kwargs.map { (name: $0.key, value: $0.value) })
    return try t.function(value, arguments, FilterHarness.context(env))
}

/// Asserts that `body` throws a JinjaError of `kind` whose message contains `fragment`.
func assertJinjaError<T>(_ kind: JinjaError.Kind, _ fragment: String, file: StaticString = #filePath, line: UInt = #line,
                         _ body: () throws -> T) {
    do {
        let result = try body()
        XCTFail("expected \(kind) error containing \(fragment), got \(result)", file: file, line: line)
    } catch let error as JinjaError {
        XCTAssertEqual(error.kind, kind, "message: \(error.message)", file: file, line: line)
        XCTAssertTrue(error.message.contains(fragment), "\(error.message) lacks \(fragment)", file: file, line: line)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}

let undefinedX = Value.undefined(.variable("x"))
