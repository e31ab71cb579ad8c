import Foundation
import XCTest
import Jinja
@testable import Troupe

final class FileModuleMiscTests: XCTestCase {
    var box: FileModuleSandbox!
    override func setUpWithError() throws { box = try FileModuleSandbox() }
    override func tearDown() { box.remove() }

    func testSlurp() throws {
        try box.write("a.txt", "hello\n")
        let r = try box.run(SlurpModule(), ["src": .string(box.path("a.txt"))], check: true)
        XCTAssertEqual(r, ["changed": false, "content": "aGVsbG8K", "encoding": "base64", "source": .string(box.path("a.txt"))])
        XCTAssertEqual(try box.run(SlurpModule(), ["path": .string(box.path("nope"))])["msg"], .string("File not found: \(box.path("nope"))"))
        XCTAssertEqual(try box.run(SlurpModule(), ["src": .string(box.root)])["msg"],
                       .string("Source is a directory and must be a file: \(box.root)"))
        XCTAssertTrue(try box.run(SlurpModule(), ["src": "/x", "encoding": "b64"]).isFailed)
    }

    func testTempfile() throws {
        let f = try box.run(TempfileModule(), ["path": .string(box.root), "prefix": "pre.", "suffix": ".tmp"])
        XCTAssertTrue(f.isChanged)
        let path = try XCTUnwrap(f["path"]?.stringValue)
        XCTAssertTrue(path.hasPrefix(box.root + "/pre.") && path.hasSuffix(".tmp"), path)
        XCTAssertEqual(f["state"], "file")
        XCTAssertEqual(f["mode"], "0600")
        let d = try box.run(TempfileModule(), ["path": .string(box.root), "state": "directory"])
        XCTAssertEqual(d["state"], "directory")
        XCTAssertTrue(d["path"]?.stringValue?.hasPrefix(box.root + "/ansible.") ?? false)
        let skipped = try box.run(TempfileModule(), ["path": .string(box.root)], check: true)
        XCTAssertEqual(skipped["skipped"], true)
        XCTAssertEqual(try box.run(TempfileModule(), ["state": "fifo"])["msg"], "value of state must be one of: directory, file, got: fifo")
    }

    func testAssembleFragments() throws {
        try box.write("frags/01", "one\n")
        try box.write("frags/02", "two")
        try box.write("frags/.hid", "h\n")
        let args: OrderedDict = ["src": .string(box.path("frags")), "dest": .string(box.path("asm")), "delimiter": "--"]
        XCTAssertTrue(try box.run(AssembleModule(), args, check: true).isChanged)
        XCTAssertFalse(box.exists("asm"))
        let r = try box.run(AssembleModule(), args)
        XCTAssertTrue(r.isChanged)
        XCTAssertEqual(box.read("asm"), "h\n--\none\n--\ntwo")
        XCTAssertEqual(r["checksum"], "5ab65adb0b57e9eb64c8d4e1c670c09dbeb1d8ee")
        XCTAssertEqual(r["md5sum"], "aabccb7815133ad0597e599fd6b1c96c")
        XCTAssertEqual(r["msg"], "OK")
        XCTAssertEqual(r["size"], 15)
        XCTAssertFalse(try box.run(AssembleModule(), args).isChanged)
        var filtered = args
        filtered["regexp"] = "^0"
        filtered["delimiter"] = nil
        _ = try box.run(AssembleModule(), filtered)
        XCTAssertEqual(box.read("asm"), "one\ntwo")
        let missing = try box.run(AssembleModule(), ["src": .string(box.path("none")), "dest": .string(box.path("x"))])
        XCTAssertEqual(missing["msg"], .string("Source (\(box.path("none"))) does not exist"))
    }

