import Foundation
import Jinja

extension HTTPExchange {
    /// The same request for GNU wget: `-S` logs every response's headers to stderr.
    static func wgetCommand(_ request: Request, body: String?) -> String {
        var options: [String] = ["wget", "-S", "-nv", "--content-on-error", "--tries=1", "-T", String(request.timeout),
                                 "-U", request.userAgent, "--method=" + request.method,
                                 "--max-redirect=" + (request.followRedirects ? "50" : "0")]
        if !request.validateCerts { options.append("--no-check-certificate") }
        for (name, value) in request.headers { options.append("--header=\(name): \(value)") }
        if let user = request.username {
            options += ["--user=" + user, "--password=" + (request.password ?? "")]
            if request.forceBasicAuth { options.append("--auth-no-challenge") }
        }
        if let since = request.modifiedSince { options.append("--header=If-Modified-Since: " + httpDate(since)) }
        let command = options.map(shellQuote).joined(separator: " ")
        return body.map { command + " --body-file=" + $0 } ?? command
    }

    /// Reads wget's log: indented lines are response headers (each `HTTP/` line starts a
    /// response), `Location` headers give the final URL, other lines explain failures.
    static func wgetResponse(_ exitStatus: Int, log: Data, body: Data, request: Request, elapsed: Double) -> Response {
        var blocks: [(status: Int, reason: String, headers: [(String, String)])] = []
        var messages: [String] = []
        for raw in log.split(separator: UInt8(ascii: "\n")) {
            let line = String(decoding: raw.last == UInt8(ascii: "\r") ? raw.dropLast() : raw, as: UTF8.self)
            guard line.hasPrefix("  ") else { messages.append(line); continue }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("HTTP/") {
                let parts = text.split(separator: " ", maxSplits: 2)
                blocks.append((parts.count > 1 ? Int(parts[1]) ?? 0 : 0, parts.count > 2 ? String(parts[2]) : "", []))
            } else if let colon = text.firstIndex(of: ":"), !blocks.isEmpty {
                blocks[blocks.count - 1].headers.append((String(text[..<colon]),
                                                         text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        guard let last = blocks.last else {
            let text = messages.joined(separator: " ")
            let curlLike = text.contains("Connection refused") ? 7 : text.contains("unable to resolve") ? 6 : text.contains("timed out") ? 28 : 1
            return Response(status: -1, reason: "", headers: [], url: request.url, redirects: 0, elapsed: elapsed, body: Data(),
                            error: failureText(curlStatus: curlLike, text))
        }
        var url = request.url
        for block in blocks.dropLast() {
            if let location = block.headers.last(where: { $0.0.lowercased() == "location" })?.1,
               let next = URL(string: location, relativeTo: URL(string: url))?.absoluteString {
                url = next
            }
        }
        return Response(status: last.status, reason: last.reason, headers: last.headers, url: url, redirects: blocks.count - 1,
                        elapsed: elapsed, body: body, error: nil)
    }
}
