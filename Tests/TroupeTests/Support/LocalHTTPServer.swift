import Foundation
import XCTest

/// A small HTTP server on 127.0.0.1 for the uri/get_url tests (Python's http.server on
/// the controller; the lab hosts reach it over loopback). GET serves files from
/// `directory`; `/echo` answers any method with the request as JSON; `/redirect` sends
/// a 302 to `/hello.txt`; `/auth` wants basic auth `user:secret`.
final class LocalHTTPServer {
    let directory: String
    let port: Int
    private let process: Process

    var base: String { "http://127.0.0.1:\(port)" }

    private static let script = #"""
    import base64, http.server, json, os, sys
    class H(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a): pass
        def answer(self):
            if self.path.startswith('/echo'):
                n = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(n).decode() if n else ''
                out = json.dumps({'method': self.command, 'body': body, 'content_type': self.headers.get('Content-Type'),
                                  'agent': self.headers.get('User-Agent')}).encode()
                self.send_response(200); self.send_header('Content-Type', 'application/json')
                self.send_header('Set-Cookie', 'session=abc; Path=/')
                self.send_header('Content-Length', str(len(out))); self.end_headers(); self.wfile.write(out); return True
            if self.path == '/redirect':
                self.send_response(302); self.send_header('Location', '/hello.txt'); self.send_header('Content-Length', '0')
                self.end_headers(); return True
            if self.path == '/auth':
                if self.headers.get('Authorization') != 'Basic ' + base64.b64encode(b'user:secret').decode():
                    self.send_response(401); self.send_header('WWW-Authenticate', 'Basic realm="t"')
                    self.send_header('Content-Length', '0'); self.end_headers(); return True
                self.send_response(200); self.send_header('Content-Length', '2'); self.end_headers(); self.wfile.write(b'ok'); return True
            return False
        def do_GET(self):
            if not self.answer(): super().do_GET()
        def do_POST(self): self.answer() or self.send_error(404)
        def do_PUT(self): self.answer() or self.send_error(404)
    os.chdir(sys.argv[2])
    http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
    """#

    init() throws {
        directory = NSTemporaryDirectory() + "troupe-http-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("no python3 on the controller for the test HTTP server")
        }
        for attempt in 0..<5 {
            let candidate = Int.random(in: 20000...45000)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: python)
            p.arguments = ["-c", Self.script, String(candidate), directory]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline && p.isRunning {
                if Self.connectable(candidate) {
                    port = candidate
                    process = p
                    return
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            p.terminate()
            if attempt == 4 { break }
        }
        throw XCTSkip("could not start the test HTTP server")
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func connectable(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
