import Foundation

/// The implementations behind ``AnsibleTests``.
enum AnsibleTestFunctions {
    static var all: [String: Test] {
        var tests: [String: Test] = [:]
        func add(_ names: [String], _ test: Test) { for n in names { tests[n] = test } }
        add(["failed", "failure"], Test { v, _, _ in try result(v, "failed")["failed"]?.isTruthy ?? false })
        add(["succeeded", "success", "successful"], Test { v, _, _ in !(try result(v, "failed")["failed"]?.isTruthy ?? false) })
        add(["unreachable"], Test { v, _, _ in try result(v, "unreachable")["unreachable"]?.isTruthy ?? false })
        add(["reachable"], Test { v, _, _ in !(try result(v, "unreachable")["unreachable"]?.isTruthy ?? false) })
        add(["changed", "change"], Test { v, _, _ in try changed(result(v, "changed")) })
        add(["skipped", "skip"], Test { v, _, _ in try result(v, "skipped")["skipped"]?.isTruthy ?? false })
        add(["finished"], Test { v, _, _ in try result(v, "finished")["finished"]?.isTruthy ?? true })
        add(["started"], Test { v, _, _ in try result(v, "started")["started"]?.isTruthy ?? true })
        add(["timedout"], Test { v, _, _ in
            let r = try result(v, "timedout")
            guard let t = r["timedout"], t.isTruthy else { return false }
            return t["period"]?.isTruthy ?? false
        })
        add(["match"], Test { v, a, _ in try regexTest(v, a, matchType: "match", offset: 0) })
        add(["search"], Test { v, a, _ in try regexTest(v, a, matchType: "search", offset: 0) })
        add(["regex"], Test { v, a, _ in
            let type = FilterSupport.string(a.value(3, "match_type"), "search")
            return try regexTest(v, a, matchType: type, offset: 0)
        })
        add(["version", "version_compare"], Test(VersionCompare.test))
        add(["any"], Test { v, _, _ in try FilterSupport.iterate(v).contains { $0.isTruthy } })
        add(["all"], Test { v, _, _ in try FilterSupport.iterate(v).allSatisfy { $0.isTruthy } })
        add(["truthy"], Test { v, a, _ in truthy(v, convert: FilterSupport.bool(a.value(0, "convert_bool"), false)) })
        add(["falsy"], Test { v, a, _ in !truthy(v, convert: FilterSupport.bool(a.value(0, "convert_bool"), false)) })
        add(["vault_encrypted"], Test(acceptsUndefined: false) { v, _, c in
            switch v {
            case .vault: return true
            // Decrypted vault text stays "vaulted" (ansible-core keeps the tag on the plaintext).
            case .unsafe(let s): return c.environment.isDecryptedVaultText?(s) ?? false
            default: return false
            }
        })
        add(["vaulted_file"], Test { v, _, _ in
            let path = FilterSupport.text(v)
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw FilterSupport.filterError("Cannot test if the file \(v.pythonRepr) is a vault: [Errno 2] No such file or directory: b\(v.pythonRepr)")
            }
            defer { try? handle.close() }
            let head = handle.readData(ofLength: 15)
            return String(decoding: head, as: UTF8.self) == "$ANSIBLE_VAULT;"
        })
        add(["subset", "issubset"], Test { v, a, _ in
            let other = try FilterSupport.iterate(a.value(0, "b") ?? .list([]))
            return try FilterSupport.iterate(v).allSatisfy { other.contains($0) }
        })
        add(["superset", "issuperset"], Test { v, a, _ in
            let mine = try FilterSupport.iterate(v)
            return try FilterSupport.iterate(a.value(0, "b") ?? .list([])).allSatisfy { mine.contains($0) }
        })
        add(["contains"], Test { v, a, _ in
            try BuiltinTestFunctions.contains(v, a.value(0, "value") ?? .null)
        })
        add(["nan", "isnan"], Test { v, _, _ in if case .float(let d) = v { return d.isNaN }; return false })
        add(["directory", "is_dir"], Test { v, _, _ in fileType(v) == .typeDirectory })
        add(["file", "is_file"], Test { v, _, _ in fileType(v) == .typeRegular })
        add(["link", "is_link"], Test { v, _, _ in
            (try? FileManager.default.attributesOfItem(atPath: FilterSupport.text(v))[.type] as? FileAttributeType) == .typeSymbolicLink
        })
        add(["exists"], Test { v, _, _ in FileManager.default.fileExists(atPath: FilterSupport.text(v)) })
        add(["link_exists"], Test { v, _, _ in
            (try? FileManager.default.attributesOfItem(atPath: FilterSupport.text(v))) != nil
        })
        add(["abs", "is_abs"], Test { v, _, _ in FilterSupport.text(v).hasPrefix("/") })
        add(["same_file", "is_same_file"], Test { v, a, _ in
            var s1 = stat(), s2 = stat()
            let other = FilterSupport.text(a.value(0, "f2") ?? .null)
            guard stat(FilterSupport.text(v), &s1) == 0 else {
                throw JinjaError(.runtime, "FileNotFoundError: [Errno 2] No such file or directory: \(v.pythonRepr)")
            }
            guard stat(other, &s2) == 0 else {
                throw JinjaError(.runtime, "FileNotFoundError: [Errno 2] No such file or directory: \(Value.string(other).pythonRepr)")
            }
            return s1.st_dev == s2.st_dev && s1.st_ino == s2.st_ino
        })
        add(["mount", "is_mount"], Test { v, _, _ in isMount(FilterSupport.text(v)) })
        add(["uri"], Test { v, a, _ in try uri(v, schemes: a.value(0, "schemes")) })
        add(["url"], Test { v, a, _ in
            guard try uri(v, schemes: a.value(0, "schemes")), let parts = try? EncodingFilters.splitURL(FilterSupport.text(v)) else { return false }
            return parts["netloc"]?.isTruthy == true || parts["scheme"] == "file"
        })
        add(["urn"], Test { v, _, _ in try uri(v, schemes: .list(["urn"])) })
        return tests
    }

    static func result(_ v: Value, _ test: String) throws -> OrderedDict {
        guard case .dict(let d) = v else { throw FilterSupport.filterError("The '\(test)' test expects a dictionary") }
        return d
    }

    static func changed(_ r: OrderedDict) -> Bool {
        if let c = r["changed"] { return c.isTruthy }
        if case .list(let results)? = r["results"], case .dict? = results.first {
            return results.contains { $0["changed"]?.isTruthy == true }
        }
        return false
    }

    static func regexTest(_ v: Value, _ a: Arguments, matchType: String, offset: Int) throws -> Bool {
        let text = FilterSupport.text(v)
        let pattern = FilterSupport.string(a.value(0, "pattern"), "")
        let regex = try PythonRegex(pattern, ignoreCase: FilterSupport.bool(a.value(1, "ignorecase"), false),
                                    multiline: FilterSupport.bool(a.value(2, "multiline"), false))
        switch matchType {
        case "match": return regex.match(text) != nil
        case "fullmatch": return regex.fullMatch(text) != nil
        default: return regex.search(text) != nil
        }
    }

    /// `module_utils.parsing.convert_bool.boolean` falling back to Python truthiness.
    static func truthy(_ v: Value, convert: Bool) -> Bool {
        guard convert else { return v.isTruthy }
        switch v {
        case .bool(let b): return b
        case .string(let s), .unsafe(let s):
            let t = s.lowercased().trimmingCharacters(in: .whitespaces)
            if ["y", "yes", "on", "1", "true", "t"].contains(t) { return true }
            if ["n", "no", "off", "0", "false", "f"].contains(t) { return false }
            return v.isTruthy
        default: return v.isTruthy
        }
    }

    static func fileType(_ v: Value) -> FileAttributeType? {
        let path = FilterSupport.text(v)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        if (attributes[.type] as? FileAttributeType) == .typeSymbolicLink {
            let resolved = PathFilters.realpath(path)
            return (try? FileManager.default.attributesOfItem(atPath: resolved))?[.type] as? FileAttributeType
        }
        return attributes[.type] as? FileAttributeType
    }

    /// `os.path.ismount`: a different device than the parent, or the same inode as it.
    static func isMount(_ path: String) -> Bool {
        var own = stat(), parent = stat()
        guard lstat(path, &own) == 0, (own.st_mode & S_IFMT) != S_IFLNK else { return false }
        let parentPath = path.hasSuffix("/") ? path + ".." : path + "/.."
        guard lstat(parentPath, &parent) == 0 else { return false }
        return own.st_dev != parent.st_dev || own.st_ino == parent.st_ino
    }

    static func uri(_ v: Value, schemes: Value?) throws -> Bool {
        guard let text = v.stringValue, let parts = try? EncodingFilters.splitURL(text) else { return false }
        guard let schemes, !schemes.isNull, schemes.isTruthy else { return true }
        return try FilterSupport.iterate(schemes).contains(parts["scheme"] ?? .null)
    }
}
