/// Every error Troupe reports: what went wrong, where in the user's files, and why.
public struct TroupeError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem this is; decides the exit code, as ansible-playbook's does.
    public enum Code: String, Sendable {
        /// Malformed YAML, playbook or inventory; ansible-playbook exits 4.
        case parse            // malformed YAML, playbook or inventory: exit 4
        /// Bad command-line options; exits 5.
        case options          // bad command line options: exit 5
        /// A template failed to render; exits 1.
        case templating       // a template failed to render
        /// Bad module arguments or an unknown module; exits 1.
        case module           // bad module arguments, unknown module
        /// A host could not be reached; exits 1.
        case connection       // host unreachable
        /// A file was missing or not accessible; exits 1.
        case io               // file not found, permissions
        /// The run cannot go on (a notified handler that does not exist); exits 1.
        case execution
        /// A bug in Troupe itself; exits 1.
        case `internal`
    }

    /// The kind of failure; the command-line tools map it to an exit code.
    public var code: Code
    /// The message shown to the user, without the location.
    public var message: String
    /// Where in the user's files the problem is, when known.
    public var location: SourceLocation?
    /// The lower-level error this one wraps, when there is one.
    public var underlying: (any Error)?

    /// Creates an error; pass `location` whenever the problem is in a user's file.
    public init(_ code: Code, _ message: String, location: SourceLocation? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.underlying = underlying
    }

    /// The message, followed by Ansible's "The error appears to be in '…': line N, column M" when located.
    public var description: String {
        var text = message
        if let location { text += "\n\nThe error appears to be in '\(location.file)': line \(location.line), column \(location.column)" }
        return text
    }
}
