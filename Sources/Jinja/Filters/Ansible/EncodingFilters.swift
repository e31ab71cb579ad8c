import Foundation

/// Ansible's encoding filters: base64, digests, password hashes, UUIDs, shell quoting
/// and URL handling.
enum EncodingFilters {
    /// Ansible's namespace for `to_uuid` (uuid5).
    static let ansibleNamespace = "361E6D51-FAEC-444A-9079-341386DA8E2E"

    static var all: [String: Filter] {
        [
            "b64encode": Filter(b64encode),
            "b64decode": Filter(b64decode),
            "hash": Filter(hash),
            "md5": Filter { v, _, _ in .string(Digest.hexDigest(FilterSupport.text(v), .md5)) },
            "sha1": Filter { v, _, _ in .string(Digest.hexDigest(FilterSupport.text(v), .sha1)) },
            "checksum": Filter { v, _, _ in .string(Digest.hexDigest(FilterSupport.text(v), .sha1)) },
            "password_hash": Filter(passwordHash),
            "to_uuid": Filter(toUUID),
            "quote": Filter { v, _, _ in .string(shellQuote(v.isNull ? "" : FilterSupport.text(v))) },
            "urlsplit": Filter(urlsplit),
            "urldecode": Filter { v, _, _ in .string(urlUnquote(FilterSupport.text(v), plusAsSpace: true)) },
        ]
    }

