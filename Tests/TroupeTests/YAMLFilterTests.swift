import XCTest
import Jinja
@testable import Troupe

/// Expected texts were produced by ansible-core 2.19's `to_yaml` / `to_nice_yaml`.
final class YAMLFilterTests: XCTestCase {
    static let dumpCases: [(String, Bool, Value, String)] = [
        ("simple|to_yaml", false, Value.dict(OrderedDict([("b", Value.int(1)), ("a", Value.string("x"))])), "{a: x, b: 1}\n"),
        ("simple|to_nice_yaml", true, Value.dict(OrderedDict([("b", Value.int(1)), ("a", Value.string("x"))])), "a: x\nb: 1\n"),
        ("nested|to_yaml", false, Value.dict(OrderedDict([("name", Value.string("web")), ("ports", Value.list([Value.int(80), Value.int(443)])), ("env", Value.dict(OrderedDict([("A", Value.string("1")), ("B", Value.null)]))), ("flag", Value.bool(true)), ("ratio", Value.float(0.5)), ("empty_l", Value.list([])), ("empty_d", Value.dict(OrderedDict([])))])), "empty_d: {}\nempty_l: []\nenv: {A: '1', B: null}\nflag: true\nname: web\nports: [80, 443]\nratio: 0.5\n"),
        ("nested|to_nice_yaml", true, Value.dict(OrderedDict([("name", Value.string("web")), ("ports", Value.list([Value.int(80), Value.int(443)])), ("env", Value.dict(OrderedDict([("A", Value.string("1")), ("B", Value.null)]))), ("flag", Value.bool(true)), ("ratio", Value.float(0.5)), ("empty_l", Value.list([])), ("empty_d", Value.dict(OrderedDict([])))])), "empty_d: {}\nempty_l: []\nenv:\n    A: '1'\n    B: null\nflag: true\nname: web\nports:\n- 80\n- 443\nratio: 0.5\n"),
        ("listOfDicts|to_yaml", false, Value.list([Value.dict(OrderedDict([("name", Value.string("a")), ("v", Value.list([Value.int(1), Value.int(2)]))])), Value.dict(OrderedDict([("name", Value.string("b")), ("v", Value.dict(OrderedDict([("x", Value.string("y"))])))]))]), "- name: a\n  v: [1, 2]\n- name: b\n  v: {x: y}\n"),
        ("listOfDicts|to_nice_yaml", true, Value.list([Value.dict(OrderedDict([("name", Value.string("a")), ("v", Value.list([Value.int(1), Value.int(2)]))])), Value.dict(OrderedDict([("name", Value.string("b")), ("v", Value.dict(OrderedDict([("x", Value.string("y"))])))]))]), "-   name: a\n    v:\n    - 1\n    - 2\n-   name: b\n    v:\n        x: y\n"),
        ("strings|to_yaml", false, Value.list([Value.string("yes"), Value.string("no"), Value.string("on"), Value.string("null"), Value.string("~"), Value.string(""), Value.string(" lead"), Value.string("trail "), Value.string("a: b"), Value.string("- x"), Value.string("#c"), Value.string("x #c"), Value.string("123"), Value.string("1.5"), Value.string("0x1F"), Value.string("1e3"), Value.string("true"), Value.string("True"), Value.string("multi\nline"), Value.string("multi\nline\n"), Value.string("tab\there"), Value.string("it's"), Value.string("say \"hi\""), Value.string("üñí"), Value.string("@at"), Value.string("`tick"), Value.string("!bang"), Value.string("%pct"), Value.string("&amp"), Value.string("*star"), Value.string("[br"), Value.string("{br"), Value.string(">gt"), Value.string("|pipe"), Value.string("?q"), Value.string("a,b"), Value.string("end:"), Value.string(":start"), Value.string("2024-01-01"), Value.string("12:30"), Value.string("1_000"), Value.string(".5"), Value.string("+1"), Value.string("-1"), Value.string("="), Value.string("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), Value.string("<<"), Value.string("2024-01-01 10:00:00"), Value.string("emoji 😀"), Value.string("nbsp x"), Value.string("ctl\u{1}"), Value.string("cr\u{d}x"), Value.string("..."), Value.string("---x"), Value.string("a  b"), Value.string(" "), Value.string("x\n y"), Value.string("trailing\n "), Value.string("k: v\n")]), "['yes', 'no', 'on', 'null', '~', '', ' lead', 'trail ', 'a: b', '- x', '#c', 'x #c',\n  '123', '1.5', '0x1F', 1e3, 'true', 'True', 'multi\n\n    line', 'multi\n\n    line\n\n    ', \"tab\\there\", it's, say \"hi\", üñí, '@at', '`tick', '!bang', '%pct', '&amp',\n  '*star', '[br', '{br', '>gt', '|pipe', '?q', 'a,b', 'end:', ':start', '2024-01-01',\n  '12:30', '1_000', '.5', '+1', '-1', '=', aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,\n  '<<', '2024-01-01 10:00:00', \"emoji \\U0001F600\", nbsp x, \"ctl\\x01\", \"cr\\rx\", '...',\n  '---x', a  b, ' ', \"x\\n y\", \"trailing\\n \", 'k: v\n\n    ']\n"),
        ("strings|to_nice_yaml", true, Value.list([Value.string("yes"), Value.string("no"), Value.string("on"), Value.string("null"), Value.string("~"), Value.string(""), Value.string(" lead"), Value.string("trail "), Value.string("a: b"), Value.string("- x"), Value.string("#c"), Value.string("x #c"), Value.string("123"), Value.string("1.5"), Value.string("0x1F"), Value.string("1e3"), Value.string("true"), Value.string("True"), Value.string("multi\nline"), Value.string("multi\nline\n"), Value.string("tab\there"), Value.string("it's"), Value.string("say \"hi\""), Value.string("üñí"), Value.string("@at"), Value.string("`tick"), Value.string("!bang"), Value.string("%pct"), Value.string("&amp"), Value.string("*star"), Value.string("[br"), Value.string("{br"), Value.string(">gt"), Value.string("|pipe"), Value.string("?q"), Value.string("a,b"), Value.string("end:"), Value.string(":start"), Value.string("2024-01-01"), Value.string("12:30"), Value.string("1_000"), Value.string(".5"), Value.string("+1"), Value.string("-1"), Value.string("="), Value.string("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), Value.string("<<"), Value.string("2024-01-01 10:00:00"), Value.string("emoji 😀"), Value.string("nbsp x"), Value.string("ctl\u{1}"), Value.string("cr\u{d}x"), Value.string("..."), Value.string("---x"), Value.string("a  b"), Value.string(" "), Value.string("x\n y"), Value.string("trailing\n "), Value.string("k: v\n")]), "- 'yes'\n- 'no'\n- 'on'\n- 'null'\n- '~'\n- ''\n- ' lead'\n- 'trail '\n- 'a: b'\n- '- x'\n- '#c'\n- 'x #c'\n- '123'\n- '1.5'\n- '0x1F'\n- 1e3\n- 'true'\n- 'True'\n- 'multi\n\n    line'\n- 'multi\n\n    line\n\n    '\n- \"tab\\there\"\n- it's\n- say \"hi\"\n- üñí\n- '@at'\n- '`tick'\n- '!bang'\n- '%pct'\n- '&amp'\n- '*star'\n- '[br'\n- '{br'\n- '>gt'\n- '|pipe'\n- ?q\n- a,b\n- 'end:'\n- :start\n- '2024-01-01'\n- '12:30'\n- '1_000'\n- '.5'\n- '+1'\n- '-1'\n- '='\n- aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n- '<<'\n- '2024-01-01 10:00:00'\n- \"emoji \\U0001F600\"\n- nbsp x\n- \"ctl\\x01\"\n- \"cr\\rx\"\n- '...'\n- '---x'\n- a  b\n- ' '\n- \"x\\n y\"\n- \"trailing\\n \"\n- 'k: v\n\n    '\n"),
        ("nums|to_yaml", false, Value.list([Value.int(1), Value.int(-2), Value.float(1.0), Value.float(1e+20), Value.float(1.5e-07), Value.float(.infinity), Value.float(-.infinity), Value.float(.nan), Value.bool(true), Value.bool(false), Value.null, Value.float(0.1), Value.float(123456789.123), Value.float(1e+16), Value.int(3122306864379792082)]), "[1, -2, 1.0, 1.0e+20, 1.5e-07, .inf, -.inf, .nan, true, false, null, 0.1, 123456789.123,\n  1.0e+16, 3122306864379792082]\n"),
        ("nums|to_nice_yaml", true, Value.list([Value.int(1), Value.int(-2), Value.float(1.0), Value.float(1e+20), Value.float(1.5e-07), Value.float(.infinity), Value.float(-.infinity), Value.float(.nan), Value.bool(true), Value.bool(false), Value.null, Value.float(0.1), Value.float(123456789.123), Value.float(1e+16), Value.int(3122306864379792082)]), "- 1\n- -2\n- 1.0\n- 1.0e+20\n- 1.5e-07\n- .inf\n- -.inf\n- .nan\n- true\n- false\n- null\n- 0.1\n- 123456789.123\n- 1.0e+16\n- 3122306864379792082\n"),
        ("longText|to_yaml", false, Value.dict(OrderedDict([("text", Value.string("word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word "))])), "{text: 'word word word word word word word word word word word word word word word\n    word word word word word word word word word word word word word word word '}\n"),
        ("longText|to_nice_yaml", true, Value.dict(OrderedDict([("text", Value.string("word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word "))])), "text: 'word word word word word word word word word word word word word word word\n    word word word word word word word word word word word word word word word '\n"),
        ("longDouble|to_yaml", false, Value.dict(OrderedDict([("t", Value.string("tab\tword tab\tword tab\tword tab\tword tab\tword tab\tword tab\tword tab\tword tab\tword tab\tword tab\tword tab\tword"))])), "{t: \"tab\\tword tab\\tword tab\\tword tab\\tword tab\\tword tab\\tword tab\\tword tab\\tword\n    tab\\tword tab\\tword tab\\tword tab\\tword\"}\n"),
        ("longDouble|to_nice_yaml", true, Value.dict(OrderedDict([("t", Value.string("tab\tword tab\tword tab\tword tab\tword tab\tword tab\tword tab\tword tab\tword tab\tword tab\tword tab\tword tab\tword"))])), "t: \"tab\\tword tab\\tword tab\\tword tab\\tword tab\\tword tab\\tword tab\\tword tab\\tword\n    tab\\tword tab\\tword tab\\tword tab\\tword\"\n"),
        ("nestedLists|to_yaml", false, Value.list([Value.list([Value.int(1), Value.int(2)]), Value.list([Value.int(3), Value.list([Value.int(4), Value.int(5)])]), Value.list([])]), "- [1, 2]\n- - 3\n  - [4, 5]\n- []\n"),
        ("nestedLists|to_nice_yaml", true, Value.list([Value.list([Value.int(1), Value.int(2)]), Value.list([Value.int(3), Value.list([Value.int(4), Value.int(5)])]), Value.list([])]), "-   - 1\n    - 2\n-   - 3\n    -   - 4\n        - 5\n- []\n"),
        ("scalarRoot|to_yaml", false, Value.string("plain"), "plain\n"),
        ("scalarRoot|to_nice_yaml", true, Value.string("plain"), "plain\n"),
        ("quotedRoot|to_yaml", false, Value.string("yes"), "'yes'\n"),
        ("quotedRoot|to_nice_yaml", true, Value.string("yes"), "'yes'\n"),
        ("intRoot|to_yaml", false, Value.int(42), "42\n"),
        ("intRoot|to_nice_yaml", true, Value.int(42), "42\n"),
        ("noneRoot|to_yaml", false, Value.null, "null\n"),
        ("noneRoot|to_nice_yaml", true, Value.null, "null\n"),
        ("emptyList|to_yaml", false, Value.list([]), "[]\n"),
        ("emptyList|to_nice_yaml", true, Value.list([]), "[]\n"),
        ("emptyDict|to_yaml", false, Value.dict(OrderedDict([])), "{}\n"),
        ("emptyDict|to_nice_yaml", true, Value.dict(OrderedDict([])), "{}\n"),
        ("oddKeys|to_yaml", false, Value.dict(OrderedDict([("yes", Value.int(1)), ("", Value.int(2)), ("a b", Value.int(3)), ("x:y", Value.int(4)), ("1", Value.int(5)), ("longlonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglong", Value.int(6)), ("multi\nkey", Value.int(7))])), "{'': 2, '1': 5, a b: 3, ? longlonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglong\n  : 6, ? 'multi\n\n    key' : 7, 'x:y': 4, 'yes': 1}\n"),
        ("oddKeys|to_nice_yaml", true, Value.dict(OrderedDict([("yes", Value.int(1)), ("", Value.int(2)), ("a b", Value.int(3)), ("x:y", Value.int(4)), ("1", Value.int(5)), ("longlonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglong", Value.int(6)), ("multi\nkey", Value.int(7))])), "'': 2\n'1': 5\na b: 3\n? longlonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglong\n: 6\n? 'multi\n\n    key'\n: 7\nx:y: 4\n'yes': 1\n"),
        ("deep|to_yaml", false, Value.dict(OrderedDict([("a", Value.dict(OrderedDict([("b", Value.dict(OrderedDict([("c", Value.list([Value.int(1), Value.dict(OrderedDict([("d", Value.string("e")), ("f", Value.list([Value.dict(OrderedDict([("g", Value.string("h"))]))]))]))]))])))])))])), "a:\n  b:\n    c:\n    - 1\n    - d: e\n      f:\n      - {g: h}\n"),
        ("deep|to_nice_yaml", true, Value.dict(OrderedDict([("a", Value.dict(OrderedDict([("b", Value.dict(OrderedDict([("c", Value.list([Value.int(1), Value.dict(OrderedDict([("d", Value.string("e")), ("f", Value.list([Value.dict(OrderedDict([("g", Value.string("h"))]))]))]))]))])))])))])), "a:\n    b:\n        c:\n        - 1\n        -   d: e\n            f:\n            -   g: h\n"),
        ("unicodeKeys|to_yaml", false, Value.dict(OrderedDict([("ключ", Value.string("значение")), ("b", Value.list([Value.string("é"), Value.string("ß")]))])), "b: [é, ß]\nключ: значение\n"),
        ("unicodeKeys|to_nice_yaml", true, Value.dict(OrderedDict([("ключ", Value.string("значение")), ("b", Value.list([Value.string("é"), Value.string("ß")]))])), "b:\n- é\n- ß\nключ: значение\n"),
        ("longList|to_yaml", false, Value.list([Value.int(0), Value.int(1), Value.int(2), Value.int(3), Value.int(4), Value.int(5), Value.int(6), Value.int(7), Value.int(8), Value.int(9), Value.int(10), Value.int(11), Value.int(12), Value.int(13), Value.int(14), Value.int(15), Value.int(16), Value.int(17), Value.int(18), Value.int(19), Value.int(20), Value.int(21), Value.int(22), Value.int(23), Value.int(24), Value.int(25), Value.int(26), Value.int(27), Value.int(28), Value.int(29), Value.int(30), Value.int(31), Value.int(32), Value.int(33), Value.int(34), Value.int(35), Value.int(36), Value.int(37), Value.int(38), Value.int(39)]), "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,\n  23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39]\n"),
        ("longList|to_nice_yaml", true, Value.list([Value.int(0), Value.int(1), Value.int(2), Value.int(3), Value.int(4), Value.int(5), Value.int(6), Value.int(7), Value.int(8), Value.int(9), Value.int(10), Value.int(11), Value.int(12), Value.int(13), Value.int(14), Value.int(15), Value.int(16), Value.int(17), Value.int(18), Value.int(19), Value.int(20), Value.int(21), Value.int(22), Value.int(23), Value.int(24), Value.int(25), Value.int(26), Value.int(27), Value.int(28), Value.int(29), Value.int(30), Value.int(31), Value.int(32), Value.int(33), Value.int(34), Value.int(35), Value.int(36), Value.int(37), Value.int(38), Value.int(39)]), "- 0\n- 1\n- 2\n- 3\n- 4\n- 5\n- 6\n- 7\n- 8\n- 9\n- 10\n- 11\n- 12\n- 13\n- 14\n- 15\n- 16\n- 17\n- 18\n- 19\n- 20\n- 21\n- 22\n- 23\n- 24\n- 25\n- 26\n- 27\n- 28\n- 29\n- 30\n- 31\n- 32\n- 33\n- 34\n- 35\n- 36\n- 37\n- 38\n- 39\n"),
        ("longStrList|to_yaml", false, Value.list([Value.string("item-0-abcdefgh"), Value.string("item-1-abcdefgh"), Value.string("item-2-abcdefgh"), Value.string("item-3-abcdefgh"), Value.string("item-4-abcdefgh"), Value.string("item-5-abcdefgh"), Value.string("item-6-abcdefgh"), Value.string("item-7-abcdefgh"), Value.string("item-8-abcdefgh"), Value.string("item-9-abcdefgh"), Value.string("item-10-abcdefgh"), Value.string("item-11-abcdefgh")]), "[item-0-abcdefgh, item-1-abcdefgh, item-2-abcdefgh, item-3-abcdefgh, item-4-abcdefgh,\n  item-5-abcdefgh, item-6-abcdefgh, item-7-abcdefgh, item-8-abcdefgh, item-9-abcdefgh,\n  item-10-abcdefgh, item-11-abcdefgh]\n"),
        ("longStrList|to_nice_yaml", true, Value.list([Value.string("item-0-abcdefgh"), Value.string("item-1-abcdefgh"), Value.string("item-2-abcdefgh"), Value.string("item-3-abcdefgh"), Value.string("item-4-abcdefgh"), Value.string("item-5-abcdefgh"), Value.string("item-6-abcdefgh"), Value.string("item-7-abcdefgh"), Value.string("item-8-abcdefgh"), Value.string("item-9-abcdefgh"), Value.string("item-10-abcdefgh"), Value.string("item-11-abcdefgh")]), "- item-0-abcdefgh\n- item-1-abcdefgh\n- item-2-abcdefgh\n- item-3-abcdefgh\n- item-4-abcdefgh\n- item-5-abcdefgh\n- item-6-abcdefgh\n- item-7-abcdefgh\n- item-8-abcdefgh\n- item-9-abcdefgh\n- item-10-abcdefgh\n- item-11-abcdefgh\n"),
    ]

    static let keywordCases: [(String, Bool, Value, String, String)] = [
        ("kwIndent|to_yaml", false, Value.dict(OrderedDict([("a", Value.list([Value.int(1), Value.dict(OrderedDict([("b", Value.int(2))]))]))])), "a:\n- 1\n- {b: 2}\n", "indent=2"),
        ("kwIndent|to_nice_yaml", true, Value.dict(OrderedDict([("a", Value.list([Value.int(1), Value.dict(OrderedDict([("b", Value.int(2))]))]))])), "a:\n- 1\n- b: 2\n", "indent=2"),
        ("kwWidth|to_yaml", false, Value.dict(OrderedDict([("t", Value.string("word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word "))])), "{t: 'word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word '}\n", "width=1000"),
        ("kwWidth|to_nice_yaml", true, Value.dict(OrderedDict([("t", Value.string("word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word "))])), "t: 'word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word '\n", "width=1000"),
        ("kwNoSort|to_yaml", false, Value.dict(OrderedDict([("b", Value.int(1)), ("a", Value.int(2))])), "{b: 1, a: 2}\n", "sort_keys=False"),
        ("kwNoSort|to_nice_yaml", true, Value.dict(OrderedDict([("b", Value.int(1)), ("a", Value.int(2))])), "b: 1\na: 2\n", "sort_keys=False"),
        ("kwStart|to_yaml", false, Value.dict(OrderedDict([("a", Value.int(1))])), "--- {a: 1}\n", "explicit_start=True"),
        ("kwStart|to_nice_yaml", true, Value.dict(OrderedDict([("a", Value.int(1))])), "---\na: 1\n", "explicit_start=True"),
        ("kwFlow|to_yaml", false, Value.dict(OrderedDict([("a", Value.list([Value.int(1), Value.dict(OrderedDict([("b", Value.int(2))]))]))])), "{a: [1, {b: 2}]}\n", "default_flow_style=True"),
        ("kwFlow|to_nice_yaml", true, Value.dict(OrderedDict([("a", Value.list([Value.int(1), Value.dict(OrderedDict([("b", Value.int(2))]))]))])), "{a: [1, {b: 2}]}\n", "default_flow_style=True"),
    ]

    static let keywordArguments: [String: [(name: String, value: Value)]] = [
        "indent=2": [("indent", 2)],
        "width=1000": [("width", 1000)],
        "sort_keys=False": [("sort_keys", false)],
        "explicit_start=True": [("explicit_start", true)],
        "default_flow_style=True": [("default_flow_style", true)],
    ]

    private func run(_ name: String, _ value: Value, _ keywords: [(name: String, value: Value)] = []) throws -> Value {
        guard let f = YAMLFilters.all[name] else { throw JinjaError(.unknownFilter, name) }
        let env = Environment()
        return try f.function(value, Arguments([], keywords: keywords), CallContext(environment: env, variables: DictionaryLookup([:])))
    }

    func testDumpMatchesAnsible() throws {
        for (name, nice, value, expected) in YAMLFilterTests.dumpCases {
            let out = try run(nice ? "to_nice_yaml" : "to_yaml", value)
            XCTAssertEqual(out.stringValue, expected, name)
        }
    }

    func testDumpKeywordsMatchAnsible() throws {
        for (name, nice, value, expected, kw) in YAMLFilterTests.keywordCases {
            let out = try run(nice ? "to_nice_yaml" : "to_yaml", value, YAMLFilterTests.keywordArguments[kw] ?? [])
            XCTAssertEqual(out.stringValue, expected, name)
        }
    }

    func testDumpErrors() throws {
        XCTAssertThrowsError(try run("to_yaml", .undefined(.variable("x"))))
        XCTAssertThrowsError(try run("to_yaml", [1], [("bogus", 1)]))
        XCTAssertEqual(try run("to_yaml", .unsafe("a: b")), "'a: b'\n")
    }

    func testDatetimesBecomeTimestamps() throws {
        let dt = Value.object(PythonDateTime(year: 2024, month: 3, day: 5, hour: 14, minute: 7, second: 9))
        XCTAssertEqual(try run("to_yaml", ["when": dt]), "{when: ! '2024-03-05 14:07:09'}\n")
        XCTAssertEqual(try run("to_nice_yaml", [dt]), "- 2024-03-05 14:07:09\n")
        XCTAssertThrowsError(try run("to_yaml", .object(DateTimeMethod("f") { _ in nil })))
    }

    func testVaultValuesUseLiteralBlocks() throws {
        let vault = Value.vault("$ANSIBLE_VAULT;1.1;AES256\n6162\n6364\n")
        XCTAssertEqual(try run("to_yaml", ["pw": vault]), "pw: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n  6364\n")
        XCTAssertEqual(try run("to_nice_yaml", ["pw": vault]), "pw: !vault |\n    $ANSIBLE_VAULT;1.1;AES256\n    6162\n    6364\n")
    }

    func testFromYAML() throws {
        XCTAssertEqual(try run("from_yaml", "a: 1\nb: [yes, '2', 0o17, 017]\n"), ["a": 1, "b": [true, "2", "0o17", 15]])
        XCTAssertEqual(try run("from_yaml", ""), nil)
        XCTAssertEqual(try run("from_yaml", nil), nil)
        XCTAssertEqual(try run("from_yaml", 5), 5)
        XCTAssertThrowsError(try run("from_yaml", "a: [1"))
        XCTAssertEqual(try run("from_yaml_all", "a: 1\n---\n- x\n"), [["a": 1], ["x"]])
        XCTAssertEqual(try run("from_yaml_all", nil), [])
        XCTAssertThrowsError(try run("from_yaml_all", "a: [1\n"))
    }

    func testInstallAddsFiltersToEnvironment() throws {
        let env = Environment()
        env.installAnsibleExtensions()
        XCTAssertNil(env.filters["to_nice_yaml"])
        YAMLFilters.install(into: env)
        XCTAssertNotNil(env.filters["to_nice_yaml"])
        XCTAssertNotNil(env.filters["from_yaml_all"])
        XCTAssertNotNil(env.filters["combine"])
    }

    func testRoundTrip() throws {
        let value: Value = ["name": "web", "ports": [80, 443], "env": ["A": "1", "B": nil], "text": "multi\nline", "on": "yes"]
        let text = try run("to_nice_yaml", value)
        XCTAssertEqual(try run("from_yaml", text), value)
    }
}
