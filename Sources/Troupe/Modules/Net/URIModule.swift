import Foundation
import Jinja

/// `uri`: an HTTP request made on the host (with its curl), returning the status,
/// headers (lower-cased, `-` → `_`), `json` for JSON responses and `content` on request.
public struct URIModule: RemoteModule {
    /// The module's name, "uri".
    public let name = "uri"
    /// Ansible runs uri through its action plugin, which names the module `ansible.legacy.uri`.
    public var parameterErrorName: String { "ansible.legacy.uri" }
    /// uri's action plugin refuses check mode itself, with its own wording.
    public var checkModeSkipMessage: String { "This action (uri) does not support check mode." }

    /// Ansible's `uri` parameters (url, method, body, status_code …) plus the file arguments for `dest`.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("url", required: true), .init("dest", .path), .init("url_username", aliases: ["user"]),
            .init("url_password", aliases: ["password"], noLog: true), .init("body", .raw),
            .init("body_format", default: "raw", choices: ["form-urlencoded", "json", "raw", "form-multipart"]),
            .init("src", .path), .init("method", default: "GET"), .init("return_content", .bool, default: false),
            .init("follow_redirects", default: "safe", choices: ["all", "no", "none", "safe", "urllib2", "yes"]),
            .init("creates", .path), .init("removes", .path), .init("status_code", .list, default: [200], elements: .int),
            .init("timeout", .int, default: 30), .init("headers", .dict, default: [:]), .init("unix_socket", .path),
            .init("remote_src", .bool, default: false), .init("ca_path", .path),
            .init("unredirected_headers", .list, default: [], elements: .str), .init("decompress", .bool, default: true),
            .init("ciphers", .list, elements: .str), .init("use_netrc", .bool, default: true),
            .init("force", .bool, default: false), .init("http_agent", default: "ansible-httpget"),
            .init("use_proxy", .bool, default: true), .init("validate_certs", .bool, default: true),
            .init("force_basic_auth", .bool, default: false), .init("client_cert", .path), .init("client_key", .path),
            .init("use_gssapi", .bool, default: false), .init("_troupe_local_src"),
        ] + FileAttributesHelper.parameters, mutuallyExclusive: [["body", "src"]])
    }

    /// Makes the request; fails when the status is not in `status_code`.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let url = args["url"]?.stringValue ?? ""
        let method = (args["method"]?.stringValue ?? "GET").uppercased()
        guard method.range(of: "^[A-Z]+$", options: .regularExpression) != nil else {
            throw ModuleFailure("Parameter 'method' needs to be a single word in uppercase, like GET or POST.")
        }
        let statusCodes = (args["status_code"]?.listValue ?? [200]).compactMap(\.intValue)
        var headers = (args["headers"]?.dictValue ?? OrderedDict()).map { ($0.key, $0.value.pythonString) }
        let hasContentType = headers.contains { $0.0.lowercased() == "content-type" }
        var body: Data?
        let format = args["body_format"]?.stringValue ?? "raw"
        if let given = args["body"] {
            switch format {
            case "json":
                body = Data((given.stringValue ?? given.jsonString).utf8)
                if !hasContentType { headers.append(("Content-Type", "application/json")) }
            case "form-urlencoded":
                body = Data((given.stringValue ?? HTTPExchange.formEncode(given)).utf8)
                if !hasContentType { headers.append(("Content-Type", "application/x-www-form-urlencoded")) }
            case "form-multipart":
                let (contentType, data) = try MultipartForm.encode(given)
                body = data
                headers.removeAll { $0.0.lowercased() == "content-type" }
                headers.append(("Content-Type", contentType))
            default:
                body = Data((given.stringValue ?? given.pythonString).utf8)
            }
        }
        let ops = RemoteFileOps(connection, invocation)
        if let creates = args["creates"]?.stringValue, try connection.stat(creates, followLinks: true) != nil {
            return ["changed": false, "stdout": .string("skipped, since '\(creates)' exists")]
        }
        if let removes = args["removes"]?.stringValue, try connection.stat(removes, followLinks: true) == nil {
            return ["changed": false, "stdout": .string("skipped, since '\(removes)' does not exist")]
        }
        var request = HTTPExchange.Request(url: url)
        request.method = method
        request.headers = headers
        request.body = body
        if let src = args["src"]?.stringValue {
            if args["remote_src"]?.boolValue ?? false {
                request.bodyFile = src
            } else {
                // The action found the file among the play's files; the worker runs on the controller.
                let local = args["_troupe_local_src"]?.stringValue ?? src
                guard let data = FileManager.default.contents(atPath: local) else {
                    throw ModuleFailure("Could not find or access '\(src)' on the Ansible Controller.")
                }
                request.body = data
            }
        }
        request.username = args["url_username"]?.stringValue
        request.password = args["url_password"]?.stringValue
        request.forceBasicAuth = args["force_basic_auth"]?.boolValue ?? false
        let follow = args["follow_redirects"]?.stringValue ?? "safe"
        request.followRedirects = ["all", "yes", "urllib2"].contains(follow) || (follow == "safe" && ["GET", "HEAD"].contains(method))
        request.timeout = args["timeout"]?.intValue ?? 30
        request.validateCerts = args["validate_certs"]?.boolValue ?? true
        request.userAgent = args["http_agent"]?.stringValue ?? "ansible-httpget"

        var dest = args["dest"]?.stringValue
        if let d = dest, let st = try connection.stat(d, followLinks: true), st.kind == .directory {
            dest = d + "/" + ((URL(string: url)?.lastPathComponent).flatMap { $0.isEmpty || $0 == "/" ? nil : $0 } ?? "index.html")
        }
        // As Ansible's uri: an existing dest makes the request conditional (a 304 then fails unless expected).
        if let d = dest, let st = try connection.stat(d, followLinks: true) { request.modifiedSince = st.mtime }
        let staging = dest.map { ($0 as NSString).deletingLastPathComponent + "/.troupe-uri-\(UUID().uuidString)" }
        request.output = staging
        let response = try HTTPExchange.perform(request, connection: connection, invocation: invocation)

        var result = URIModule.responseFields(response, requestURL: url)
        let contentType = response.headers.last { $0.0.lowercased() == "content-type" }?.1 ?? "application/octet-stream"
        let subtype = contentType.split(separator: ";").first.map { $0.split(separator: "/").last.map(String.init) ?? "" } ?? ""
        let suffix = subtype.contains("+") ? String(subtype.split(separator: "+").last ?? "") : subtype
        let maybeJSON = ["json", "javascript"].contains(suffix.lowercased().trimmingCharacters(in: .whitespaces))
        let text = String(decoding: response.body, as: UTF8.self)
        let returnContent = args["return_content"]?.boolValue ?? false

        if let dest, let staging {
            if statusCodes.contains(response.status) && response.status != 304 {
                try ops.mustRun("mv -f -- \(shellQuote(staging)) \(shellQuote(dest))", "failed to write \(dest)")
                result["changed"] = true
                let stat = try ops.stat(dest)
                var diff = FileDiff(path: dest)
                _ = try FileAttributesHelper(args).apply(to: dest, stat: stat, ops: ops, checkMode: false, diff: &diff)
                FileAttributesHelper.pathInfo(try ops.stat(dest), into: &result)
            } else {
                _ = try? ops.shell("rm -f -- \(shellQuote(staging))")
                result["path"] = .string(dest)
            }
        }
        if maybeJSON, dest == nil, let parsed = try? Value.parseJSON(text) { result["json"] = parsed }
        if !statusCodes.contains(response.status) {
            let listed = "[" + statusCodes.map(String.init).joined(separator: ", ") + "]"
            var failure = result
            failure["msg"] = .string("Status code was \(response.status) and not \(listed): \(result["msg"]?.stringValue ?? "")")
            if returnContent { failure["content"] = .string(text) }
            failure["failed"] = true
            return .dict(failure)
        }
        if returnContent { result["content"] = .string(dest == nil ? text : "") }
        return .dict(result)
    }

    /// The keys every uri/get_url response reports: headers, `msg`, `status`, `url`, cookies.
    static func responseFields(_ response: HTTPExchange.Response, requestURL: String) -> OrderedDict {
        var r = OrderedDict()
        r["changed"] = false
        r["redirected"] = .bool(response.url != requestURL)
        r["elapsed"] = .int(Int(response.elapsed))
        r["status"] = .int(response.status)
        r["url"] = .string(response.status == -1 ? requestURL : response.url)
        if let error = response.error, response.status == -1 {
            r["msg"] = .string(error)
            return r
        }
        var cookies = OrderedDict()
        for (name, value) in response.headers {
            let key = name.lowercased().replacingOccurrences(of: "-", with: "_")
            // Repeated headers are joined as Python's http.client joins them.
            if let existing = r[key]?.stringValue, !["status", "url", "msg", "elapsed", "redirected", "changed"].contains(key) {
                r[key] = .string(existing + ", " + value)
            } else {
                r[key] = .string(value)
            }
            if key == "set_cookie", let pair = value.split(separator: ";").first, let eq = pair.firstIndex(of: "=") {
                cookies[String(pair[..<eq]).trimmingCharacters(in: .whitespaces)] = .string(String(pair[pair.index(after: eq)...]))
            }
        }
        if let location = r["location"]?.stringValue, let base = URL(string: response.url),
           let absolute = URL(string: location, relativeTo: base)?.absoluteString {
            r["location"] = .string(absolute)
        }
        // urllib raises for every status its redirect handling leaves (3xx not followed, 4xx, 5xx).
        if response.status >= 300 {
            r["msg"] = .string("HTTP Error \(response.status): \(response.reason)")
        } else {
            let length = response.headers.last { $0.0.lowercased() == "content-length" }?.1 ?? "unknown"
            r["msg"] = .string("OK (\(length) bytes)")
            r["cookies"] = .dict(cookies)
            r["cookies_string"] = .string(cookies.map { "\($0.key)=\($0.value.stringValue ?? "")" }.joined(separator: "; "))
        }
        return r
    }
}
