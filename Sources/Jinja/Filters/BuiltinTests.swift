/// Jinja2 3.1's builtin tests, keyed by name (written in BuiltinTests+Functions.swift).
public enum BuiltinTests {
    /// Every Jinja2 builtin test.
    public static let all: [String: Test] = BuiltinTestFunctions.all
}
