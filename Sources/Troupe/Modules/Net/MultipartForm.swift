import Foundation
import Jinja

/// A `multipart/form-data` body as ansible-core's `prepare_multipart` builds it: fields
/// sorted by name; strings as text/plain parts; mappings with `content` inline or with
/// `filename` read from the file (base64 encoded), `mime_type` guessed from the name.
enum MultipartForm {
    /// The Content-Type header (with its boundary) and the body.
    static func encode(_ fields: Value) throws -> (String, Data) {
        guard case .dict(let dict) = fields else {
            throw ModuleFailure("failed to parse body as form-multipart: Mapping is required, cannot be type \(fields.pythonTypeName)")
        }
        let boundary = "===============" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999)) + "=="
        var body = Data()
        func line(_ text: String) { body.append(Data((text + "\r\n").utf8)) }
        for key in dict.keys.sorted() {
            let value = dict[key]!
            line("--" + boundary)
            if let text = value.stringValue {
                line("Content-Type: text/plain")
                line("Content-Disposition: form-data; name=\"\(key)\"")
                line("")
                body.append(Data(text.utf8))
                line("")
                continue
            }
            guard case .dict(let part) = value else {
                throw ModuleFailure("failed to parse body as form-multipart: value must be a string, or mapping, cannot be type \(value.pythonTypeName)")
            }
            let filename = part["filename"]?.stringValue
            let content = part["content"]?.stringValue
            guard filename != nil || content != nil else {
                throw ModuleFailure("failed to parse body as form-multipart: at least one of filename or content must be provided")
            }
            let mime = part["mime_type"]?.stringValue ?? guessType(filename ?? "")
            line("Content-Type: " + mime)
            var disposition = "Content-Disposition: form-data; name=\"\(key)\""
            if let filename { disposition += "; filename=\"\((filename as NSString).lastPathComponent)\"" }
            if let content {
                line(disposition)
                line("")
                body.append(Data(content.utf8))
            } else if let filename {
                guard let data = FileManager.default.contents(atPath: filename) else {
                    throw ModuleFailure("failed to parse body as form-multipart: [Errno 2] No such file or directory: '\(filename)'")
                }
                line("Content-Transfer-Encoding: base64")
                line(disposition)
                line("")
                body.append(Data(data.base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed]).utf8))
            }
            line("")
        }
        line("--" + boundary + "--")
        return ("multipart/form-data; boundary=\"\(boundary)\"", body)
    }

    /// Python's `mimetypes.guess_type` for the common extensions.
    private static func guessType(_ name: String) -> String {
        let types = ["txt": "text/plain", "json": "application/json", "html": "text/html", "htm": "text/html", "csv": "text/csv",
                     "xml": "application/xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
                     "pdf": "application/pdf", "zip": "application/zip", "gz": "application/gzip", "tar": "application/x-tar",
                     "sh": "application/x-sh", "yml": "application/yaml", "yaml": "application/yaml", "js": "text/javascript"]
        return types[(name as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
    }
}
