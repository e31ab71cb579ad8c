import Foundation
import Jinja

/// `lookup('url', 'https://…', validate_certs=…, split_lines=…, headers=…, username=…, …)`:
/// the body of each URL, one value per line unless `split_lines=false`. HTTP goes through the
/// controller's `curl` (as `troupe galaxy` does), so the engine links no HTTP stack; the
/// credentials reach curl on its stdin, never on a command line another user could read.
/// `file://` URLs are read directly.
struct URLLookup: LookupPlugin {
    let name = "url"
    static let defaults: [String: Value] = [
        "validate_certs": true, "split_lines": true, "use_proxy": true, "headers": .dict(OrderedDict()), "force": false,
        "timeout": 10, "http_agent": "ansible-httpget", "force_basic_auth": false, "follow_redirects": "urllib2",
        "username": .null, "password": .null, "ca_path": .null, "unredirected_headers": .list([]), "ciphers": .null,
        "use_gssapi": false, "unix_socket": .null, "use_netrc": true,
    ]

    func run(_ terms: [Value], options: OrderedDict, context: LookupContext) throws -> [Value] {
        let params = LookupOptions(options, defaults: Self.defaults)
        var values: [Value] = []
        for term in terms {
            let url = term.pythonString
            let body = try fetch(url, params)
            if params.bool("split_lines") {
                values += Self.splitLines(body).map(Value.string)
            } else {
                values.append(.string(body))
            }
        }
        return values
    }

