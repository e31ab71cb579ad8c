import XCTest
@testable import Jinja

/// The registries hold every name Jinja2 3.1 and ansible-core 2.19 define (YAML filters
/// live in Troupe; `vault`/`unvault` are out of scope).
final class FilterRegistryTests: XCTestCase {
    static let jinjaFilters = ["abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape", "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "pprint", "random", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string", "striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr"]
    static let jinjaTests = ["!=", "<", "<=", "==", ">", ">=", "boolean", "callable", "defined", "divisibleby", "eq", "equalto", "escaped", "even", "false", "filter", "float", "ge", "greaterthan", "gt", "in", "integer", "iterable", "le", "lessthan", "lower", "lt", "mapping", "ne", "none", "number", "odd", "sameas", "sequence", "string", "test", "true", "undefined", "upper"]
    static let ansibleFilters = ["b64decode", "b64encode", "basename", "bool", "checksum", "combinations", "combine", "comment", "commonpath", "d", "default", "dict2items", "difference", "dirname", "expanduser", "expandvars", "extract", "fileglob", "flatten", "from_json", "groupby", "hash", "human_readable", "human_to_bytes", "intersect", "items2dict", "log", "mandatory", "map", "md5", "normpath", "password_hash", "path_join", "permutations", "pow", "product", "quote", "random", "realpath", "regex_escape", "regex_findall", "regex_replace", "regex_search", "reject", "rejectattr", "rekey_on_member", "relpath", "root", "select", "selectattr", "sha1", "shuffle", "split", "splitext", "strftime", "subelements", "symmetric_difference", "ternary", "to_datetime", "to_json", "to_nice_json", "to_uuid", "type_debug", "union", "unique", "urldecode", "urlsplit", "win_basename", "win_dirname", "win_splitdrive", "zip", "zip_longest"]
    static let ansibleTests = ["abs", "all", "any", "change", "changed", "contains", "defined", "directory", "exists", "failed", "failure", "falsy", "file", "finished", "is_abs", "is_dir", "is_file", "is_link", "is_mount", "is_same_file", "isnan", "issubset", "issuperset", "link", "link_exists", "match", "mount", "nan", "reachable", "regex", "same_file", "search", "skip", "skipped", "started", "subset", "succeeded", "success", "successful", "superset", "timedout", "truthy", "undefined", "unreachable", "uri", "url", "urn", "vault_encrypted", "vaulted_file", "version", "version_compare"]

    func testJinjaBuiltinsAreComplete() {
        let env = Environment()
        for name in FilterRegistryTests.jinjaFilters { XCTAssertNotNil(env.filters[name], "filter \(name)") }
        for name in FilterRegistryTests.jinjaTests { XCTAssertNotNil(env.tests[name], "test \(name)") }
        XCTAssertNil(env.filters["combine"], "Ansible filters must not leak into a plain environment")
    }

    func testAnsibleExtensionsAreComplete() {
        let env = Environment()
        env.installAnsibleExtensions()
        for name in FilterRegistryTests.ansibleFilters { XCTAssertNotNil(env.filters[name], "filter \(name)") }
        for name in FilterRegistryTests.ansibleTests { XCTAssertNotNil(env.tests[name], "test \(name)") }
    }

    func testUndefinedAwareEntries() {
        let env = Environment()
        env.installAnsibleExtensions()
        for name in ["default", "d", "mandatory", "type_debug"] { XCTAssertTrue(env.filters[name]?.acceptsUndefined == true, name) }
        for name in ["defined", "undefined"] { XCTAssertTrue(env.tests[name]?.acceptsUndefined == true, name) }
        for name in ["upper", "join", "length", "to_json", "items"] { XCTAssertFalse(env.filters[name]?.acceptsUndefined ?? true, name) }
        XCTAssertTrue(Environment().filters["items"]?.acceptsUndefined == true)
        // Lazy in Jinja2: they hand an undefined input back undefined.
        for name in ["map", "select", "reject", "selectattr", "rejectattr"] { XCTAssertTrue(env.filters[name]?.acceptsUndefined == true, name) }
    }
}
