import XCTest
@testable import Jinja

/// community.general.json_query: JMESPath results checked against what the Python jmespath
/// library (what the collection's filter calls) returns for the same data.
final class FilterJSONQueryTests: XCTestCase {
    private let data = try! Value.parseJSON("""
    {"items": [{"name": "a", "n": 1, "tags": ["x", "y"]}, {"name": "b", "n": 5, "tags": ["z"]}, {"name": "c", "n": 3, "tags": []}],
     "m": {"k1": {"v": 1}, "k2": {"v": 2}}, "nested": [[1, 2], [3, [4]]], "s": "text"}
    """)

    private func query(_ expression: String) throws -> String {
        // Compact JSON, as json.dumps(separators=(',', ':')) prints jmespath's answers.
        try JMESPath.search(expression, data).jsonString.replacingOccurrences(of: ", ", with: ",").replacingOccurrences(of: ": ", with: ":")
    }

    func testFieldsIndexesSlicesAndProjections() throws {
        XCTAssertEqual(try query("s"), #""text""#)
        XCTAssertEqual(try query("items[0].name"), #""a""#)
        XCTAssertEqual(try query("items[-1].n"), "3")
        XCTAssertEqual(try query("items[*].name"), #"["a","b","c"]"#)
        XCTAssertEqual(try query("items[1:].name"), #"["b","c"]"#)
        XCTAssertEqual(try query("items[::-1].n"), "[3,5,1]")
        XCTAssertEqual(try query("items[*].tags[]"), #"["x","y","z"]"#)
        XCTAssertEqual(try query("nested[]"), "[1,2,3,[4]]")
        XCTAssertEqual(try query("m.*.v"), "[1,2]")
        XCTAssertEqual(try query("missing.field"), "null")
    }

    func testFiltersComparisonsAndLogic() throws {
        XCTAssertEqual(try query("items[?n > `2`].name"), #"["b","c"]"#)
        XCTAssertEqual(try query("items[?name == 'a'].n"), "[1]")
        XCTAssertEqual(try query("items[?n >= `3` && name != 'b'].name"), #"["c"]"#)
        XCTAssertEqual(try query("items[?!tags].name"), #"["c"]"#)
        XCTAssertEqual(try query("missing || s"), #""text""#)
    }

    func testMultiSelectPipesAndFunctions() throws {
        XCTAssertEqual(try query("items[].{N: name, c: length(tags)}"), #"[{"N":"a","c":2},{"N":"b","c":1},{"N":"c","c":0}]"#)
        XCTAssertEqual(try query("items[*].[name, n]"), #"[["a",1],["b",5],["c",3]]"#)
        XCTAssertEqual(try query("items[*].n | max(@)"), "5")
        XCTAssertEqual(try query("sort_by(items, &n)[*].name"), #"["a","c","b"]"#)
        XCTAssertEqual(try query("max_by(items, &n).name"), #""b""#)
        XCTAssertEqual(try query("sum(items[*].n)"), "9")
        XCTAssertEqual(try query("join('-', items[*].name)"), #""a-b-c""#)
        XCTAssertEqual(try query("keys(m)"), #"["k1","k2"]"#)
        XCTAssertEqual(try query("contains(items[*].name, 'b')"), "true")
        XCTAssertEqual(try query("items[?starts_with(name, 'a')].name | [0]"), #""a""#)
    }

    func testMalformedExpressionsRaiseAJMESPathError() {
        XCTAssertThrowsError(try query("items[?n = 1]")) { XCTAssertTrue("\($0)".contains("JMESPathError"), "\($0)") }
        XCTAssertThrowsError(try query("items[")) { XCTAssertTrue("\($0)".contains("JMESPathError"), "\($0)") }
        XCTAssertThrowsError(try query("nosuch(items)")) { XCTAssertTrue("\($0)".contains("Unknown function"), "\($0)") }
    }

    func testTheFilterIsReachableByItsCollectionName() throws {
        let env = Environment()
        env.installAnsibleExtensions()
        let out = try LanguageTestSupport.render("{{ d | community.general.json_query('items[?n < `2`].name') }}",
                                                 #"{"d": {"items": [{"name": "a", "n": 1}, {"name": "b", "n": 5}]}}"#, env: env)
        XCTAssertEqual(out, "['a']")
    }
}
