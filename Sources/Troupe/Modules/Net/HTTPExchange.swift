import Foundation
import Jinja

/// One HTTP request made on the host with its `curl`, in one round trip: the script
/// prints curl's exit status and write-out line, the final response's headers, curl's
/// error text and (unless the body goes to a file on the host) the body.
struct HTTPExchange {
    /// What to send.
    struct Request {
        var url: String
        var method = "GET"
        var headers: [(String, String)] = []
        var body: Data?
        /// A file on the host to send as the body (`src` with `remote_src`).
        var bodyFile: String?
        var username: String?
        var password: String?
        var forceBasicAuth = false
        var followRedirects = true
        var timeout = 30
        var validateCerts = true
        var userAgent = "ansible-httpget"
        /// A path on the host the body is written to instead of being returned.
        var output: String?
        /// Only fetch when the resource is newer than this time (`If-Modified-Since`).
        var modifiedSince: Double?
    }

    /// What came back.
    struct Response {
        /// The HTTP status; -1 when no response arrived.
        var status: Int
        var reason: String
        /// The final response's headers in their order, names as sent.
        var headers: [(String, String)]
        var url: String
        var redirects: Int
        var elapsed: Double
        var body: Data
        /// curl's error text when the request failed (`status` -1).
        var error: String?
    }

    static let headersMarker = Data("\n--troupe-http-headers--\n".utf8)
    static let errorMarker = Data("\n--troupe-http-error--\n".utf8)
    static let bodyMarker = Data("\n--troupe-http-body--\n".utf8)

