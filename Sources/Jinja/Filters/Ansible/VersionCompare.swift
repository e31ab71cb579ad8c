import Foundation

/// The version schemes of Ansible's `version` test: loose (distutils LooseVersion),
/// strict (StrictVersion) and semver.
enum VersionCompare {
    /// A parsed version: its comparison key.
    enum Component: Equatable { case number(Int), text(String) }

    /// distutils' LooseVersion components: digit runs become ints, lowercase letter runs
    /// and anything else stay strings, dots vanish.
    static func loose(_ s: String) -> [Component] {
        var parts: [Component] = []
        var current = ""
        var kind = 0  // 1 digits, 2 lowercase letters, 3 other
        func flush() {
            guard !current.isEmpty else { return }
            if kind == 1, let n = Int(current) { parts.append(.number(n)) } else { parts.append(.text(current)) }
            current = ""
        }
        for ch in s {
            let k: Int
            if ch == "." { flush(); kind = 0; continue }
            if ch.isASCII && ch.isNumber { k = 1 } else if ch.isASCII && ch.isLowercase { k = 2 } else { k = 3 }
            if k != kind { flush() }
            kind = k
            current.append(ch)
        }
        flush()
        return parts
    }

    static func compareLoose(_ a: [Component], _ b: [Component]) throws -> Int {
        if a == b { return 0 }
        for (x, y) in zip(a, b) where x != y {
            switch (x, y) {
            case let (.number(p), .number(q)): return p < q ? -1 : 1
            case let (.text(p), .text(q)):
                return p.unicodeScalars.lexicographicallyPrecedes(q.unicodeScalars) ? -1 : 1
            case (.number, .text): throw JinjaError(.filter, "Version comparison failed: '<' not supported between instances of 'int' and 'str'")
            case (.text, .number): throw JinjaError(.filter, "Version comparison failed: '<' not supported between instances of 'str' and 'int'")
            }
        }
        return a.count < b.count ? -1 : 1
    }

    /// StrictVersion: `N.N[.N][(a|b)N]`.
    static func strict(_ s: String) throws -> (release: [Int], pre: (String, Int)?) {
        let regex = try PythonRegex("^(\\d+)\\.(\\d+)(\\.(\\d+))?([ab](\\d+))?$")
        guard let m = regex.search(s) else {
            throw JinjaError(.filter, "Version comparison failed: invalid version number '\(s)'")
        }
        let release = [Int(m.groups[1]!) ?? 0, Int(m.groups[2]!) ?? 0, Int(m.groups[4] ?? "0") ?? 0]
        var pre: (String, Int)?
        if let tag = m.groups[5], let n = m.groups[6] { pre = (String(tag.prefix(1)), Int(n) ?? 0) }
        return (release, pre)
    }

    static func compareStrict(_ a: String, _ b: String) throws -> Int {
        let x = try strict(a), y = try strict(b)
        if x.release != y.release { return x.release.lexicographicallyPrecedes(y.release) ? -1 : 1 }
        switch (x.pre, y.pre) {
        case (nil, nil): return 0
        case (nil, _): return 1
        case (_, nil): return -1
        case let (p?, q?):
            if p.0 != q.0 { return p.0 < q.0 ? -1 : 1 }
            return p.1 == q.1 ? 0 : (p.1 < q.1 ? -1 : 1)
        }
    }

    static func semver(_ s: String) throws -> (core: [Int], pre: [Component]) {
        let id = "(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)"
        let pattern = "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-(\(id)(?:\\.\(id))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$"
        guard let m = try PythonRegex(pattern).search(s) else {
            throw JinjaError(.filter, "Version comparison failed: invalid semantic version '\(s)'")
        }
        let core = (1...3).map { Int(m.groups[$0] ?? "0") ?? 0 }
        let pre = (m.groups[4] ?? "").split(separator: ".").map { part -> Component in
            part.allSatisfy(\.isNumber) ? .number(Int(part) ?? 0) : .text(String(part))
        }
        return (core, pre)
    }

    static func compareSemver(_ a: String, _ b: String) throws -> Int {
        let x = try semver(a), y = try semver(b)
        if x.core != y.core { return x.core.lexicographicallyPrecedes(y.core) ? -1 : 1 }
        if x.pre == y.pre { return 0 }
        if x.pre.isEmpty { return 1 }
        if y.pre.isEmpty { return -1 }
        for (p, q) in zip(x.pre, y.pre) where p != q {
            switch (p, q) {
            case let (.number(i), .number(j)): return i < j ? -1 : 1
            case (.number, .text): return -1
            case (.text, .number): return 1
            case let (.text(i), .text(j)): return i < j ? -1 : 1
            }
        }
        return x.pre.count < y.pre.count ? -1 : 1
    }

