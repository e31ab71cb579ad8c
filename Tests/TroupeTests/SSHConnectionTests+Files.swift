import Foundation
import XCTest
@testable import Troupe

/// File transfers and privilege escalation.
extension SSHConnectionTests {
    func testPutIsAtomicWithModeAndFetchRoundTrips() throws {
        let conn = connection()
        let path = lab.workDirectory + "/put-\(UUID().uuidString).txt"
        try conn.put(Data("first version\n".utf8), to: path, attributes: FileAttributes(mode: 0o640), become: nil)
        var status = try XCTUnwrap(conn.stat(path, followLinks: true))
        XCTAssertEqual(status.kind, .file)
        XCTAssertEqual(status.mode, 0o640)
        XCTAssertEqual(status.size, 14)
        let inodeBefore = try SSHLab.sh("stat -c %i \(path)")
        try conn.put(Data("second\n".utf8), to: path, attributes: FileAttributes(), become: nil)
        XCTAssertNotEqual(try SSHLab.sh("stat -c %i \(path)"), inodeBefore, "put must replace the file by rename")
        status = try XCTUnwrap(conn.stat(path, followLinks: true))
        XCTAssertEqual(status.mode, 0o640, "an existing file keeps its mode")
        XCTAssertEqual(try conn.fetch(path, become: nil), Data("second\n".utf8))
        XCTAssertNil(try conn.stat(path + ".missing", followLinks: true))
        XCTAssertThrowsError(try conn.fetch(path + ".missing", become: nil))
        try assertLargeFileRoundTrip(conn)
        let leftovers = try SSHLab.sh("ls -A \(lab.workDirectory) | grep troupe_tmp || true")
        XCTAssertEqual(leftovers, "")
    }

    func testFilesWorkWithoutSFTPSubsystem() throws {
        let conn = connection(lab.noSFTPHost)
        let path = lab.workDirectory + "/nosftp-\(UUID().uuidString)"
        var payload = Data((0..<2000).map { UInt8($0 % 256) })
        payload.append(Data("\nend".utf8))
        try conn.put(payload, to: path, attributes: FileAttributes(mode: 0o600), become: nil)
        XCTAssertEqual(try conn.fetch(path, become: nil), payload)
        let status = try XCTUnwrap(conn.stat(path, followLinks: false))
        XCTAssertEqual(status.mode, 0o600)
        XCTAssertEqual(status.size, Int64(payload.count))
        XCTAssertNil(try conn.stat(path + ".nope", followLinks: false))
        try assertLargeFileRoundTrip(conn)
    }

    private func assertLargeFileRoundTrip(_ conn: SSHConnection, file: StaticString = #filePath, line: UInt = #line) throws {
        let local = NSTemporaryDirectory() + "troupe-ssh-\(UUID().uuidString)"
        let back = local + ".back"
        defer { unlink(local); unlink(back) }
        let content = try XCTUnwrap(FileHandle(forReadingAtPath: "/dev/urandom")?.readData(ofLength: 5 * 1024 * 1024 + 123))
        try content.write(to: URL(fileURLWithPath: local))
        let remote = lab.workDirectory + "/big-\(UUID().uuidString)"
        var start = monotonicNow()
        try conn.putFile(local, to: remote, attributes: FileAttributes(mode: 0o644), become: nil)
        print(String(format: "putFile of 5 MB on %@: %.3f s", conn.hostName, monotonicNow() - start))
        start = monotonicNow()
        try conn.fetchFile(remote, to: back, become: nil)
        print(String(format: "fetchFile of 5 MB on %@: %.3f s", conn.hostName, monotonicNow() - start))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: back)), content, file: file, line: line)
    }

    func testBecomeWithSudoWithoutPassword() throws {
        let conn = connection()
        let root = BecomeSettings()
        let result = try sh(conn, "id -u; echo $HOME; cat", stdin: Data("piped".utf8), become: root)
        XCTAssertEqual(text(result.stdout), "0\n/root\npiped")
        XCTAssertEqual(text(result.stderr), "")
        let path = lab.workDirectory + "/owned-by-root-\(UUID().uuidString)"
        try conn.put(Data("secret\n".utf8), to: path, attributes: FileAttributes(mode: 0o600), become: root)
        let status = try XCTUnwrap(conn.stat(path, followLinks: true))
        XCTAssertEqual(status.uid, 0)
        XCTAssertEqual(status.mode, 0o600)
        XCTAssertThrowsError(try conn.fetch(path, become: nil), "the login user cannot read it")
        XCTAssertEqual(try conn.fetch(path, become: root), Data("secret\n".utf8))
        let owned = lab.workDirectory + "/owned-by-daemon-\(UUID().uuidString)"
        try conn.put(Data("x".utf8), to: owned, attributes: FileAttributes(mode: 0o644, owner: "daemon", group: "daemon"), become: root)
        XCTAssertEqual(try SSHLab.sh("stat -c %U:%G:%a \(owned)"), "daemon:daemon:644\n")
    }

    func testBecomeWithSudoPassword() throws {
        let conn = connection()
        let nobody = BecomeSettings(user: "nobody", password: SSHLab.password)
        let result = try sh(conn, "id -un; cat", stdin: Data("data after password\n".utf8), become: nobody)
        XCTAssertEqual(result.rc, 0, text(result.stderr))
        XCTAssertEqual(text(result.stdout), "nobody\ndata after password\n")
        XCTAssertFalse(text(result.stderr).contains("password"), "the prompt must not leak into stderr")
        // NOPASSWD rule with a password given: the password must not reach the command's stdin.
        let root = try sh(conn, "cat", stdin: Data("only this".utf8), become: BecomeSettings(password: SSHLab.password))
        XCTAssertEqual(text(root.stdout), "only this")
        XCTAssertThrowsError(try sh(conn, "true", become: BecomeSettings(user: "nobody"))) { error in
            XCTAssertEqual((error as? BecomeError)?.message, "Missing sudo password")
        }
        XCTAssertThrowsError(try sh(conn, "true", become: BecomeSettings(user: "nobody", password: "wrong"))) { error in
            XCTAssertEqual((error as? BecomeError)?.message, "Incorrect sudo password")
        }
        XCTAssertThrowsError(try sh(conn, "true", become: BecomeSettings(user: "bin", password: SSHLab.password))) { error in
            XCTAssertTrue(error is BecomeError, "\(error)")
        }
        XCTAssertEqual(text(try sh(conn, "echo usable").stdout), "usable\n")
    }

    func testBecomeWithSu() throws {
        let conn = connection()
        let su = BecomeSettings(method: "su", user: SSHLab.user, password: SSHLab.password)
        let result = try sh(conn, "id -un; cat", stdin: Data("after the password".utf8), become: su)
        XCTAssertEqual(result.rc, 0, text(result.stderr))
        XCTAssertEqual(text(result.stdout), "\(SSHLab.user)\nafter the password")
        XCTAssertEqual(text(result.stderr), "")
        XCTAssertThrowsError(try sh(conn, "true", become: BecomeSettings(method: "su", user: SSHLab.user, password: "nope"))) { error in
            XCTAssertEqual((error as? BecomeError)?.message, "Incorrect su password")
        }
    }
}
