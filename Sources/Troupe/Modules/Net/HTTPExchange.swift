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
        /// A `file:` URL was read: there was no HTTP exchange (get_url reports no status code).
        var isFile = false
    }

    static let headersMarker = Data("\n--troupe-http-headers--\n".utf8)
    static let errorMarker = Data("\n--troupe-http-error--\n".utf8)
    static let bodyMarker = Data("\n--troupe-http-body--\n".utf8)

    /// Runs the request through `connection` with the host's curl, or its wget when it has
    /// no curl; throws ``ModuleFailure`` when it has neither.
    static func perform(_ request: Request, connection: Connection, invocation: ModuleInvocation) throws -> Response {
        // A HEAD has no body to keep (and curl -I would write the headers into the output).
        let output = request.method == "HEAD" ? "/dev/null" : request.output.map(shellQuote) ?? "\"$t/b\""
        let bodySource: String? = request.body != nil ? "\"$t/req\"" : request.bodyFile.map(shellQuote)
        let script = """
        t=$(mktemp -d "${TMPDIR:-/tmp}/troupe-http.XXXXXX") || exit 1
        \(request.body != nil ? "cat > \"$t/req\"" : ":")
        if command -v curl >/dev/null 2>&1; then
          \(curlCommand(request, body: bodySource)) -D "$t/h" -o \(output) -w '%{http_code} %{num_redirects} %{time_total} %{url_effective}' -- \(shellQuote(request.url)) > "$t/w" 2> "$t/e"
          printf '%s ' "$?"; cat "$t/w"
          printf '\\n--troupe-http-headers--\\n'; cat "$t/h" 2>/dev/null
          printf '\\n--troupe-http-error--\\n'; cat "$t/e"
        elif command -v wget >/dev/null 2>&1; then
          \(wgetCommand(request, body: bodySource)) -O \(output) -- \(shellQuote(request.url)) 2> "$t/e"
          printf '%s wget' "$?"
          printf '\\n--troupe-http-headers--\\n'; cat "$t/e"
          printf '\\n--troupe-http-error--\\n'
        else
          echo troupe-no-http-client; rm -rf "$t"; exit 0
        fi
        printf '\\n--troupe-http-body--\\n'; \(request.output == nil ? "cat \"$t/b\" 2>/dev/null" : ":")
        rm -rf "$t"
        """
        let start = Date()
        let result = try connection.run(CommandRequest(.shell(script), stdin: request.body, environment: invocation.environment,
                                                       become: invocation.become, timeout: invocation.timeout))
        let out = result.stdout
        if out.starts(with: Data("troupe-no-http-client".utf8)) {
            throw ModuleFailure("curl or wget is required on the host to make HTTP requests, and neither was found in its PATH")
        }
        guard let h = out.range(of: headersMarker), let e = out.range(of: errorMarker, in: h.upperBound..<out.endIndex),
              let b = out.range(of: bodyMarker, in: e.upperBound..<out.endIndex) else {
            throw ModuleFailure("Request failed: \(String(decoding: result.stderr, as: UTF8.self))")
        }
        let summary = String(decoding: out[out.startIndex..<h.lowerBound], as: UTF8.self).split(separator: " ", maxSplits: 4)
        let exitStatus = summary.first.flatMap { Int($0) } ?? 1
        let headerData = Data(out[h.upperBound..<e.lowerBound])
        let body = Data(out[b.upperBound...])
        if summary.count == 2 && summary[1] == "wget" {
            return wgetResponse(exitStatus, log: headerData, body: body, request: request, elapsed: Date().timeIntervalSince(start))
        }
        let code = summary.count > 1 ? Int(summary[1]) ?? 0 : 0
        let redirects = summary.count > 2 ? Int(summary[2]) ?? 0 : 0
        let elapsed = summary.count > 3 ? Double(summary[3]) ?? 0 : 0
        let effective = summary.count > 4 ? String(summary[4]) : request.url
        let (reason, headers) = parseHeaders(headerData)
        let errorText = String(decoding: out[e.upperBound..<b.lowerBound], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if request.url.lowercased().hasPrefix("file:") {
            // No status for files: urllib's file handler either opens the file or fails.
            guard exitStatus == 0 else {
                let path = URL(string: request.url)?.path ?? request.url
                return Response(status: -1, reason: "", headers: [], url: request.url, redirects: 0, elapsed: elapsed, body: Data(),
                                error: "Request failed: <urlopen error [Errno 2] No such file or directory: '\(path)'>")
            }
            return Response(status: 200, reason: "OK", headers: headers, url: effective, redirects: 0, elapsed: elapsed, body: body,
                            error: nil, isFile: true)
        }
        if exitStatus != 0 && code == 0 {
            return Response(status: -1, reason: "", headers: [], url: request.url, redirects: 0, elapsed: elapsed, body: Data(),
                            error: failureText(curlStatus: exitStatus, errorText))
        }
        return Response(status: code, reason: reason, headers: headers, url: effective, redirects: redirects, elapsed: elapsed,
                        body: body, error: exitStatus == 0 ? nil : failureText(curlStatus: exitStatus, errorText))
    }

    private static func curlCommand(_ request: Request, body: String?) -> String {
        var options: [String] = ["-sS", "-A", request.userAgent, "--max-time", String(request.timeout)]
        options += request.method == "HEAD" ? ["-I"] : ["-X", request.method]
        if request.followRedirects { options += ["-L", "--max-redirs", "50"] }
        if !request.validateCerts { options.append("-k") }
        for (name, value) in request.headers { options += ["-H", "\(name): \(value)"] }
        if let user = request.username {
            options += [request.forceBasicAuth ? "--basic" : "--anyauth", "-u", "\(user):\(request.password ?? "")"]
        }
        if let since = request.modifiedSince { options += ["-z", httpDate(since)] }
        let command = (["curl"] + options).map(shellQuote).joined(separator: " ")
        return body.map { command + " --data-binary @" + $0 } ?? command
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
    static func failureText(curlStatus: Int, _ text: String) -> String {
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
