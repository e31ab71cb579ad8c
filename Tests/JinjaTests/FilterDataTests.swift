import XCTest
@testable import Jinja

final class FilterDataTests: XCTestCase {
    func testJSON() throws {
        XCTAssertEqual(try filter("to_json", ["b": 1, "a": [1, 2.5, nil, true], "c": "é<"]),
                       "{\"b\": 1, \"a\": [1, 2.5, null, true], \"c\": \"\\u00e9<\"}")
        XCTAssertEqual(try filter("to_nice_json", ["b": 1, "a": ["z": 1, "y": []]]),
                       "{\n    \"a\": {\n        \"y\": [],\n        \"z\": 1\n    },\n    \"b\": 1\n}")
        XCTAssertEqual(try filter("to_nice_json", []), "[]")
        XCTAssertEqual(try filter("to_json", ["a": 1], kwargs: ["indent": 2]), "{\n  \"a\": 1\n}")
        XCTAssertEqual(try filter("to_json", "é", kwargs: ["ensure_ascii": false]), "\"é\"")
        XCTAssertEqual(try filter("from_json", "{\"a\": [1, 2.0, null, true]}"), ["a": [1, .float(2), nil, true]])
        XCTAssertThrowsError(try filter("from_json", "[1,"))
        assertJinjaError(.type, "the JSON object must be str, bytes or bytearray, not int") { try filter("from_json", 5) }
    }

    func testBool() throws {
        XCTAssertEqual(try filter("bool", "yes"), true)
        XCTAssertEqual(try filter("bool", "On"), true)
        XCTAssertEqual(try filter("bool", "0"), false)
        XCTAssertEqual(try filter("bool", 1), true)
        XCTAssertEqual(try filter("bool", 1.0), true)
        XCTAssertEqual(try filter("bool", "maybe"), false)
        XCTAssertEqual(try filter("bool", nil), false)
    }

    func testCombine() throws {
        XCTAssertEqual(try filter("combine", ["a": 1], ["b": 2], ["a": 3]), ["a": 3, "b": 2])
        XCTAssertEqual(try filter("combine", [["a": 1], ["b": 2]]), ["a": 1, "b": 2])
        let merged = try filter("combine", ["a": ["x": 1, "l": [1, 2]], "b": 1], ["a": ["y": 2, "l": [3]]], kwargs: ["recursive": true])
        XCTAssertEqual(merged, ["a": ["x": 1, "l": [3], "y": 2], "b": 1])
        XCTAssertEqual(merged["a"]?.dictValue?.keys, ["x", "l", "y"])
        let base: Value = ["a": ["l": [1, 2]]], patch: Value = ["a": ["l": [2, 3]]]
        XCTAssertEqual(try filter("combine", base, patch, kwargs: ["recursive": true, "list_merge": "append_rp"]), ["a": ["l": [1, 2, 3]]])
        XCTAssertEqual(try filter("combine", base, patch, kwargs: ["recursive": true, "list_merge": "prepend"]), ["a": ["l": [2, 3, 1, 2]]])
        XCTAssertEqual(try filter("combine", base, patch, kwargs: ["recursive": true, "list_merge": "keep"]), base)
        XCTAssertEqual(try filter("combine", base, patch, kwargs: ["recursive": true, "list_merge": "append"]), ["a": ["l": [1, 2, 2, 3]]])
        XCTAssertEqual(try filter("combine", base, patch, kwargs: ["recursive": true, "list_merge": "prepend_rp"]), ["a": ["l": [2, 3, 1]]])
        XCTAssertEqual(try filter("combine", ["a": ["x": 1]], ["a": ["y": 2]]), ["a": ["y": 2]])
        XCTAssertEqual(try filter("combine", []), [:])
        assertJinjaError(.filter, "'recursive' and 'list_merge' are the only valid keyword arguments") {
            try filter("combine", ["a": 1], ["b": 2], kwargs: ["foo": 1])
        }
        assertJinjaError(.filter, "merge_hash: 'list_merge' argument can only be equal to") {
            try filter("combine", ["a": 1], ["b": 2], kwargs: ["list_merge": "bad"])
        }
        assertJinjaError(.filter, "failed to combine variables, expected dicts but got a 'dict' and a 'int'.") {
            try filter("combine", ["a": 1], 5)
        }
    }

