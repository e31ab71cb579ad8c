import XCTest
import Jinja
@testable import Troupe

final class VariableScopeTests: XCTestCase {
    func testHigherLayersWinAndTemplatesResolveLazily() throws {
        let scope = VariableScope(layers: [.init(["a": "{{ b }}-x"]), .init(["a": "low", "b": "{{ c | upper }}", "c": "deep"])],
                                  templar: Templar())
        XCTAssertEqual(try scope.lookup("a"), "DEEP-x")
        XCTAssertNil(try scope.lookup("missing"))
    }

    func testCyclesRaiseInsteadOfRecursing() {
        let scope = VariableScope(layers: [.init(["a": "{{ b }}", "b": "{{ a }}"])], templar: Templar())
        XCTAssertThrowsError(try scope.lookup("a"))
    }

    func testHashBehaviourMergeCombinesDictsAcrossLayers() throws {
        let layers: [VariableScope.Layer] = [.init(["s": ["b": 2, "nested": ["y": 20]]]),
                                             .init(["s": ["a": 1, "nested": ["x": 1, "y": 2]]])]
        let replace = VariableScope(layers: layers, templar: Templar())
        XCTAssertEqual(try replace.lookup("s"), ["b": 2, "nested": ["y": 20]])
        let merge = VariableScope(layers: layers, templar: Templar())
        merge.mergesDictionaries = true
        XCTAssertEqual(try merge.lookup("s"), ["a": 1, "nested": ["x": 1, "y": 20], "b": 2])
    }
}
