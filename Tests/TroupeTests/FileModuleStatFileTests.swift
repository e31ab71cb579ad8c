import Foundation
import XCTest
import Jinja
@testable import Troupe

final class FileModuleStatFileTests: XCTestCase {
    var box: FileModuleSandbox!
    override func setUpWithError() throws { box = try FileModuleSandbox() }
    override func tearDown() { box.remove() }

    func testStatRegularFileAndSymlink() throws {
        try box.write("a.txt", "hello\n", mode: 0o640)
        symlink("a.txt", box.path("l"))
        let r = try box.run(StatModule(), ["path": .string(box.path("a.txt"))])
        XCTAssertEqual(r["changed"], false)
        let s = try XCTUnwrap(r["stat"]?.dictValue)
        XCTAssertEqual(s["exists"], true)
        XCTAssertEqual(s["isreg"], true)
        XCTAssertEqual(s["isdir"], false)
        XCTAssertEqual(s["mode"], "0640")
        XCTAssertEqual(s["size"], 6)
        XCTAssertEqual(s["checksum"], "f572d396fae9206628714fb2ce00f72e94f2258f")
        XCTAssertEqual(s["path"], .string(box.path("a.txt")))
        XCTAssertEqual(s["rusr"], true)
        XCTAssertEqual(s["woth"], false)
        XCTAssertNotNil(s["mtime"]?.doubleValue)
        XCTAssertEqual(s["pw_name"]?.stringValue, NSUserName())

        let md5 = try box.run(StatModule(), ["path": .string(box.path("a.txt")), "checksum_algorithm": "md5"])
        XCTAssertEqual(md5["stat"]?["checksum"], "b1946ac92492d2347c6235b4d2611184")

        let link = try XCTUnwrap(try box.run(StatModule(), ["path": .string(box.path("l"))])["stat"]?.dictValue)
        XCTAssertEqual(link["islnk"], true)
        XCTAssertEqual(link["lnk_target"], "a.txt")
        XCTAssertEqual(link["lnk_source"], .string(box.path("a.txt")))
        XCTAssertNil(link["checksum"])
        let followed = try XCTUnwrap(try box.run(StatModule(), ["path": .string(box.path("l")), "follow": true])["stat"]?.dictValue)
        XCTAssertEqual(followed["isreg"], true)
        XCTAssertEqual(followed["islnk"], false)

        let missing = try box.run(StatModule(), ["path": .string(box.path("nope"))])
        XCTAssertEqual(missing["stat"], ["exists": false])
    }

    func testStatRejectsUnknownParameterAndBadChoice() throws {
        let r = try box.run(StatModule(), ["path": "/tmp", "bogus": 1])
        XCTAssertTrue(r.isFailed)
        XCTAssertTrue(r["msg"]?.stringValue?.hasPrefix("Unsupported parameters for (stat) module: bogus.") ?? false)
        let c = try box.run(StatModule(), ["path": "/tmp", "checksum_algorithm": "crc"])
        XCTAssertEqual(c["msg"], "value of checksum_algorithm must be one of: md5, sha1, sha224, sha256, sha384, sha512, got: crc")
    }

    func testModeParser() throws {
        XCTAssertEqual(try ModeParser.resolve("0644", current: 0, isDirectory: false), 0o644)
        XCTAssertEqual(try ModeParser.resolve(.int(0o600), current: 0, isDirectory: false), 0o600)
        XCTAssertEqual(try ModeParser.resolve("u+x", current: 0o600, isDirectory: false), 0o700)
        XCTAssertEqual(try ModeParser.resolve("u=rwx,g=rx,o=", current: 0o666, isDirectory: false), 0o750)
        XCTAssertEqual(try ModeParser.resolve("a+X", current: 0o644, isDirectory: true), 0o755)
        XCTAssertEqual(try ModeParser.resolve("a+X", current: 0o644, isDirectory: false), 0o644)
        XCTAssertEqual(try ModeParser.resolve("+w", current: 0o444, isDirectory: false, umask: 0o022), 0o644)
        XCTAssertEqual(try ModeParser.resolve("g=u", current: 0o700, isDirectory: false), 0o770)
        XCTAssertEqual(try ModeParser.resolve("u+s,o+t", current: 0o755, isDirectory: false), 0o5755)
        XCTAssertThrowsError(try ModeParser.resolve("z+x", current: 0, isDirectory: false))
        XCTAssertThrowsError(try ModeParser.resolve("0100644", current: 0, isDirectory: false))
    }