    /// Runs the request through `connection`; throws ``ModuleFailure`` when the host has no curl.
    static func perform(_ request: Request, connection: Connection, invocation: ModuleInvocation) throws -> Response {
        var options: [String] = ["-sS", "-X", request.method, "-A", request.userAgent, "--max-time", String(request.timeout)]
        if request.method == "HEAD" { options = ["-sS", "-I", "-A", request.userAgent, "--max-time", String(request.timeout)] }
        if request.followRedirects { options += ["-L", "--max-redirs", "50"] }
        if !request.validateCerts { options.append("-k") }
        for (name, value) in request.headers { options += ["-H", "\(name): \(value)"] }
        if let user = request.username {
            options += [request.forceBasicAuth ? "--basic" : "--anyauth", "-u", "\(user):\(request.password ?? "")"]
        }
        if let since = request.modifiedSince {
            options += ["-z", HTTPExchange.httpDate(since)]
        }
        var stdin: Data?
        if let body = request.body {
            options += ["--data-binary", "@-"]
            stdin = body
        } else if let file = request.bodyFile {
            options += ["--data-binary", "@" + file]
        }
        // With -I curl would write the headers into the output; a HEAD has no body to keep.
        let output = request.method == "HEAD" ? "/dev/null" : request.output.map(shellQuote) ?? "\"$t/b\""
        let curl = (["curl"] + options.map(shellQuote)).joined(separator: " ")
        let script = """
        command -v curl >/dev/null 2>&1 || { echo 'troupe-no-curl'; exit 0; }
        t=$(mktemp -d "${TMPDIR:-/tmp}/troupe-http.XXXXXX") || exit 1
        \(curl) -D "$t/h" -o \(output) -w '%{http_code} %{num_redirects} %{time_total} %{url_effective}' -- \(shellQuote(request.url)) > "$t/w" 2> "$t/e"
        printf '%s ' "$?"; cat "$t/w"
        printf '\\n--troupe-http-headers--\\n'; cat "$t/h" 2>/dev/null
        printf '\\n--troupe-http-error--\\n'; cat "$t/e"
        printf '\\n--troupe-http-body--\\n'; \(request.output == nil ? "cat \"$t/b\" 2>/dev/null" : ":")
        rm -rf "$t"
        """
        let result = try connection.run(CommandRequest(.shell(script), stdin: stdin, environment: invocation.environment,
                                                       become: invocation.become, timeout: invocation.timeout))
        let out = result.stdout
        if out.starts(with: Data("troupe-no-curl".utf8)) {
            throw ModuleFailure("curl is required on the host to make HTTP requests, and none was found in its PATH")
        }
        guard let h = out.range(of: headersMarker), let e = out.range(of: errorMarker, in: h.upperBound..<out.endIndex),
              let b = out.range(of: bodyMarker, in: e.upperBound..<out.endIndex) else {
            throw ModuleFailure("Request failed: \(String(decoding: result.stderr, as: UTF8.self))")
        }
        let summary = String(decoding: out[out.startIndex..<h.lowerBound], as: UTF8.self).split(separator: " ", maxSplits: 4)
        let curlStatus = summary.first.flatMap { Int($0) } ?? 1
        let code = summary.count > 1 ? Int(summary[1]) ?? 0 : 0
        let redirects = summary.count > 2 ? Int(summary[2]) ?? 0 : 0
        let elapsed = summary.count > 3 ? Double(summary[3]) ?? 0 : 0
        let effective = summary.count > 4 ? String(summary[4]) : request.url
        let (reason, headers) = parseHeaders(Data(out[h.upperBound..<e.lowerBound]))
        let errorText = String(decoding: out[e.upperBound..<b.lowerBound], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let body = Data(out[b.upperBound...])
        if curlStatus != 0 && code == 0 {
            return Response(status: -1, reason: "", headers: [], url: request.url, redirects: 0, elapsed: elapsed, body: Data(),
                            error: failureText(curlStatus, errorText))
        }
        return Response(status: code, reason: reason, headers: headers, url: effective, redirects: redirects, elapsed: elapsed,
                        body: body, error: curlStatus == 0 ? nil : failureText(curlStatus, errorText))
    }

    /// The last response block of a `-D` dump: its reason phrase and headers.
    static func parseHeaders(_ dump: Data) -> (String, [(String, String)]) {
        var reason = ""
        var headers: [(String, String)] = []
        // Split bytes, not Characters: Swift treats "\r\n" as one Character.
        for rawLine in dump.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let line = String(decoding: rawLine.last == UInt8(ascii: "\r") ? rawLine.dropLast() : rawLine, as: UTF8.self)
            if line.hasPrefix("HTTP/") {
                // A new response (after a redirect or a 100 Continue) replaces the previous one.
                headers = []
                let parts = line.split(separator: " ", maxSplits: 2)
                reason = parts.count > 2 ? String(parts[2]) : ""
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return (reason, headers)
    }

    /// urllib's wording for the common connection failures.
    private static func failureText(_ curlStatus: Int, _ text: String) -> String {
        switch curlStatus {
        case 7: return "Request failed: <urlopen error [Errno 111] Connection refused>"
        case 6: return "Request failed: <urlopen error [Errno -2] Name or service not known>"
        case 28: return "Connection failure: The read operation timed out"
        default: return "Request failed: \(text.replacingOccurrences(of: "curl: ", with: ""))"
        }
    }

    /// RFC 1123 date for `If-Modified-Since`.
    static func httpDate(_ time: Double) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: Date(timeIntervalSince1970: time))
    }

    /// Python's `urlencode` of a dict (form-urlencoded bodies).
    static func formEncode(_ value: Value) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "_.-~")
        func enc(_ s: String) -> String {
            (s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s).replacingOccurrences(of: "%20", with: "+")
        }
        var pairs: [(String, String)] = []
        switch value {
        case .dict(let d): pairs = d.map { ($0.key, $0.value.pythonString) }
        case .list(let l):
            pairs = l.compactMap { item in
                guard let pair = item.listValue, pair.count == 2 else { return nil }
                return (pair[0].pythonString, pair[1].pythonString)
            }
        default: return value.pythonString
        }
        return pairs.map { "\(enc($0.0))=\(enc($0.1))" }.joined(separator: "&")
    }
}
