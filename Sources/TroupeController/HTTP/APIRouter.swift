import HTTPTypes

public typealias APIHandler = @Sendable (APIContext) async throws -> APIResponse

/// Routes under `/api/`: each pattern is a list of literal and `{parameter}` segments, e.g.
/// `v2/hosts/{id}/groups/`. Built once at start (every module adds its routes), read-only after.
public final class APIRouter: @unchecked Sendable {
    enum Segment: Equatable {
        case literal(String)
        case parameter(String)
    }

    struct Route {
        let pattern: [Segment]
        var handlers: [HTTPRequest.Method: APIHandler] = [:]
        /// Methods that answer without authentication (`/api/`, `/api/v2/`, ping, login).
        var anonymous: Set<HTTPRequest.Method> = []
    }

    private(set) var routes: [Route] = []
    private var sealed = false

    public init() {}

    /// Adds `handler` for `method` on `path` (relative to `/api/`, ending in `/`).
    public func add(_ method: HTTPRequest.Method, _ path: String, anonymous: Bool = false, _ handler: @escaping APIHandler) {
        precondition(!sealed, "routes are added at start only")
        let pattern = APIRouter.parse(path)
        if let index = routes.firstIndex(where: { $0.pattern == pattern }) {
            routes[index].handlers[method] = handler
            if anonymous { routes[index].anonymous.insert(method) }
        } else {
            var route = Route(pattern: pattern)
            route.handlers[method] = handler
            if anonymous { route.anonymous.insert(method) }
            routes.append(route)
        }
    }

    func seal() { sealed = true }

    static func parse(_ path: String) -> [Segment] {
        path.split(separator: "/").map { part in
            if part.hasPrefix("{") && part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
    }

    /// The route for `path` (relative to `/api/`) and its parameters. Literal segments win
    /// over parameters, so `v2/settings/named-url/` is not read as a settings id.
    func match(_ path: String) -> (Route, [String: String])? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var best: (Route, [String: String], Int)?
        for route in routes where route.pattern.count == parts.count {
            var parameters: [String: String] = [:]
            var literals = 0
            var matched = true
            for (segment, part) in zip(route.pattern, parts) {
                switch segment {
                case .literal(let literal):
                    if literal != part { matched = false } else { literals += 1 }
                case .parameter(let name):
                    parameters[name] = part
                }
                if !matched { break }
            }
            if matched, best == nil || literals > best!.2 { best = (route, parameters, literals) }
        }
        return best.map { ($0.0, $0.1) }
    }
}
