import Foundation
import Jinja

/// A Galaxy server's v3 collections API (galaxy.ansible.com, galaxy_ng, Automation Hub):
/// version listings, version details and artifact downloads. HTTP goes through the
/// controller's `curl`, as git does through `git`, so the engine links no HTTP stack.
public struct GalaxyServer: Sendable {
    /// The server's base URL as configured (`https://galaxy.ansible.com/`, or a URL that
    /// already ends in `/api/…/`).
    public var url: String
    /// `token` from `[galaxy_server.NAME]` or `--token`, sent as `Authorization: Token …`.
    public var token: String?

    public init(url: String, token: String? = nil) {
        self.url = url.hasSuffix("/") ? url : url + "/"
        self.token = token
    }

    /// One released version of a collection.
    public struct VersionDetails: Sendable {
        public var version: String
        public var downloadURL: String
        public var sha256: String?
        public var dependencies: [(name: String, range: String)]
    }

    /// The v3 API root (`…/api/v3/` or, for galaxy_ng, `…/api/galaxy/v3/`).
    func v3Root() throws -> String {
        let apiRoot = url.contains("/api/") ? url : url + "api/"
        let index = try json(apiRoot)
        if let v3 = index.dictValue?["available_versions"]?.dictValue?["v3"]?.stringValue {
            return resolve(v3, against: apiRoot)
        }
        throw TroupeError(.execution, "Galaxy server \(url) does not offer the v3 API (no available_versions.v3 at \(apiRoot))")
    }

    /// Every released version of `namespace.name`.
    public func versions(namespace: String, name: String) throws -> [String] {
        var next: String? = try v3Root() + "collections/\(namespace)/\(name)/versions/?limit=100"
        var versions: [String] = []
        var pages = 0
        while let page = next, pages < 100 {
            pages += 1
            let body = try json(page)
            let items = body.dictValue?["data"]?.listValue ?? body.dictValue?["results"]?.listValue ?? []
            versions += items.compactMap { $0.dictValue?["version"]?.stringValue }
            let link = body.dictValue?["links"]?.dictValue?["next"]?.stringValue ?? body.dictValue?["next"]?.stringValue
            next = link.map { resolve($0, against: page) }
        }
        return versions
    }

    public func details(namespace: String, name: String, version: String) throws -> VersionDetails {
        let body = try json(try v3Root() + "collections/\(namespace)/\(name)/versions/\(version)/")
        guard let object = body.dictValue, let download = object["download_url"]?.stringValue else {
            throw TroupeError(.execution, "Galaxy server \(url) gave no download_url for \(namespace).\(name):\(version)")
        }
        var dependencies: [(String, String)] = []
        if let deps = object["metadata"]?.dictValue?["dependencies"]?.dictValue {
            dependencies = deps.map { ($0.key, $0.value.stringValue ?? "*") }
        }
        return VersionDetails(version: version, downloadURL: resolve(download, against: url),
                              sha256: object["artifact"]?.dictValue?["sha256"]?.stringValue, dependencies: dependencies)
    }

    /// Downloads `url` to `path`.
    public func download(_ url: String, to path: String) throws {
        try GalaxyServer.fetch(url, token: token, output: path)
    }

    func json(_ address: String) throws -> Value {
        let text = try GalaxyServer.fetch(address, token: token, output: nil)
        do {
            return try Value.parseJSON(text)
        } catch {
            throw TroupeError(.execution, "Galaxy server answered \(address) with something that is not JSON")
        }
    }

    /// `reference` (absolute, host-relative `/…`, or relative) made absolute against `base`.
    func resolve(_ reference: String, against base: String) -> String {
        if reference.hasPrefix("http://") || reference.hasPrefix("https://") { return reference }
        guard let baseURL = URL(string: base), let resolved = URL(string: reference, relativeTo: baseURL) else { return reference }
        return resolved.absoluteString
    }

    /// GET with curl: fails on HTTP errors with the status, follows redirects, 60 s limit.
    @discardableResult
    static func fetch(_ url: String, token: String?, output: String?) throws -> String {
        var arguments = ["--silent", "--show-error", "--fail", "--location", "--max-time", "60", "--proto", "=http,https"]
        if let token { arguments += ["--header", "Authorization: Token \(token)"] }
        if let output { arguments += ["--output", output] }
        do {
            return try GalaxyProcess.run("curl", arguments + ["--", url])
        } catch let error as TroupeError {
            // Never echo the command line: it may carry the token.
            let reason = error.message.components(separatedBy: "): ").last ?? error.message
            throw TroupeError(.execution, "Failed to download \(url): \(reason)")
        }
    }
}

/// Galaxy's version constraints: `*`, `1.2.3`, `==1.2.3`, `!=1.2.3`, `>=1.0.0,<2.0.0` …
public enum GalaxyVersion {
    /// The newest of `versions` that satisfies `range`; pre-releases only when named exactly.
    public static func best(_ versions: [String], satisfying range: String?) -> String? {
        let range = (range ?? "*").trimmingCharacters(in: .whitespaces)
        return versions.filter { satisfies($0, range) && (!isPrerelease($0) || range == $0 || range == "==" + $0) }
            .max { compare($0, $1) < 0 }
    }

    public static func satisfies(_ version: String, _ range: String) -> Bool {
        if range.isEmpty || range == "*" { return true }
        return range.split(separator: ",").allSatisfy { raw in
            let constraint = raw.trimmingCharacters(in: .whitespaces)
            for op in ["==", "!=", ">=", "<=", ">", "<"] where constraint.hasPrefix(op) {
                let order = compare(version, String(constraint.dropFirst(op.count)).trimmingCharacters(in: .whitespaces))
                switch op {
                case "==": return order == 0
                case "!=": return order != 0
                case ">=": return order >= 0
                case "<=": return order <= 0
                case ">": return order > 0
                default: return order < 0
                }
            }
            return compare(version, constraint) == 0
        }
    }

    static func isPrerelease(_ version: String) -> Bool { version.contains("-") }

    /// Semantic-version order: numeric parts, then a release above its pre-releases.
    public static func compare(_ a: String, _ b: String) -> Int {
        func split(_ v: String) -> ([Int], String?) {
            let withoutBuild = v.split(separator: "+", maxSplits: 1).first.map(String.init) ?? v
            let parts = withoutBuild.split(separator: "-", maxSplits: 1).map(String.init)
            return (parts[0].split(separator: ".").map { Int($0) ?? 0 }, parts.count > 1 ? parts[1] : nil)
        }
        let (na, pa) = split(a)
        let (nb, pb) = split(b)
        for index in 0..<max(na.count, nb.count) {
            let x = index < na.count ? na[index] : 0
            let y = index < nb.count ? nb[index] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        switch (pa, pb) {
        case (nil, nil): return 0
        case (nil, _): return 1
        case (_, nil): return -1
        case let (x?, y?): return x == y ? 0 : (x.compare(y, options: .numeric) == .orderedAscending ? -1 : 1)
        }
    }
}