    static func b64encode(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let encoding = FilterSupport.string(a.value(0, "encoding"), "utf-8")
        let urlsafe = FilterSupport.bool(a.value(1, "urlsafe"), false)
        var text = Data(try encode(FilterSupport.text(v), encoding)).base64EncodedString()
        if urlsafe { text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_") }
        return .string(text)
    }

    static func b64decode(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let encoding = FilterSupport.string(a.value(0, "encoding"), "utf-8")
        let urlsafe = FilterSupport.bool(a.value(1, "urlsafe"), false)
        var text = FilterSupport.text(v)
        if urlsafe { text = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") }
        // Python's b64decode discards characters outside the alphabet before decoding.
        let kept = text.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/" || $0 == "=") }
        let data = kept.prefix { $0 != "=" }
        let padding = kept.dropFirst(data.count).prefix { $0 == "=" }.count
        if data.count % 4 == 1 {
            throw FilterSupport.filterError("Invalid base64-encoded string: number of data characters (\(data.count)) cannot be 1 more than a multiple of 4")
        }
        let needed = (4 - data.count % 4) % 4
        guard padding >= needed, let bytes = Data(base64Encoded: String(data) + String(repeating: "=", count: needed)) else {
            throw FilterSupport.filterError("Incorrect padding")
        }
        return .string(try decode(Array(bytes), encoding))
    }

    /// Python's `str.encode` for the codecs people pass to the b64 filters.
    static func encode(_ text: String, _ encoding: String) throws -> [UInt8] {
        switch normalisedCodec(encoding) {
        case "utf8": return Array(text.utf8)
        case "utf16": return [0xFF, 0xFE] + utf16Bytes(text, bigEndian: false)
        case "utf16le": return utf16Bytes(text, bigEndian: false)
        case "utf16be": return utf16Bytes(text, bigEndian: true)
        case "latin1", "iso88591", "ascii":
            let limit: UInt32 = normalisedCodec(encoding) == "ascii" ? 0x7F : 0xFF
            return try text.unicodeScalars.map { scalar in
                guard scalar.value <= limit else {
                    throw FilterSupport.filterError("'\(encoding)' codec can't encode character '\(scalar)'")
                }
                return UInt8(scalar.value)
            }
        default: throw FilterSupport.filterError("unknown encoding: \(encoding)")
        }
    }

    /// Python's `bytes.decode` for the same codecs (invalid UTF-8 becomes U+FFFD).
    static func decode(_ bytes: [UInt8], _ encoding: String) throws -> String {
        switch normalisedCodec(encoding) {
        case "utf8": return String(decoding: bytes, as: UTF8.self)
        case "utf16", "utf16le", "utf16be":
            var units = bytes
            var bigEndian = normalisedCodec(encoding) == "utf16be"
            if normalisedCodec(encoding) == "utf16", units.count >= 2 {
                if units[0] == 0xFF, units[1] == 0xFE { units.removeFirst(2) }
                else if units[0] == 0xFE, units[1] == 0xFF { units.removeFirst(2); bigEndian = true }
            }
            var codeUnits: [UInt16] = []
            var i = 0
            while i + 1 < units.count {
                let first = UInt16(units[i]), second = UInt16(units[i + 1])
                codeUnits.append(bigEndian ? (first << 8) | second : (second << 8) | first)
                i += 2
            }
            return String(decoding: codeUnits, as: UTF16.self)
        case "latin1", "iso88591", "ascii":
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        default: throw FilterSupport.filterError("unknown encoding: \(encoding)")
        }
    }

    private static func normalisedCodec(_ name: String) -> String {
        name.lowercased().filter { $0.isLetter || $0.isNumber }
    }

    private static func utf16Bytes(_ text: String, bigEndian: Bool) -> [UInt8] {
        text.utf16.flatMap { unit -> [UInt8] in
            bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
    }

    static func hash(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let name = FilterSupport.string(a.value(0, "hashtype"), "sha1")
        guard let algorithm = Digest.Algorithm(rawValue: name.lowercased()) else {
            throw FilterSupport.filterError("unsupported hash type \(name)")
        }
        return .string(Digest.hexDigest(FilterSupport.text(v), algorithm))
    }

    static func passwordHash(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let type = FilterSupport.string(a.value(0, "hashtype"), "sha512")
        let aliases = ["md5": "md5", "md5_crypt": "md5", "sha256": "sha256", "sha256_crypt": "sha256",
                       "sha512": "sha512", "sha512_crypt": "sha512"]
        if type == "blowfish" || type == "bcrypt" {
            throw FilterSupport.filterError("bcrypt (blowfish) password hashes are not supported by this implementation")
        }
        guard let schemeName = aliases[type], let scheme = PasswordHash.Scheme(rawValue: schemeName) else {
            throw FilterSupport.filterError("\(type) is not in the list of supported passlib algorithms: md5, blowfish, sha256, sha512")
        }
        let salt = a.value(1, "salt").flatMap { $0.isNull ? nil : $0.pythonString }
        let saltSize = try a.value(2, "salt_size").flatMap { size -> Int? in
            if size.isNull { return nil }
            // ansible-core wants a Python int (a bool passes, as isinstance(True, int) does).
            guard let n = size.intValue else { throw JinjaError(.type, "salt_size must be an integer") }
            return n
        }
        let rounds = try a.value(3, "rounds").flatMap { $0.isNull ? nil : try FilterSupport.int($0, 5000, name: "rounds") }
        let effectiveSalt = salt ?? PasswordHash.randomSalt(length: saltSize ?? scheme.maxSaltLength)
        return .string(try PasswordHash.hash(FilterSupport.text(v), scheme: scheme, salt: effectiveSalt, rounds: rounds))
    }

    /// Parses "xxxxxxxx-xxxx-…" into 16 bytes.
    static func uuidBytes(_ text: String) -> [UInt8]? {
        var hex = text.lowercased().replacingOccurrences(of: "-", with: "")
        if hex.hasPrefix("urn:uuid:") { hex.removeFirst(9) }
        hex = hex.trimmingCharacters(in: CharacterSet(charactersIn: "{}"))
        guard hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let b = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(b)
            index = next
        }
        return bytes
    }

    /// RFC 4122 version-5 UUID of `name` in `namespace`.
    static func uuid5(namespace: [UInt8], name: String) -> String {
        var digest = Array(Digest.sha1(namespace + Array(name.utf8)).prefix(16))
        digest[6] = (digest[6] & 0x0f) | 0x50
        digest[8] = (digest[8] & 0x3f) | 0x80
        let hex = Digest.hex(digest)
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { r in
            String(hex[hex.index(hex.startIndex, offsetBy: r.lowerBound)..<hex.index(hex.startIndex, offsetBy: r.upperBound)])
        }
        return parts.joined(separator: "-")
    }

    static func toUUID(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let namespace = FilterSupport.string(a.value(0, "namespace"), ansibleNamespace)
        guard let bytes = uuidBytes(namespace) else {
            throw FilterSupport.filterError("Invalid value '\(namespace)' for 'namespace': badly formed hexadecimal UUID string")
        }
        return .string(uuid5(namespace: bytes, name: FilterSupport.text(v)))
    }

    /// Python's `shlex.quote`.
    static func shellQuote(_ s: String) -> String { ShellQuoting.quote(s) }

    /// Python's `urllib.parse.unquote` / `unquote_plus`.
    static func urlUnquote(_ s: String, plusAsSpace: Bool) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(s.utf8)
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            if b == UInt8(ascii: "%"), i + 2 < utf8.count,
               let v = UInt8(String(decoding: utf8[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                bytes.append(v); i += 3
            } else {
                bytes.append(plusAsSpace && b == UInt8(ascii: "+") ? UInt8(ascii: " ") : b); i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Python's `urllib.parse.urlsplit` plus the derived attributes Ansible exposes.
    static func splitURL(_ url: String) throws -> OrderedDict {
        var rest = Substring(url)
        var scheme = ""
        if let colon = rest.firstIndex(of: ":"), let first = rest.first, first.isLetter,
           rest[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) {
            scheme = rest[..<colon].lowercased()
            rest = rest[rest.index(after: colon)...]
        }
        var netloc = ""
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
            netloc = String(rest[..<end])
            rest = rest[end...]
        }
        var fragment = ""
        if let hash = rest.firstIndex(of: "#") { fragment = String(rest[rest.index(after: hash)...]); rest = rest[..<hash] }
        var query = ""
        if let q = rest.firstIndex(of: "?") { query = String(rest[rest.index(after: q)...]); rest = rest[..<q] }
        var username: Value = .null, password: Value = .null, hostname: Value = .null, port: Value = .null
        if !netloc.isEmpty {
            var hostPart = Substring(netloc)
            if let at = netloc.lastIndex(of: "@") {
                let userInfo = netloc[..<at]
                hostPart = netloc[netloc.index(after: at)...]
                if let colon = userInfo.firstIndex(of: ":") {
                    username = .string(String(userInfo[..<colon]))
                    password = .string(String(userInfo[userInfo.index(after: colon)...]))
                } else {
                    username = .string(String(userInfo))
                }
            }
            var host = hostPart
            var portText: Substring?
            if hostPart.hasPrefix("["), let close = hostPart.firstIndex(of: "]") {
                host = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
                let after = hostPart[hostPart.index(after: close)...]
                if after.hasPrefix(":") { portText = after.dropFirst() }
            } else if let colon = hostPart.lastIndex(of: ":") {
                host = hostPart[..<colon]
                portText = hostPart[hostPart.index(after: colon)...]
            }
            if !host.isEmpty { hostname = .string(host.lowercased()) }
            if let portText, !portText.isEmpty {
                guard let p = Int(portText), (0...65535).contains(p) else {
                    throw JinjaError(.value, "Port could not be cast to integer value as \(Value.string(String(portText)).pythonRepr)")
                }
                port = .int(p)
            }
        }
        return OrderedDict([("fragment", .string(fragment)), ("hostname", hostname), ("netloc", .string(netloc)),
                            ("password", password), ("path", .string(String(rest))), ("port", port),
                            ("query", .string(query)), ("scheme", .string(scheme)), ("username", username)])
    }

    static func urlsplit(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let parts = try splitURL(FilterSupport.text(v))
        let query = FilterSupport.string(a.value(0, "query"), "")
        guard !query.isEmpty else { return .dict(parts) }
        guard let part = parts[query] else { throw FilterSupport.filterError("urlsplit: unknown URL component: \(query)") }
        return part
    }
}

/// POSIX shell quoting exactly as Python's `shlex.quote` (the `quote` filter; the engine
/// quotes command words with it too).
public enum ShellQuoting {
    private static let safe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@%+=:,./-_")

    /// `s` as one shell word: unchanged when it only has safe characters, else single-quoted.
    public static func quote(_ s: String) -> String {
        if s.isEmpty { return "''" }
        if s.allSatisfy({ safe.contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\"'\"'") + "'"
    }
}