    static let operators: [String: String] = ["==": "eq", "=": "eq", "eq": "eq", "<": "lt", "lt": "lt", "<=": "le", "le": "le",
                                              ">": "gt", "gt": "gt", ">=": "ge", "ge": "ge", "!=": "ne", "<>": "ne", "ne": "ne"]

    /// Ansible's `version` / `version_compare` test.
    static func test(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Bool {
        let version = a.value(0, "version") ?? .null
        let op = FilterSupport.string(a.value(1, "operator"), "eq")
        let strictFlag = a.value(2, "strict").flatMap { $0.isNull ? nil : $0 }
        let versionType = a.value(3, "version_type").flatMap { $0.isNull ? nil : $0.pythonString }
        if strictFlag != nil && versionType != nil { throw FilterSupport.filterError("Cannot specify both 'strict' and 'version_type'") }
        guard v.isTruthy else { throw FilterSupport.filterError("Input version value cannot be empty") }
        guard version.isTruthy else { throw FilterSupport.filterError("Version parameter to compare against cannot be empty") }
        var scheme = "loose"
        if strictFlag?.isTruthy == true { scheme = "strict" } else if let versionType {
            guard ["loose", "strict", "semver", "semantic", "pep440"].contains(versionType) else {
                throw FilterSupport.filterError("Invalid version type (\(versionType)). Must be one of 'loose', 'strict', 'semver', 'semantic', 'pep440'")
            }
            scheme = versionType
        }
        guard let name = operators[op] else {
            throw FilterSupport.filterError("Invalid operator type (\(op)). Must be one of '==', '=', 'eq', '<', 'lt', '<=', 'le', '>', 'gt', '>=', 'ge', '!=', '<>', 'ne'")
        }
        let left = v.pythonString, right = version.pythonString
        let order: Int
        switch scheme {
        case "strict": order = try compareStrict(left, right)
        case "semver", "semantic": order = try compareSemver(left, right)
        case "pep440": order = try PEP440.compare(left, right)
        default:
            order = try compareLoose(loose(left), loose(right))
        }
        switch name {
        case "eq": return order == 0
        case "ne": return order != 0
        case "lt": return order < 0
        case "le": return order <= 0
        case "gt": return order > 0
        default: return order >= 0
        }
    }
}

/// A small PEP 440 ordering: epoch, release, pre (a/b/rc), post and dev segments.
enum PEP440 {
    static func key(_ s: String) throws -> [Double] {
        let pattern = "^\\s*v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\\d+)?)?(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?(?:[-_.]?(dev)[-_.]?(\\d+)?)?(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?\\s*$"
        guard let m = try PythonRegex(pattern, ignoreCase: true).search(s) else {
            throw JinjaError(.filter, "Version comparison failed: Invalid version: '\(s)'")
        }
        var release = (m.groups[2] ?? "0").split(separator: ".").map { Double($0) ?? 0 }
        while release.count > 1, release.last == 0 { release.removeLast() }
        release += Array(repeating: 0, count: max(0, 10 - release.count))
        let epoch = Double(m.groups[1] ?? "0") ?? 0
        var pre: [Double] = [3, 0]  // no pre-release sorts after any
        if let tag = m.groups[3]?.lowercased() {
            let rank: Double = tag.hasPrefix("a") ? 0 : (tag.hasPrefix("b") ? 1 : 2)
            pre = [rank, Double(m.groups[4] ?? "0") ?? 0]
        }
        let hasPost = m.groups[5] != nil || m.groups[6] != nil
        let post: [Double] = hasPost ? [1, Double(m.groups[5] ?? m.groups[7] ?? "0") ?? 0] : [0, 0]
        let hasDev = m.groups[8] != nil
        let dev: [Double] = hasDev ? [0, Double(m.groups[9] ?? "0") ?? 0] : [1, 0]
        // A bare dev release sorts before its pre-releases.
        if hasDev && m.groups[3] == nil && !hasPost { pre = [-1, 0] }
        return [epoch] + release + pre + post + dev
    }

    static func compare(_ a: String, _ b: String) throws -> Int {
        let x = try key(a), y = try key(b)
        if x == y { return 0 }
        return x.lexicographicallyPrecedes(y) ? -1 : 1
    }
}
