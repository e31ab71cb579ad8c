import XCTest
@testable import Jinja

final class FilterPathTests: XCTestCase {
    func testBasenameDirname() throws {
        XCTAssertEqual(try filter("basename", "/a/b.txt"), "b.txt")
        XCTAssertEqual(try filter("basename", "/"), "")
        XCTAssertEqual(try filter("basename", "/a/b/"), "")
        XCTAssertEqual(try filter("dirname", "b"), "")
        XCTAssertEqual(try filter("dirname", "/a"), "/")
        XCTAssertEqual(try filter("dirname", "//a//b"), "//a")
        XCTAssertEqual(try filter("dirname", "/a/b/"), "/a/b")
    }

    func testNormpathSplitextJoin() throws {
        XCTAssertEqual(try filter("normpath", "a/b/../../.."), "..")
        XCTAssertEqual(try filter("normpath", "//a/./b/"), "//a/b")
        XCTAssertEqual(try filter("normpath", "/a/../.."), "/")
        XCTAssertEqual(try filter("normpath", ""), ".")
        XCTAssertEqual(try filter("splitext", "x.tar.gz"), ["x.tar", ".gz"])
        XCTAssertEqual(try filter("splitext", "/a.b/c"), ["/a.b/c", ""])
        XCTAssertEqual(try filter("splitext", ".bashrc"), [".bashrc", ""])
        XCTAssertEqual(try filter("splitext", "a/..b"), ["a/..b", ""])
        XCTAssertEqual(try filter("path_join", ["a", "b/", "c"]), "a/b/c")
        XCTAssertEqual(try filter("path_join", ["/a", "b", "/c"]), "/c")
        XCTAssertEqual(try filter("path_join", "abc"), "abc")
        assertJinjaError(.type, "|path_join expects string or sequence, got <class 'int'> instead.") { try filter("path_join", 5) }
    }

    func testCommonpathRelpath() throws {
        XCTAssertEqual(try filter("commonpath", ["/a/b/c", "/a/b/d"]), "/a/b")
        XCTAssertEqual(try filter("commonpath", ["/a/b", "/a/c/d"]), "/a")
        assertJinjaError(.value, "Can't mix absolute and relative paths") { try filter("commonpath", ["a/b", "/a"]) }
        assertJinjaError(.value, "commonpath() arg is an empty sequence") { try filter("commonpath", []) }
        XCTAssertEqual(try filter("relpath", "/a/b/c", "/a/d/e"), "../../b/c")
        XCTAssertEqual(try filter("relpath", "/a", "/a"), ".")
        XCTAssertEqual(try filter("relpath", "/a/b"), .string(try PathFilters.relpath("/a/b", start: FileManager.default.currentDirectoryPath)))
    }

    func testWindowsPaths() throws {
        XCTAssertEqual(try filter("win_basename", "c:\\x\\y.txt"), "y.txt")
        XCTAssertEqual(try filter("win_basename", "c:/x/y"), "y")
        XCTAssertEqual(try filter("win_dirname", "c:\\x\\y.txt"), "c:\\x")
        XCTAssertEqual(try filter("win_dirname", "c:\\"), "c:\\")
        XCTAssertEqual(try filter("win_dirname", "x"), "")
        XCTAssertEqual(try filter("win_splitdrive", "c:\\x\\y.txt"), ["c:", "\\x\\y.txt"])
        XCTAssertEqual(try filter("win_splitdrive", "\\\\server\\share\\dir\\f.txt"), ["\\\\server\\share", "\\dir\\f.txt"])
        XCTAssertEqual(try filter("win_splitdrive", "rel\\p"), ["", "rel\\p"])
    }

    func testExpansionAndRealpath() throws {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
        XCTAssertEqual(try filter("expanduser", "~/x"), .string(home + "/x"))
        XCTAssertEqual(try filter("expanduser", "~nosuchuserzz/x"), "~nosuchuserzz/x")
        XCTAssertEqual(try filter("expanduser", "/abs"), "/abs")
        XCTAssertEqual(try filter("expandvars", "$NOPE_VAR_ZZ/${HOME}"), .string("$NOPE_VAR_ZZ/" + home))
        XCTAssertEqual(try filter("expandvars", "plain"), "plain")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jinja-path-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("target")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link").path, withDestinationPath: "target")
        let resolvedDir = PathFilters.realpath(dir.path)
        XCTAssertEqual(try filter("realpath", .string(dir.path + "/link/x")), .string(resolvedDir + "/target/x"))
        XCTAssertEqual(try filter("realpath", "/a/./b/../c"), "/a/c")
        try "x".write(to: dir.appendingPathComponent("one.txt"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try filter("fileglob", .string(dir.path + "/*")), .list([.string(dir.path + "/one.txt")]))
        XCTAssertEqual(try filter("fileglob", "/nonexistent-zz/*"), [])
    }
}