    func testDictItems() throws {
        XCTAssertEqual(try filter("dict2items", ["a": [1, 2]]), [["key": "a", "value": [1, 2]]])
        XCTAssertEqual(try filter("dict2items", ["a": 1], kwargs: ["key_name": "k", "value_name": "v"]), [["k": "a", "v": 1]])
        assertJinjaError(.filter, "dict2items requires a dictionary, got <class 'int'> instead.") { try filter("dict2items", 5) }
        XCTAssertEqual(try filter("items2dict", [["key": "a", "value": 1]]), ["a": 1])
        XCTAssertEqual(try filter("items2dict", [["k": "a", "v": 1]], kwargs: ["key_name": "k", "value_name": "v"]), ["a": 1])
        assertJinjaError(.filter, "items2dict requires each dictionary in the list to contain the keys 'key' and 'value', got [{'key': 'a'}] instead.") {
            try filter("items2dict", [["key": "a"]])
        }
        assertJinjaError(.filter, "items2dict requires a list of dictionaries, got [1] instead.") { try filter("items2dict", [1]) }
        assertJinjaError(.filter, "items2dict requires a list, got <class 'int'> instead.") { try filter("items2dict", 5) }
    }

    func testFlatten() throws {
        XCTAssertEqual(try filter("flatten", [1, [2, [3, nil, "null"]]]), [1, 2, 3])
        XCTAssertEqual(try filter("flatten", [1, [2, [3]]], kwargs: ["levels": 1]), [1, 2, [3]])
        XCTAssertEqual(try filter("flatten", [1, [2, [3, [4]]]], kwargs: ["levels": 2]), [1, 2, 3, [4]])
        XCTAssertEqual(try filter("flatten", [1, nil, [nil]], kwargs: ["skip_nulls": false]), [1, nil, nil])
        assertJinjaError(.type, "'int' object is not iterable") { try filter("flatten", 5) }
    }

    func testSubelementsAndExtract() throws {
        let users: Value = [["name": "a", "groups": ["x", "y"]], ["name": "b", "groups": []]]
        XCTAssertEqual(try filter("subelements", users, "groups"),
                       [[["name": "a", "groups": ["x", "y"]], "x"], [["name": "a", "groups": ["x", "y"]], "y"]])
        XCTAssertEqual(try filter("subelements", [["name": "a", "g": ["h": ["x"]]]], "g.h"), [[["name": "a", "g": ["h": ["x"]]], "x"]])
        XCTAssertEqual(try filter("subelements", [["name": "a"]], "groups", kwargs: ["skip_missing": true]), [])
        assertJinjaError(.filter, "could not find 'groups' key in iterated item {'name': 'a'}") { try filter("subelements", [["name": "a"]], "groups") }
        assertJinjaError(.type, "the key 'groups' should point to a list, got 5") { try filter("subelements", [["groups": 5]], "groups") }
        assertJinjaError(.filter, "obj must be a list of dicts or a nested dict") { try filter("subelements", 5, "x") }
        XCTAssertEqual(try filter("extract", "a", ["a": ["b": 2]]), ["b": 2])
        XCTAssertEqual(try filter("extract", "a", ["a": ["b": 2]], "b"), 2)
        XCTAssertEqual(try filter("extract", 0, ["x", "y"]), "x")
        XCTAssertEqual(try filter("extract", "a", ["a": ["b": ["c": 3]]], ["b", "c"]), 3)
        XCTAssertEqual(try filter("extract", "z", ["a": 1]), .undefined(Undefined("object of type 'dict' has no attribute 'z'")))
    }