    func testTouchThenFileModeChecksAndDiff() throws {
        let p = box.path("t")
        let checked = try box.run(FileModule(), ["path": .string(p), "state": "touch"], check: true)
        XCTAssertTrue(checked.isChanged)
        XCTAssertFalse(box.exists("t"))

        let first = try box.run(FileModule(), ["path": .string(p), "state": "touch", "mode": "0600"], diff: true)
        XCTAssertTrue(first.isChanged)
        XCTAssertEqual(first["dest"], .string(p))
        XCTAssertEqual(first["state"], "file")
        XCTAssertEqual(first["mode"], "0600")
        XCTAssertEqual(first["diff"]?["before"]?["state"], "absent")
        XCTAssertEqual(first["diff"]?["after"]?["state"], "touch")
        XCTAssertEqual(box.mode("t"), 0o600)

        let symbolic = try box.run(FileModule(), ["path": .string(p), "mode": "u+x"], diff: true)
        XCTAssertTrue(symbolic.isChanged)
        XCTAssertEqual(symbolic["diff"], ["before": ["path": .string(p), "mode": "0600"], "after": ["path": .string(p), "mode": "0700"]])
        XCTAssertEqual(symbolic["state"], "file")
        XCTAssertEqual(box.mode("t"), 0o700)

        let again = try box.run(FileModule(), ["path": .string(p), "mode": "u+x"])
        XCTAssertFalse(again.isChanged)
        XCTAssertNil(again["diff"])

        let predicted = try box.run(FileModule(), ["path": .string(p), "mode": "0644"], check: true)
        XCTAssertTrue(predicted.isChanged)
        XCTAssertEqual(box.mode("t"), 0o700)

        let missing = try box.run(FileModule(), ["path": .string(box.path("none"))])
        XCTAssertTrue(missing.isFailed)
        XCTAssertEqual(missing["msg"], .string("file (\(box.path("none"))) is absent, cannot continue"))

        let bad = try box.run(FileModule(), ["path": .string(p), "mode": "999"])
        XCTAssertEqual(bad["msg"], "mode must be in octal or symbolic form")
        XCTAssertEqual(bad["details"], "bad symbolic permission for mode: 999")
        XCTAssertEqual(bad["state"], "file")
        XCTAssertEqual(bad["mode"], "0700")
        let owner = try box.run(FileModule(), ["path": .string(p), "owner": "nosuchuser_troupe"], check: true)
        XCTAssertEqual(owner["msg"], "chown failed: failed to look up user nosuchuser_troupe")
        XCTAssertEqual(owner["path"], .string(p))
    }

    func testDirectoryRecurseAndAbsent() throws {
        let p = box.path("d/e")
        let first = try box.run(FileModule(), ["path": .string(p), "state": "directory", "mode": "0750"], diff: true)
        XCTAssertTrue(first.isChanged)
        XCTAssertEqual(first["state"], "directory")
        XCTAssertEqual(first["mode"], "0750")
        XCTAssertEqual(box.mode("d"), 0o750)
        XCTAssertEqual(first["diff"]?["after"]?["state"], "directory")
        let second = try box.run(FileModule(), ["path": .string(p), "state": "directory", "mode": "0750"])
        XCTAssertFalse(second.isChanged)

        try box.write("d/e/f.txt", "x", mode: 0o644)
        let rec = try box.run(FileModule(), ["path": .string(box.path("d")), "state": "directory", "recurse": true, "mode": "u=rwX,g=rX,o="])
        XCTAssertTrue(rec.isChanged)
        XCTAssertEqual(box.mode("d/e/f.txt"), 0o640)
        XCTAssertEqual(box.mode("d/e"), 0o750)
        XCTAssertFalse(try box.run(FileModule(), ["path": .string(box.path("d")), "state": "directory", "recurse": true, "mode": "u=rwX,g=rX,o="]).isChanged)

        let conflict = try box.run(FileModule(), ["path": .string(box.path("d/e/f.txt")), "state": "directory"])
        XCTAssertEqual(conflict["msg"], .string("\(box.path("d/e/f.txt")) already exists as a file"))

        let checkAbsent = try box.run(FileModule(), ["path": .string(box.path("d")), "state": "absent"], check: true, diff: true)
        XCTAssertTrue(checkAbsent.isChanged)
        XCTAssertEqual(checkAbsent["diff"]?["before"]?["path_content"],
                       ["directories": [.string(box.path("d/e"))], "files": [.string(box.path("d/e/f.txt"))]])
        XCTAssertTrue(box.exists("d/e/f.txt"))
        let absent = try box.run(FileModule(), ["path": .string(box.path("d")), "state": "absent"])
        XCTAssertTrue(absent.isChanged)
        XCTAssertEqual(absent["state"], "absent")
        XCTAssertFalse(box.exists("d"))
        XCTAssertEqual(try box.run(FileModule(), ["path": .string(box.path("d")), "state": "absent"]),
                       ["path": .string(box.path("d")), "changed": false, "state": "absent"])
    }

