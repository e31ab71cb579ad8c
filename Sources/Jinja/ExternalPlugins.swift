/// Filters and tests that live outside the engine (Troupe's Python plugins): consulted
/// only for names the environment does not define itself, when a template compiles.
public protocol ExternalPluginSource: AnyObject, Sendable {
    /// The filter called `name`, or nil when no external plugin defines it.
    func filter(named name: String) -> Filter?
    /// The test called `name`, or nil when no external plugin defines it.
    func test(named name: String) -> Test?
}