    /// Python's `bytes.splitlines()`: `\n`, `\r\n` and `\r` end lines; no empty last line.
    static func splitLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for character in text {
            if character == "\n" || character == "\r\n" || character == "\r" {
                lines.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The URL with its user and password hidden, as ansible's `mask_url`.
    static func masked(_ url: String) -> String {
        guard let components = URLComponents(string: url), let user = components.percentEncodedUser else { return url }
        if let password = components.percentEncodedPassword {
            return url.replacingOccurrences(of: "\(user):\(password)@", with: "****:****@")
        }
        return url.replacingOccurrences(of: "\(user)@", with: "****@")
    }

    private func fetch(_ url: String, _ params: LookupOptions) throws -> String {
        if url.hasPrefix("file://") {
            let path = URL(string: url)?.path ?? String(url.dropFirst("file://".count))
            guard let data = FileManager.default.contents(atPath: path) else {
                let reason = FileManager.default.fileExists(atPath: path) ? "[Errno 13] Permission denied" : "[Errno 2] No such file or directory"
                throw JinjaError(.runtime, "Failed lookup url for \(Self.masked(url)): <urlopen error \(reason): '\(path)'>")
            }
            return String(decoding: data, as: UTF8.self)
        }
        let lowered = url.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            throw JinjaError(.runtime, "Failed lookup url for \(Self.masked(url)): <urlopen error unknown url type: \(url.split(separator: ":").first ?? "")>")
        }
        var config = ["silent", "show-error", "url = \(Self.quoted(url))", "write-out = \"\\n%{http_code}\"",
                      "max-time = \(try params.int("timeout"))", "user-agent = \(Self.quoted(params.string("http_agent")))",
                      "proto = \"=http,https\""]
        if !params.bool("validate_certs") { config.append("insecure") }
        if let caPath = params.value("ca_path"), !caPath.isNull { config.append("cacert = \(Self.quoted(caPath.pythonString))") }
        if !params.bool("use_proxy") { config.append("noproxy = \"*\"") }
        if let socket = params.value("unix_socket"), !socket.isNull { config.append("unix-socket = \(Self.quoted(socket.pythonString))") }
        if let ciphers = params.value("ciphers"), !ciphers.isNull {
            let list = ciphers.listValue?.map(\.pythonString).joined(separator: ":") ?? ciphers.pythonString
            config.append("ciphers = \(Self.quoted(list))")
        }
        let follow = params.string("follow_redirects")
        if ["urllib2", "all", "yes", "safe"].contains(follow) { config.append("location") }
        if let username = params.value("username"), !username.isNull {
            let password = params.value("password").flatMap { $0.isNull ? nil : $0.pythonString } ?? ""
            config.append("user = \(Self.quoted(username.pythonString + ":" + password))")
            config.append("basic")
        }
        for (header, value) in params.value("headers")?.dictValue ?? OrderedDict() {
            config.append("header = \(Self.quoted("\(header): \(value.pythonString)"))")
        }
        // The response headers go to a private file: the status line's reason phrase is what
        // urllib reports in an HTTP error (a server's own wording, not a table's).
        let headerFile = NSTemporaryDirectory() + "troupe-url-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: headerFile, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw JinjaError(.runtime, "Error connecting to \(Self.masked(url)): cannot create a temporary file in \(NSTemporaryDirectory())")
        }
        defer { try? FileManager.default.removeItem(atPath: headerFile) }
        config.append("dump-header = \(Self.quoted(headerFile))")
        let (status, output, errors) = try Self.curl(config: config.joined(separator: "\n") + "\n")
        if status != 0 {
            let message = errors.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "curl: ", with: "")
            switch status {
            case 60, 35, 51, 58, 59, 77, 80, 83:
                throw JinjaError(.runtime, "Error validating the server's certificate for \(Self.masked(url)): \(message)")
            case 7:
                throw JinjaError(.runtime, "Failed lookup url for \(Self.masked(url)): <urlopen error [Errno 111] Connection refused>")
            case 6:
                throw JinjaError(.runtime, "Failed lookup url for \(Self.masked(url)): <urlopen error [Errno -2] Name or service not known>")
            case 28:
                throw JinjaError(.runtime, "Failed lookup url for \(Self.masked(url)): <urlopen error timed out>")
            default:
                throw JinjaError(.runtime, "Error connecting to \(Self.masked(url)): \(message)")
            }
        }
        // The body, then the status on the last line (--write-out).
        guard let split = output.lastIndex(of: "\n"), let code = Int(output[output.index(after: split)...]) else {
            throw JinjaError(.runtime, "Error connecting to \(Self.masked(url)): no HTTP response")
        }
        if code >= 400 {
            let headers = (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? ""
            let statusLine = headers.split(whereSeparator: \.isNewline).last { $0.hasPrefix("HTTP/") } ?? ""
            let words = statusLine.split(separator: " ", maxSplits: 2)
            let reason = words.count == 3 ? String(words[2]).trimmingCharacters(in: .whitespaces) : HTTPReason.phrase(code)
            throw JinjaError(.runtime, "Received HTTP error for \(Self.masked(url)): HTTP Error \(code): \(reason)")
        }
        return String(output[..<split])
    }

    /// A curl config value in double quotes, with `\` and `"` escaped.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    /// Runs `curl --config -` with `config` on stdin; (exit status, stdout, stderr).
    static func curl(config: String) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "--config", "-"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw JinjaError(.runtime, "the url lookup needs curl on the controller: \(error.localizedDescription)")
        }
        input.fileHandleForWriting.write(Data(config.utf8))
        try? input.fileHandleForWriting.close()
        let errorReader = ErrorOutput(errors.fileHandleForReading)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errorReader.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }
}

/// Python's `http.HTTPStatus` phrases for the statuses a lookup reports.
enum HTTPReason {
    static func phrase(_ code: Int) -> String {
        switch code {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 402: "Payment Required"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 407: "Proxy Authentication Required"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 412: "Precondition Failed"
        case 413: "Request Entity Too Large"
        case 414: "Request-URI Too Long"
        case 415: "Unsupported Media Type"
        case 416: "Requested Range Not Satisfiable"
        case 417: "Expectation Failed"
        case 418: "I'm a Teapot"
        case 422: "Unprocessable Entity"
        case 423: "Locked"
        case 424: "Failed Dependency"
        case 425: "Too Early"
        case 426: "Upgrade Required"
        case 428: "Precondition Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 451: "Unavailable For Legal Reasons"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: ""
        }
    }
}
