import XCTest
import Jinja
@testable import Troupe

/// `uri` and `get_url` on an SSH lab host, talking to a test HTTP server on the
/// controller's loopback through the host's curl.
final class NetModuleTests: XCTestCase {
    static var lab: SSHLab?
    static var server: LocalHTTPServer?

    override class func setUp() {
        super.setUp()
        lab = try? SSHLab.start(hostCount: 1)
        server = try? LocalHTTPServer()
        try? server?.write("data.json", #"{"a": 1, "b": [1, 2]}"#)
        try? server?.write("hello.txt", "hello\n")
    }

    override class func tearDown() {
        lab?.stop()
        lab = nil
        server?.stop()
        server = nil
        super.tearDown()
    }

    private func setup() throws -> (SSHLab, LocalHTTPServer) {
        let lab = try Self.lab ?? SSHLab.start(hostCount: 1)
        guard let server = Self.server else { throw XCTSkip("the test HTTP server did not start") }
        return (lab, server)
    }

    func testURIReturnsStatusHeadersJSONAndContent() throws {
        let (lab, server) = try setup()
        let r = try LabPlaybook.run("""
        - hosts: target
          gather_facts: false
          tasks:
            - name: json
              uri: {url: "\(server.base)/data.json"}
            - name: text
              uri: {url: "\(server.base)/hello.txt", return_content: true}
            - name: post json
              uri: {url: "\(server.base)/echo", method: POST, body_format: json, body: {x: 1}, http_agent: troupe-test}
            - name: post form
              uri: {url: "\(server.base)/echo", method: POST, body_format: form-urlencoded, body: {name: a b, n: 2}}
            - name: redirect
              uri: {url: "\(server.base)/redirect", return_content: true}
            - name: missing
              uri: {url: "\(server.base)/nothere"}
              ignore_errors: true
            - name: expected 404
              uri: {url: "\(server.base)/nothere", status_code: [404]}
            - name: auth
              uri: {url: "\(server.base)/auth", url_username: user, url_password: secret, force_basic_auth: true, return_content: true}
            - name: bad parameter
              uri: {url: "\(server.base)/", foo: 1}
              ignore_errors: true
            - name: checked
              uri: {url: "\(server.base)/echo", method: POST}
              check_mode: true
            - name: multipart
              uri:
                url: "\(server.base)/echo"
                method: POST
                body_format: form-multipart
                body:
                  text: hello
                  upload: {filename: upload.txt, mime_type: text/plain}
                  inline: {content: abc, filename: inline.txt}
            - name: src
              uri: {url: "\(server.base)/echo", method: PUT, src: upload.txt}
        """, lab: lab, files: ["files/upload.txt": "uploaded\n"])
        let multipart = r.result("multipart")["json"]
        XCTAssertTrue(multipart?["content_type"]?.stringValue?.hasPrefix("multipart/form-data; boundary=") ?? false, "\(String(describing: multipart))")
        let form = multipart?["body"]?.stringValue ?? ""
        for expected in ["name=\"text\"\r\n\r\nhello", "name=\"upload\"; filename=\"upload.txt\"", "dXBsb2FkZWQK",
                         "name=\"inline\"; filename=\"inline.txt\"\r\n\r\nabc"] {
            XCTAssertTrue(form.contains(expected), "\(expected) in \(form)")
        }
        XCTAssertEqual(r.result("src")["json"]?["body"], "uploaded\n")
        XCTAssertEqual(r.result("checked")["skipped"], true)
        XCTAssertEqual(r.result("checked")["msg"], "This action (uri) does not support check mode.")
        let json = r.result("json")
        XCTAssertEqual(json["status"], 200)
        XCTAssertEqual(json["json"], ["a": 1, "b": [1, 2]])
        XCTAssertEqual(json["content_type"], "application/json")
        XCTAssertEqual(json["msg"], "OK (21 bytes)")
        XCTAssertEqual(json["redirected"], false)
        XCTAssertEqual(json["changed"], false)
        XCTAssertNil(json["content"])
        XCTAssertEqual(r.result("text")["content"], "hello\n")
        let post = r.result("post json")["json"]
        XCTAssertEqual(post?["method"], "POST")
        XCTAssertEqual(post?["body"], #"{"x": 1}"#)
        XCTAssertEqual(post?["content_type"], "application/json")
        XCTAssertEqual(post?["agent"], "troupe-test")
        XCTAssertEqual(r.result("post json")["cookies"], ["session": "abc"])
        XCTAssertEqual(r.result("post form")["json"]?["body"], "name=a+b&n=2")
        XCTAssertEqual(r.result("post form")["json"]?["content_type"], "application/x-www-form-urlencoded")
        XCTAssertEqual(r.result("redirect")["redirected"], true)
        XCTAssertEqual(r.result("redirect")["url"], .string("\(server.base)/hello.txt"))
        XCTAssertEqual(r.result("redirect")["content"], "hello\n")
        XCTAssertEqual(r.result("missing")["msg"], "Status code was 404 and not [200]: HTTP Error 404: File not found")
        XCTAssertEqual(r.result("missing")["failed"], true)
        XCTAssertEqual(r.result("expected 404")["status"], 404)
        XCTAssertNil(r.result("expected 404")["failed"])
        XCTAssertEqual(r.result("auth")["content"], "ok")
        XCTAssertTrue(r.result("bad parameter")["msg"]?.stringValue?.hasPrefix(
            "Unsupported parameters for (ansible.legacy.uri) module: foo. Supported parameters include: attributes, body, body_format, ca_path,") ?? false)
    }

    func testURIConnectionFailureAndDest() throws {
        let (lab, server) = try setup()
        let dest = lab.workDirectory + "/uri-\(UUID().uuidString)"
        let r = try LabPlaybook.run("""
        - hosts: target
          gather_facts: false
          tasks:
            - name: refused
              uri: {url: "http://127.0.0.1:1/x"}
              ignore_errors: true
            - name: save
              uri: {url: "\(server.base)/hello.txt", dest: "\(dest)", mode: "0600"}
        """, lab: lab)
        XCTAssertEqual(r.result("refused")["status"], -1)
        XCTAssertEqual(r.result("refused")["msg"], "Status code was -1 and not [200]: Request failed: <urlopen error [Errno 111] Connection refused>")
        XCTAssertEqual(r.result("save")["changed"], true)
        XCTAssertEqual(r.result("save")["mode"], "0600")
        XCTAssertEqual(r.result("save")["path"], .string(dest))
        XCTAssertEqual(try String(contentsOfFile: dest, encoding: .utf8), "hello\n")
    }

    func testGetURLFirstRunSecondRunCheckModeAndChecksum() throws {
        let (lab, server) = try setup()
        let dest = lab.workDirectory + "/get-\(UUID().uuidString)"
        let playbook = """
        - hosts: target
          gather_facts: false
          tasks:
            - name: get
              get_url: {url: "\(server.base)/hello.txt", dest: "\(dest)", mode: "0640"}
        """
        let checked = try LabPlaybook.run(playbook, lab: lab, check: true)
        XCTAssertEqual(checked.result("get")["changed"], true, "\(checked.result("get"))")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dest), "check mode downloads nothing")

        let first = try LabPlaybook.run(playbook, lab: lab)
        let got = first.result("get")
        XCTAssertEqual(got["changed"], true, "\(got)")
        XCTAssertEqual(got["checksum_src"], "f572d396fae9206628714fb2ce00f72e94f2258f")
        XCTAssertEqual(got["md5sum"], "b1946ac92492d2347c6235b4d2611184")
        XCTAssertEqual(got["status_code"], 200)
        XCTAssertEqual(got["mode"], "0640")
        XCTAssertEqual(try String(contentsOfFile: dest, encoding: .utf8), "hello\n")

        let second = try LabPlaybook.run(playbook, lab: lab)
        XCTAssertEqual(second.result("get")["changed"], false)
        XCTAssertEqual(second.result("get")["status_code"], 304)
        XCTAssertEqual(second.result("get")["msg"], "HTTP Error 304: Not Modified")

        let verified = try LabPlaybook.run("""
        - hosts: target
          gather_facts: false
          tasks:
            - name: same checksum
              get_url: {url: "\(server.base)/hello.txt", dest: "\(dest)", checksum: "sha1:f572d396fae9206628714fb2ce00f72e94f2258f"}
            - name: wrong checksum
              get_url: {url: "\(server.base)/hello.txt", dest: "\(dest)-2", checksum: "sha256:0000"}
              ignore_errors: true
            - name: into a directory
              get_url: {url: "\(server.base)/data.json", dest: "\(lab.workDirectory)/"}
            - name: not found
              get_url: {url: "\(server.base)/nothere", dest: "\(dest)-3"}
              ignore_errors: true
            - name: bad parameter
              get_url: {url: "\(server.base)/hello.txt", dest: "\(dest)", bogus: 1}
              ignore_errors: true
        """, lab: lab)
        XCTAssertEqual(verified.result("same checksum")["msg"], "file already exists")
        XCTAssertEqual(verified.result("same checksum")["changed"], false)
        XCTAssertTrue(verified.result("wrong checksum")["msg"]?.stringValue?.contains(
            "did not match 0000; it was 5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.") ?? false)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dest + "-2"))
        XCTAssertEqual(verified.result("into a directory")["dest"], .string(lab.workDirectory + "/data.json"))
        XCTAssertEqual(verified.result("not found")["msg"], "Request failed")
        XCTAssertEqual(verified.result("not found")["response"], "HTTP Error 404: File not found")
        XCTAssertTrue(verified.result("bad parameter")["msg"]?.stringValue?.hasPrefix(
            "Unsupported parameters for (get_url) module: bogus. Supported parameters include: attributes, backup, checksum,") ?? false)
    }

    func testWgetIsUsedWhenTheHostHasNoCurl() throws {
        let (lab, server) = try setup()
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wget") else { throw XCTSkip("no wget on the lab host") }
        // A PATH with the tools the modules use, but no curl.
        let bin = NSTemporaryDirectory() + "troupe-nocurl-\(UUID().uuidString)"
        let tools = "sh dash bash mktemp cat rm wget sha1sum md5sum sha256sum cut mv chmod chown chgrp stat id head grep sed ls "
            + "readlink date getent find test env tr awk mawk cp touch mkdir dirname basename wc sort uname true false ln realpath"
        _ = try SSHLab.sh("mkdir -p \(bin) && cd \(bin) && for f in \(tools); do [ -e /usr/bin/$f ] && ln -s /usr/bin/$f .; done; chmod 755 \(bin)")
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let dest = lab.workDirectory + "/wget-\(UUID().uuidString)"
        let r = try LabPlaybook.run("""
        - hosts: target
          gather_facts: false
          environment: {PATH: "\(bin)"}
          tasks:
            - name: json
              uri: {url: "\(server.base)/data.json"}
            - name: post
              uri: {url: "\(server.base)/echo", method: PUT, body: raw text}
            - name: redirect
              uri: {url: "\(server.base)/redirect"}
            - name: missing
              uri: {url: "\(server.base)/nothere"}
              ignore_errors: true
            - name: download
              get_url: {url: "\(server.base)/hello.txt", dest: "\(dest)"}
            - name: again
              get_url: {url: "\(server.base)/hello.txt", dest: "\(dest)"}
        """, lab: lab)
        XCTAssertEqual(r.result("json")["json"], ["a": 1, "b": [1, 2]])
        XCTAssertEqual(r.result("json")["msg"], "OK (21 bytes)")
        XCTAssertEqual(r.result("post")["json"]?["method"], "PUT")
        XCTAssertEqual(r.result("post")["json"]?["body"], "raw text")
        XCTAssertEqual(r.result("redirect")["url"], .string("\(server.base)/hello.txt"))
        XCTAssertEqual(r.result("redirect")["redirected"], true)
        XCTAssertEqual(r.result("missing")["msg"], "Status code was 404 and not [200]: HTTP Error 404: File not found")
        XCTAssertEqual(r.result("download")["changed"], true)
        XCTAssertEqual(try String(contentsOfFile: dest, encoding: .utf8), "hello\n")
        XCTAssertEqual(r.result("again")["changed"], false)
        XCTAssertEqual(r.result("again")["status_code"], 304)
    }
}
