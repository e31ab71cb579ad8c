import Foundation
import Jinja

/// Builds the payload a Python module runs as on a host: one zip holding the module, every
/// `ansible.module_utils` and collection `module_utils` file it imports (recursively,
/// taken from the controller's ansible-core and the collections paths) and a
/// `__main__.py`, so `python payload.zip` runs it with the host's standard library alone,
/// as ansible-core's AnsiballZ does. Each module is packed once per run; the payload is
/// kept in a directory of the controller that is removed when the packer is released.
public final class PythonModulePacker: @unchecked Sendable {
    /// A packed module: the zip's bytes and the name the module runs as.
    public struct Payload: Sendable {
        public var data: Data
        public var fqn: String
        public var files: [String]
    }

    private let lock = NSLock()
    /// Held while a module is packed, so hosts asking for the same module at once pack it once.
    private let packing = NSLock()
    private var cache: [String: Payload] = [:]
    private var directory: String?
    /// The controller's Python: `TROUPE_CONTROLLER_PYTHON`, else `python3` on PATH.
    private let python: String

    /// A packer using the controller's Python.
    public init(python: String? = nil) {
        self.python = python ?? ProcessInfo.processInfo.environment["TROUPE_CONTROLLER_PYTHON"] ?? "python3"
    }

    deinit {
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The payload of the module file at `path`, running as `fqn` (`ansible.modules.<name>`
    /// for library modules, `ansible_collections.<ns>.<coll>.plugins.modules.<name>` for
    /// collection modules); `collectionRoots` are directories holding `ansible_collections/`.
    public func payload(module path: String, fqn: String, collectionRoots: [String], moduleUtils: [String] = []) throws -> Payload {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let stamp = "\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)-\(attributes?[.size] ?? 0)"
        let key = [path, fqn, stamp].joined(separator: "\u{0}")
        lock.lock()
        if let known = cache[key] { lock.unlock(); return known }
        lock.unlock()
        packing.lock()
        defer { packing.unlock() }
        lock.lock()
        if let known = cache[key] { lock.unlock(); return known }
        lock.unlock()
        let out = try workDirectory() + "/" + fqn + "-" + String(SHA1.hex(Data(key.utf8)).prefix(12)) + ".zip"
        var request = OrderedDict()
        request["module"] = .string(path)
        request["fqn"] = .string(fqn)
        request["collections"] = .list(collectionRoots.map(Value.string))
        request["module_utils"] = .list(moduleUtils.map(Value.string))
        request["out"] = .string(out)
        let answer = try runPacker(Value.dict(request).jsonString)
        if let error = answer["error"]?.stringValue { throw TroupeError(.io, "Could not pack the module \(path): \(error)") }
        guard let data = FileManager.default.contents(atPath: out) else {
            throw TroupeError(.io, "Could not pack the module \(path): no payload was written")
        }
        let payload = Payload(data: data, fqn: fqn, files: answer["files"]?.listValue?.compactMap(\.stringValue) ?? [])
        lock.lock()
        cache[key] = payload
        lock.unlock()
        return payload
    }

    private func workDirectory() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let directory { return directory }
        let made = NSTemporaryDirectory() + "troupe-payloads-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: made, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        directory = made
        return made
    }

    private func runPacker(_ request: String) throws -> Value {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", PythonModulePacker.script]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw TroupeError(.io, "Could not start the controller Python (\(python)) to pack a module: \(error.localizedDescription)")
        }
        input.fileHandleForWriting.write(Data(request.utf8))
        try? input.fileHandleForWriting.close()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, let answer = try? Value.parseJSON(text) else {
            throw TroupeError(.io, "The module packer failed (controller Python \(python)): "
                              + String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return answer
    }
}
