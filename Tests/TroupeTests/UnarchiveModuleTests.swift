import XCTest
import Jinja
@testable import Troupe

/// `unarchive` on an SSH lab host: tar.gz, tar.bz2 and zip archives from the controller
/// and from the host, first run, second run, check mode, attributes and bad parameters.
final class UnarchiveModuleTests: XCTestCase {
    static var lab: SSHLab?

    override class func setUp() {
        super.setUp()
        lab = try? SSHLab.start(hostCount: 1)
    }

    override class func tearDown() {
        lab?.stop()
        lab = nil
        super.tearDown()
    }

    /// Built once: rebuilding would give the members new mtimes, which tar rightly reports as changes.
    static var builtArchives: [String: Data]?

    /// Archives of a small tree (a.txt, sub/b.txt) in `files/`, as the playbook's files.
    private func archives() throws -> [String: Data] {
        if let built = Self.builtArchives { return built }
        let dir = NSTemporaryDirectory() + "troupe-archive-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/tree/sub", withIntermediateDirectories: true)
        try "one\n".write(toFile: dir + "/tree/a.txt", atomically: true, encoding: .utf8)
        try "two\n".write(toFile: dir + "/tree/sub/b.txt", atomically: true, encoding: .utf8)
        let out = try SSHLab.sh("""
        cd \(dir)/tree && tar czf ../t.tgz . && tar cjf ../t.tbz2 . && zip -qr ../t.zip . && echo built
        """)
        guard out.contains("built") else { throw XCTSkip("tar/zip are not available on the controller: \(out)") }
        var files: [String: Data] = [:]
        for name in ["t.tgz", "t.tbz2", "t.zip"] {
            files["files/\(name)"] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        }
        Self.builtArchives = files
        return files
    }

    private func run(_ tasks: String, lab: SSHLab, check: Bool = false) throws -> LabPlaybook {
        let playbook = """
        - hosts: target
          gather_facts: false
          tasks:
        \(tasks)
        """
        return try LabPlaybook.run(playbook, lab: lab, binaryFiles: try archives(), check: check)
    }

    func testTarballFirstRunSecondRunCheckModeAndAttributes() throws {
        let lab = try Self.lab ?? SSHLab.start(hostCount: 1)
        let dest = lab.workDirectory + "/untar-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        _ = try SSHLab.sh("chown \(SSHLab.user) \(dest)")
        let tasks = """
            - name: unpack
              unarchive: {src: t.tgz, dest: "\(dest)", list_files: true, mode: "u=rwX,g=rX,o="}
        """
        let checked = try run(tasks, lab: lab, check: true)
        XCTAssertEqual(checked.result("unpack")["skipped"], true, "tar archives are skipped in check mode, as in Ansible")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dest + "/a.txt"))

        let first = try run(tasks, lab: lab)
        let r = first.result("unpack")
        XCTAssertEqual(r["changed"], true, "\(r)")
        XCTAssertEqual(r["handler"], "TgzArchive")
        XCTAssertEqual(Set(r["files"]?.listValue?.compactMap(\.stringValue) ?? []), ["./", "./sub/", "./sub/b.txt", "./a.txt"])
        XCTAssertEqual(r["extract_results"]?["rc"], 0)
        XCTAssertEqual(try String(contentsOfFile: dest + "/sub/b.txt", encoding: .utf8), "two\n")
        let mode = try FileManager.default.attributesOfItem(atPath: dest + "/a.txt")[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o640)

        let second = try run(tasks, lab: lab)
        XCTAssertEqual(second.result("unpack")["changed"], false, "\(second.result("unpack"))")
        XCTAssertNil(second.result("unpack")["extract_results"])
    }

    func testZipAndRemoteSourcesAndErrors() throws {
        let lab = try Self.lab ?? SSHLab.start(hostCount: 1)
        let dest = lab.workDirectory + "/unzip-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        _ = try SSHLab.sh("chown \(SSHLab.user) \(dest)")
        let zipTask = """
            - name: unzip
              unarchive: {src: t.zip, dest: "\(dest)"}
        """
        let predicted = try run(zipTask, lab: lab, check: true)
        XCTAssertEqual(predicted.result("unzip")["changed"], true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dest + "/a.txt"), "check mode unpacks nothing")
        let first = try run(zipTask, lab: lab)
        XCTAssertEqual(first.result("unzip")["changed"], true, "\(first.result("unzip"))")
        XCTAssertEqual(first.result("unzip")["handler"], "ZipArchive")
        XCTAssertEqual(try String(contentsOfFile: dest + "/a.txt", encoding: .utf8), "one\n")
        try "changed\n".write(toFile: dest + "/sub/b.txt", atomically: true, encoding: .utf8)
        let repaired = try run(zipTask, lab: lab)
        XCTAssertEqual(repaired.result("unzip")["changed"], true, "a modified member is unpacked again")
        XCTAssertEqual(try String(contentsOfFile: dest + "/sub/b.txt", encoding: .utf8), "two\n")
        let again = try run(zipTask, lab: lab)
        XCTAssertEqual(again.result("unzip")["changed"], false)

        let remote = lab.workDirectory + "/remote-\(UUID().uuidString).tbz2"
        let fresh = lab.workDirectory + "/fresh-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: fresh, withIntermediateDirectories: true)
        _ = try SSHLab.sh("chown \(SSHLab.user) \(fresh)")
        let errors = try run("""
            - name: copy to host
              copy: {src: t.tbz2, dest: "\(remote)"}
            - name: remote source
              unarchive: {src: "\(remote)", dest: "\(fresh)", remote_src: true, creates: "\(fresh)/none", exclude: [./a.txt]}
            - name: creates
              unarchive: {src: "\(remote)", dest: "\(dest)", remote_src: true, creates: "\(dest)/a.txt"}
            - name: not a directory
              unarchive: {src: t.tgz, dest: "\(dest)/a.txt"}
              ignore_errors: true
            - name: missing remote source
              unarchive: {src: /nonexistent.tgz, dest: "\(dest)", remote_src: true}
              ignore_errors: true
            - name: bad parameter
              unarchive: {src: t.tgz, dest: "\(dest)", bogus: 1}
              ignore_errors: true
        """, lab: lab)
        XCTAssertEqual(errors.result("remote source")["handler"], "TarArchive")
        XCTAssertEqual(errors.result("remote source")["changed"], true)
        XCTAssertTrue(FileManager.default.fileExists(atPath: fresh + "/sub/b.txt"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh + "/a.txt"), "excluded members stay out")
        XCTAssertEqual(errors.result("creates")["skipped"], true)
        XCTAssertEqual(errors.result("creates")["msg"], .string("skipped, since \(dest)/a.txt exists"))
        XCTAssertEqual(errors.result("not a directory")["msg"], .string("dest '\(dest)/a.txt' must be an existing dir"))
        XCTAssertEqual(errors.result("missing remote source")["msg"], "Source '/nonexistent.tgz' does not exist")
        XCTAssertEqual(errors.result("bad parameter")["msg"], "Unsupported parameters for (ansible.legacy.unarchive) module: bogus. Supported parameters include: attributes, copy, creates, decrypt, dest, exclude, extra_opts, group, include, io_buffer_size, keep_newer, list_files, mode, owner, remote_src, selevel, serole, setype, seuser, src, unsafe_writes, validate_certs (attr).")
    }
}
