import Foundation
import Jinja

/// `get_url`: downloads a URL on the host (with its curl) into `dest` (a file, or a
/// directory to name the file in), replacing it only when the content differs; verifies
/// `checksum`; conditional on the existing file's mtime unless `force`.
public struct GetURLModule: RemoteModule {
    /// The module's name, "get_url".
    public let name = "get_url"
    /// Check mode asks with HEAD and predicts from the checksums, as Ansible's module does.
    public var supportsCheckMode: Bool { true }

    /// Ansible's `get_url` parameters plus the file arguments.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("url", required: true), .init("dest", .path, required: true), .init("backup", .bool, default: false),
            .init("checksum", default: ""), .init("timeout", .int, default: 10), .init("headers", .dict),
            .init("tmp_dest", .path), .init("unredirected_headers", .list, default: [], elements: .str),
            .init("decompress", .bool, default: true), .init("ciphers", .list, elements: .str),
            .init("use_netrc", .bool, default: true), .init("force", .bool, default: false),
            .init("http_agent", default: "ansible-httpget"), .init("use_proxy", .bool, default: true),
            .init("validate_certs", .bool, default: true), .init("url_username", aliases: ["username"]),
            .init("url_password", aliases: ["password"], noLog: true), .init("force_basic_auth", .bool, default: false),
            .init("client_cert", .path), .init("client_key", .path), .init("use_gssapi", .bool, default: false),
        ] + FileAttributesHelper.parameters)
    }

    /// Downloads when needed; `changed` only when `dest`'s content or attributes changed.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let url = args["url"]?.stringValue ?? ""
        var dest = args["dest"]?.stringValue ?? ""
        var force = args["force"]?.boolValue ?? false
        let ops = RemoteFileOps(connection, invocation)
        var result = OrderedDict()
        result["changed"] = false
        result["checksum_dest"] = .null
        result["checksum_src"] = .null
        result["dest"] = .string(dest)
        result["elapsed"] = 0
        result["url"] = .string(url)

        var algorithm = "sha1"
        var expected = ""
        if let given = args["checksum"]?.stringValue, !given.isEmpty {
            guard let colon = given.firstIndex(of: ":") else {
                throw ModuleFailure("The checksum parameter has to be in format <algorithm>:<checksum>", result)
            }
            algorithm = String(given[..<colon]).lowercased()
            expected = String(given[given.index(after: colon)...])
            if expected.range(of: "^[a-z]+://", options: .regularExpression) != nil {
                expected = try checksumFromList(at: expected, for: url, args: args, connection: connection, invocation: invocation)
            }
            expected = expected.replacingOccurrences(of: "\\W+", with: "", options: .regularExpression).lowercased()
            guard !expected.isEmpty, expected.allSatisfy(\.isHexDigit) else {
                throw ModuleFailure("The checksum format is invalid", result)
            }
            guard RemoteFileOps.checksumPrograms[algorithm] != nil else {
                throw ModuleFailure("Could not hash file '\(dest)' with algorithm '\(algorithm)'. Available algorithms: md5, sha1, sha224, sha256, sha384, sha512")
            }
        }

        let destStat = try ops.stat(dest, follow: true)
        let destIsDir = destStat.exists && destStat.isDirectory
        var modifiedSince: Double?
        if destStat.exists && !destIsDir {
            var mismatch = false
            if !force && !expected.isEmpty {
                mismatch = try ops.checksum(dest, algorithm: algorithm) != expected
                if !mismatch {
                    var diff = FileDiff(path: dest)
                    let changed = try FileAttributesHelper(args).apply(to: dest, stat: destStat, ops: ops,
                                                                       checkMode: invocation.checkMode, diff: &diff)
                    result["changed"] = .bool(changed)
                    result["msg"] = .string(changed ? "file already exists but file attributes changed" : "file already exists")
                    FileAttributesHelper.pathInfo(try ops.stat(dest, follow: true), key: "dest", into: &result)
                    return .dict(result)
                }
            }
            modifiedSince = destStat.mtime
            if mismatch { force = true }
        }

        let directory = destIsDir ? dest : (dest as NSString).deletingLastPathComponent
        let staging = (args["tmp_dest"]?.stringValue ?? (directory.isEmpty ? "." : directory)) + "/.troupe-get_url-\(UUID().uuidString)"
        var request = HTTPExchange.Request(url: url)
        request.method = invocation.checkMode ? "HEAD" : "GET"
        request.headers = (args["headers"]?.dictValue ?? OrderedDict()).map { ($0.key, $0.value.pythonString) }
        request.username = args["url_username"]?.stringValue
        request.password = args["url_password"]?.stringValue
        request.forceBasicAuth = args["force_basic_auth"]?.boolValue ?? false
        request.timeout = args["timeout"]?.intValue ?? 10
        request.validateCerts = args["validate_certs"]?.boolValue ?? true
        request.userAgent = args["http_agent"]?.stringValue ?? "ansible-httpget"
        // urllib's file handler ignores If-Modified-Since: file URLs are always read and compared.
        let isFileURL = url.lowercased().hasPrefix("file:/")
        request.modifiedSince = force || isFileURL ? nil : modifiedSince
        request.output = staging
        let response = try HTTPExchange.perform(request, connection: connection, invocation: invocation)
        let info = URIModule.responseFields(response, requestURL: url)
        result["elapsed"] = info["elapsed"] ?? 0
        let removeStaging = { _ = try? ops.shell("rm -f -- \(shellQuote(staging))") }

        if response.status == 304 {
            removeStaging()
            var r: OrderedDict = ["url": .string(url), "dest": .string(dest), "changed": false, "msg": info["msg"] ?? "",
                                  "status_code": 304, "elapsed": result["elapsed"] ?? 0]
            FileAttributesHelper.pathInfo(try ops.stat(dest, follow: true), key: "dest", into: &r)
            return .dict(r)
        }
        if response.status == -1 {
            removeStaging()
            throw ModuleFailure(info["msg"]?.stringValue ?? "Request failed", ["url": .string(url), "dest": .string(dest), "elapsed": result["elapsed"] ?? 0])
        }
        if response.status != 200 {
            removeStaging()
            throw ModuleFailure("Request failed", ["status_code": .int(response.status), "response": info["msg"] ?? "",
                                                   "url": .string(url), "dest": .string(dest), "elapsed": result["elapsed"] ?? 0])
        }
        result["src"] = .string(staging)
        if destIsDir {
            dest = dest.hasSuffix("/") ? dest + GetURLModule.filename(response) : dest + "/" + GetURLModule.filename(response)
            result["dest"] = .string(dest)
        }

        // One round trip for every checksum: the download's sha1 (and wanted digest), dest's sha1.
        let digest = expected.isEmpty ? "" : "; \(RemoteFileOps.checksumPrograms[algorithm]!) < \"$s\" | cut -d' ' -f1"
        let sums = try ops.mustRun("""
        s=\(shellQuote(staging)); [ -f "$s" ] || : > "$s"
        \(RemoteFileOps.checksumPrograms["sha1"]!) < "$s" | cut -d' ' -f1\(digest)
        d=\(shellQuote(dest)); if [ -e "$d" ]; then \(RemoteFileOps.checksumPrograms["sha1"]!) < "$d" | cut -d' ' -f1; else echo -; fi
        """, "Could not read the downloaded file").split(separator: "\n").map(String.init)
        let sourceSum = sums.first ?? ""
        let downloaded = expected.isEmpty ? nil : (sums.count > 1 ? sums[1] : "")
        let destSum = sums.last == "-" ? nil : sums.last
        result["checksum_src"] = .string(sourceSum)
        if let destSum { result["checksum_dest"] = .string(destSum) }

        if invocation.checkMode {
            removeStaging()
            result["changed"] = .bool(destSum == nil || destSum != sourceSum)
            result["msg"] = info["msg"] ?? ""
            return .dict(result)
        }
        if let downloaded, downloaded != expected {
            removeStaging()
            throw ModuleFailure("The checksum for \(staging) did not match \(expected); it was \(downloaded).", result)
        }
        var changed = false
        if destSum != sourceSum {
            if args["backup"]?.boolValue ?? false, destSum != nil { result["backup_file"] = .string(try ops.backup(dest)) }
            try ops.mustRun("chmod \(destStat.exists && !destIsDir ? String(destStat.mode, radix: 8) : "0644") -- \(shellQuote(staging)) && mv -f -- \(shellQuote(staging)) \(shellQuote(dest))",
                            "failed to copy \(staging) to \(dest)")
            changed = true
        } else {
            removeStaging()
        }
        var diff = FileDiff(path: dest)
        let finalStat = try ops.stat(dest, follow: true)
        if try FileAttributesHelper(args).apply(to: dest, stat: finalStat, ops: ops, checkMode: false, diff: &diff) { changed = true }
        result["changed"] = .bool(changed)
        result["md5sum"] = (try ops.checksum(dest, algorithm: "md5")).map(Value.string) ?? .null
        result["msg"] = info["msg"] ?? ""
        result["status_code"] = response.isFile ? .null : .int(response.status)
        FileAttributesHelper.pathInfo(try ops.stat(dest, follow: true), key: "dest", into: &result)
        return .dict(result)
    }

    /// The name for a download into a directory: Content-Disposition's filename, else the URL's last path part.
    static func filename(_ response: HTTPExchange.Response) -> String {
        if let disposition = response.headers.last(where: { $0.0.lowercased() == "content-disposition" })?.1,
           let range = disposition.range(of: "filename=") {
            let name = disposition[range.upperBound...].split(separator: ";").first.map(String.init)?
                .trimmingCharacters(in: CharacterSet(charactersIn: "\"' ")) ?? ""
            if !name.isEmpty { return (name as NSString).lastPathComponent }
        }
        let last = URL(string: response.url)?.lastPathComponent ?? ""
        return last.isEmpty || last == "/" ? "index.html" : last
    }

    /// The checksum for `url`'s file name from a checksum list (`sha256sum` output) at `listURL`.
    private func checksumFromList(at listURL: String, for url: String, args: OrderedDict, connection: Connection,
                                  invocation: ModuleInvocation) throws -> String {
        var request = HTTPExchange.Request(url: listURL)
        request.timeout = args["timeout"]?.intValue ?? 10
        request.validateCerts = args["validate_certs"]?.boolValue ?? true
        let response = try HTTPExchange.perform(request, connection: connection, invocation: invocation)
        let filename = (URL(string: url)?.lastPathComponent ?? "")
        for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 1 && parts[0].allSatisfy(\.isHexDigit) { return String(parts[0]) }
            guard parts.count == 2 else { continue }
            let name = parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "*"))
            if (name as NSString).lastPathComponent == filename || name.hasPrefix("./") && String(name.dropFirst(2)) == filename {
                return String(parts[0])
            }
        }
        throw ModuleFailure("Unable to find a checksum for file '\(filename)' in '\(listURL)'")
    }
}