    func testSymlinkAndHardlink() throws {
        try box.write("target", "t")
        let link = box.path("ln")
        let first = try box.run(FileModule(), ["path": .string(link), "src": .string(box.path("target")), "state": "link"], diff: true)
        XCTAssertTrue(first.isChanged)
        XCTAssertEqual(first["state"], "link")
        XCTAssertEqual(first["dest"], .string(link))
        XCTAssertEqual(first["src"], .string(box.path("target")))
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), box.path("target"))
        XCTAssertFalse(try box.run(FileModule(), ["path": .string(link), "src": .string(box.path("target")), "state": "link"]).isChanged)

        let retarget = try box.run(FileModule(), ["path": .string(link), "src": "target", "state": "link"], diff: true)
        XCTAssertTrue(retarget.isChanged)
        XCTAssertEqual(retarget["diff"]?["after"]?["src"], "target")
        let missingSrc = try box.run(FileModule(), ["path": .string(box.path("ln2")), "src": "nothere", "state": "link"])
        XCTAssertEqual(missingSrc["msg"], .string("src file does not exist, use 'force=yes' if you really want to create the link: \(box.path("nothere"))"))
        let forced = try box.run(FileModule(), ["path": .string(box.path("ln2")), "src": "nothere", "state": "link", "force": true])
        XCTAssertTrue(forced.isChanged)
        XCTAssertNil(forced["state"], "a dangling link gets no path info, as os.path.exists is false")

        let hard = try box.run(FileModule(), ["path": .string(box.path("hard")), "src": .string(box.path("target")), "state": "hard"])
        XCTAssertTrue(hard.isChanged)
        XCTAssertEqual(hard["state"], "hard")
        XCTAssertFalse(try box.run(FileModule(), ["path": .string(box.path("hard")), "src": .string(box.path("target")), "state": "hard"]).isChanged)
    }

    func testTouchTimestampsAndPreserve() throws {
        let p = box.path("ts")
        let r = try box.run(FileModule(), ["path": .string(p), "state": "touch", "modification_time": "202001021030.15",
                                           "access_time": "preserve"])
        XCTAssertTrue(r.isChanged)
        let attrs = try FileManager.default.attributesOfItem(atPath: p)
        let date = try XCTUnwrap(attrs[.modificationDate] as? Date)
        var comps = Calendar.current.dateComponents(in: TimeZone.current, from: date)
        XCTAssertEqual([comps.year, comps.month, comps.day, comps.hour, comps.minute, comps.second], [2020, 1, 2, 10, 30, 15])
        comps = DateComponents()
        let same = try box.run(FileModule(), ["path": .string(p), "state": "file", "modification_time": "202001021030.15"])
        XCTAssertFalse(same.isChanged)
        let bad = try box.run(FileModule(), ["path": .string(p), "state": "file", "modification_time": "yesterday"])
        XCTAssertTrue(bad.isFailed)
    }

    func testOwnerAndGroupChangeWithNumericDiff() throws {
        try XCTSkipUnless(getuid() == 0, "changing ownership needs root")
        try box.write("owned", "x")
        let p = Value.string(box.path("owned"))
        let r = try box.run(FileModule(), ["path": p, "owner": "nobody", "group": "nogroup"], diff: true)
        XCTAssertTrue(r.isChanged)
        XCTAssertEqual(r["owner"], "nobody")
        XCTAssertEqual(r["group"], "nogroup")
        XCTAssertEqual(r["diff"]?["before"]?["owner"], 0)
        XCTAssertEqual(r["diff"]?["after"]?["owner"], .int(Int(getpwnam("nobody")!.pointee.pw_uid)))
        XCTAssertFalse(try box.run(FileModule(), ["path": p, "owner": "nobody", "group": "nogroup"]).isChanged)
        let numeric = try box.run(FileModule(), ["path": p, "owner": "0"])
        XCTAssertTrue(numeric.isChanged)
        XCTAssertEqual(numeric["owner"], "root")
    }
}