    func testMandatoryTernaryTypeDebug() throws {
        XCTAssertEqual(try filter("mandatory", 5), 5)
        assertJinjaError(.filter, "Mandatory variable 'x' not defined.") { try filter("mandatory", undefinedX) }
        assertJinjaError(.filter, "custom msg") { try filter("mandatory", undefinedX, "custom msg") }
        let missingAttribute = Value.undefined(Undefined("object of type 'dict' has no attribute 'x'"))
        assertJinjaError(.filter, "Mandatory variable 'x' not defined.") { try filter("mandatory", missingAttribute) }
        assertJinjaError(.filter, "Mandatory variable not defined.") { try filter("mandatory", .undefined(Undefined("No first item, sequence was empty."))) }
        XCTAssertEqual(try filter("ternary", true, "y", "n"), "y")
        XCTAssertEqual(try filter("ternary", 0, "y", "n"), "n")
        XCTAssertEqual(try filter("ternary", nil, 1, 2), 2)
        XCTAssertEqual(try filter("ternary", nil, 1, 2, 3), 3)
        XCTAssertEqual(try filter("type_debug", [1]), "list")
        XCTAssertEqual(try filter("type_debug", nil), "NoneType")
        XCTAssertEqual(try filter("type_debug", 1.5), "float")
        XCTAssertEqual(try filter("type_debug", true), "bool")
        XCTAssertEqual(try filter("type_debug", [:]), "dict")
        XCTAssertEqual(try filter("type_debug", undefinedX), "UndefinedMarker")
    }

    func testSplit() throws {
        XCTAssertEqual(try filter("split", "a b  c"), ["a", "b", "c"])
        XCTAssertEqual(try filter("split", "a,b"), ["a,b"])
        XCTAssertEqual(try filter("split", "a,b", ","), ["a", "b"])
        XCTAssertEqual(try filter("split", "a,b,,c", ",", 1), ["a", "b,,c"])
        XCTAssertEqual(try filter("split", " a  b ", nil, 1), ["a", "b "])
        assertJinjaError(.type, "descriptor 'split' for 'str' objects doesn't apply to a 'int' object") { try filter("split", 5) }
        assertJinjaError(.value, "empty separator") { try filter("split", "a", "") }
    }

    func testComment() throws {
        XCTAssertEqual(try filter("comment", "abc"), "#\n# abc\n#")
        XCTAssertEqual(try filter("comment", "a", "erlang"), "%\n% a\n%")
        XCTAssertEqual(try filter("comment", "a", "c"), "//\n// a\n//")
        XCTAssertEqual(try filter("comment", "a\nb", "xml"), "<!--\n -\n - a\n - b\n -\n-->")
        XCTAssertEqual(try filter("comment", "a", "cblock"), "/*\n *\n * a\n *\n */")
        XCTAssertEqual(try filter("comment", "a", kwargs: ["decoration": "; "]), ";\n; a\n;")
        XCTAssertEqual(try filter("comment", "a", kwargs: ["prefix_count": 2, "postfix": "--"]), "#\n#\n# a\n--")
        assertJinjaError(.filter, "Invalid style 'bad'.") { try filter("comment", "a", "bad") }
    }

    func testRekeyOnMember() throws {
        XCTAssertEqual(try filter("rekey_on_member", ["a": ["id": "x", "v": 1], "b": ["id": "y", "v": 2]], "id"),
                       ["x": ["id": "x", "v": 1], "y": ["id": "y", "v": 2]])
        XCTAssertEqual(try filter("rekey_on_member", [["id": "x"], ["id": "x", "v": 2]], "id", kwargs: ["duplicates": "overwrite"]),
                       ["x": ["id": "x", "v": 2]])
        assertJinjaError(.filter, "Key 'x' is not unique, cannot convert to dict.") { try filter("rekey_on_member", [["id": "x"], ["id": "x"]], "id") }
        assertJinjaError(.filter, "Key 'nope' was not found.") { try filter("rekey_on_member", [["id": "x"]], "nope") }
        assertJinjaError(.filter, "Type is not a valid list, set, or dict") { try filter("rekey_on_member", 1, "a") }
    }
}