    func testFind() throws {
        try box.write("fd/x.log", "needle here\n")
        try box.write("fd/y.txt", "hi\n")
        try box.write("fd/sub/z.log", "n\n")
        try box.write("fd/.h.log", "")
        let fd = Value.string(box.path("fd"))
        let flat = try box.run(FindModule(), ["paths": fd, "patterns": "*.log"], check: true)
        XCTAssertEqual(flat["examined"], 4)
        XCTAssertEqual(flat["matched"], 1)
        XCTAssertEqual(flat["msg"], "All paths examined")
        let file = try XCTUnwrap(flat["files"]?.listValue?.first?.dictValue)
        XCTAssertEqual(file["path"], .string(box.path("fd/x.log")))
        XCTAssertEqual(file["isreg"], true)
        XCTAssertEqual(file["size"], 12)
        XCTAssertNil(file["readable"])

        let deep = try box.run(FindModule(), ["paths": fd, "patterns": ["*.log"], "recurse": true, "hidden": true])
        // os.walk order: a directory's files (in readdir order), then its subdirectories.
        let deepPaths = deep["files"]?.listValue?.compactMap { $0["path"]?.stringValue } ?? []
        XCTAssertEqual(deepPaths.last, box.path("fd/sub/z.log"))
        XCTAssertEqual(deepPaths.sorted(), [box.path("fd/.h.log"), box.path("fd/sub/z.log"), box.path("fd/x.log")])
        let content = try box.run(FindModule(), ["paths": fd, "recurse": true, "contains": "needle"])
        XCTAssertEqual(content["matched"], 1)
        let regex = try box.run(FindModule(), ["paths": fd, "patterns": "^[xy]\\.", "use_regex": true, "excludes": "y.*"])
        XCTAssertEqual(regex["files"]?.listValue?.compactMap { $0["path"]?.stringValue }, [box.path("fd/x.log")])
        let dirs = try box.run(FindModule(), ["paths": fd, "file_type": "directory"])
        XCTAssertEqual(dirs["files"]?.listValue?.first?["isdir"], true)
        let big = try box.run(FindModule(), ["paths": fd, "recurse": true, "size": "5"])
        XCTAssertEqual(big["matched"], 1)
        let old = try box.run(FindModule(), ["paths": fd, "age": "1d"])
        XCTAssertEqual(old["matched"], 0)

        let missing = try box.run(FindModule(), ["paths": .string(box.path("nope"))])
        XCTAssertEqual(missing["msg"], "Not all paths examined, check warnings for details")
        XCTAssertEqual(missing["skipped_paths"], [box.path("nope"): .string("'\(box.path("nope"))' is not a directory")])
        XCTAssertEqual(try box.run(FindModule(), ["paths": fd, "file_type": "socket"])["msg"],
                       "value of file_type must be one of: any, directory, file, link, got: socket")
    }
}

final class FileModuleFetchTests: XCTestCase {
    var pb: FilePlaybookHarness!
    override func setUpWithError() throws { pb = try FilePlaybookHarness() }
    override func tearDown() { pb.remove() }

    func testFetchLayoutFlatMissingAndIdempotence() throws {
        let src = try pb.write("remote/a.txt", "hello\n")
        let play = """
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: tree
              fetch: src=\(src) dest=\(pb.path)/fetched
            - name: flat
              fetch: src=\(src) dest=\(pb.path)/flat/ flat=yes
            - name: missing
              fetch: src=\(pb.path)/none dest=\(pb.path)/fetched fail_on_missing=no
            - name: bad
              fetch: src=\(src) dest=\(pb.path)/f colour=1
              ignore_errors: true
        """
        var (_, rec) = try pb.run(play)
        let tree = try XCTUnwrap(rec.results["tree"]?.first?.dictValue)
        XCTAssertEqual(tree["changed"], true)
        XCTAssertEqual(tree["dest"], .string(pb.path + "/fetched/localhost" + src))
        XCTAssertEqual(tree["checksum"], "f572d396fae9206628714fb2ce00f72e94f2258f")
        XCTAssertEqual(tree["md5sum"], "b1946ac92492d2347c6235b4d2611184")
        XCTAssertEqual(tree["remote_checksum"], "f572d396fae9206628714fb2ce00f72e94f2258f")
        XCTAssertEqual(pb.read("fetched/localhost" + src), "hello\n")
        XCTAssertEqual(pb.read("flat/a.txt"), "hello\n")
        XCTAssertEqual(rec.results["missing"]?.first?["msg"], "the remote file does not exist, not transferring, ignored")
        XCTAssertTrue(rec.results["bad"]?.first?["msg"]?.stringValue?.hasPrefix("Unsupported parameters for (fetch) module: colour") ?? false)
        var check = ExecutionOptions()
        check.check = true
        (_, rec) = try pb.run(play, options: check)
        XCTAssertEqual(rec.results["tree"]?.first?["skipped"], true)
        XCTAssertEqual(rec.results["tree"]?.first?["msg"], "check mode not (yet) supported for this module")
        (_, rec) = try pb.run(play)
        XCTAssertEqual(rec.results["tree"]?.first?["changed"], false)
        XCTAssertEqual(rec.results["tree"]?.first?["file"], .string(src))
    }
}
