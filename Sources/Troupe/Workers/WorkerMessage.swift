import Foundation
import Jinja

/// The messages between the controller and a worker process: one JSON document per
/// frame, each frame preceded by its byte length as a 4-byte big-endian integer.
enum WorkerMessage {
    struct Request {
        var id: Int
        var invocation: ModuleInvocation
        var spec: ConnectionSpec
        /// "run" or "reset".
        var kind: String
    }

    enum Response {
        case result(id: Int, Value)
        case unreachable(id: Int, String)
    }

    static func encode(_ request: Request) -> Value {
        var d = OrderedDict()
        d["id"] = .int(request.id)
        d["kind"] = .string(request.kind)
        let inv = request.invocation
        d["module"] = .string(inv.module)
        d["args"] = .dict(inv.args)
        d["host"] = .string(inv.host)
        d["check"] = .bool(inv.checkMode)
        d["diff"] = .bool(inv.diff)
        if let b = inv.become {
            var bd = OrderedDict()
            bd["method"] = .string(b.method)
            bd["user"] = .string(b.user)
            if let e = b.exe { bd["exe"] = .string(e) }
            if let f = b.flags { bd["flags"] = .string(f) }
            if let p = b.password { bd["password"] = .string(p) }
            d["become"] = .dict(bd)
        }
        d["env"] = .dict(OrderedDict(inv.environment.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        if let t = inv.timeout { d["timeout"] = .float(t) }
        if inv.tracesCommands { d["trace"] = true }
        if let a = inv.asyncJob { d["async"] = ["limit": .int(a.limit), "dir": .string(a.directory)] }
        if let c = inv.custom {
            var cd = OrderedDict()
            cd["name"] = .string(c.name)
            cd["data"] = .string(c.data.base64EncodedString())
            if let p = c.pythonInterpreter { cd["python"] = .string(p) }
            if let f = c.payloadFQN { cd["fqn"] = .string(f) }
            if c.noLog { cd["no_log"] = true }
            if c.verbosity > 0 { cd["verbosity"] = .int(c.verbosity) }
            d["custom"] = .dict(cd)
        }
        let spec = (try? JSONEncoder().encode(request.spec)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        d["spec"] = (try? Value.parseJSON(spec)) ?? .null
        return .dict(d)
    }

    static func decodeRequest(_ value: Value) throws -> Request {
        guard let id = value["id"]?.intValue, let module = value["module"]?.stringValue, let host = value["host"]?.stringValue,
              let specValue = value["spec"] else {
            throw TroupeError(.internal, "malformed worker request")
        }
        var become: BecomeSettings?
        if let b = value["become"] {
            become = BecomeSettings(method: b["method"]?.stringValue ?? "sudo", user: b["user"]?.stringValue ?? "root",
                                    exe: b["exe"]?.stringValue, flags: b["flags"]?.stringValue, password: b["password"]?.stringValue)
        }
        var env: [String: String] = [:]
        for (k, v) in value["env"]?.dictValue ?? OrderedDict() { env[k] = v.pythonString }
        var custom: CustomModuleSource?
        if let c = value["custom"], let name = c["name"]?.stringValue, let data = c["data"]?.stringValue.flatMap({ Data(base64Encoded: $0) }) {
            custom = CustomModuleSource(name: name, data: data, pythonInterpreter: c["python"]?.stringValue,
                                        payloadFQN: c["fqn"]?.stringValue)
            custom?.noLog = c["no_log"]?.isTruthy ?? false
            custom?.verbosity = c["verbosity"]?.intValue ?? 0
        }
        var invocation = ModuleInvocation(module: module, args: value["args"]?.dictValue ?? OrderedDict(), host: host,
                                          checkMode: value["check"]?.isTruthy ?? false, diff: value["diff"]?.isTruthy ?? false,
                                          become: become, environment: env, timeout: value["timeout"]?.doubleValue,
                                          asyncJob: value["async"].flatMap { a in
                                              a["limit"]?.intValue.map { AsyncJobOptions(limit: $0, directory: a["dir"]?.stringValue ?? AsyncJobOptions.defaultDirectory) }
                                          }, custom: custom)
        invocation.tracesCommands = value["trace"]?.isTruthy ?? false
        let spec = try JSONDecoder().decode(ConnectionSpec.self, from: Data(specValue.jsonString.utf8))
        return Request(id: id, invocation: invocation, spec: spec, kind: value["kind"]?.stringValue ?? "run")
    }

    static func encode(_ response: Response) -> Value {
        switch response {
        case .result(let id, let v): return ["id": .int(id), "result": v]
        case .unreachable(let id, let msg): return ["id": .int(id), "unreachable": .string(msg)]
        }
    }

    static func decodeResponse(_ value: Value) -> Response? {
        guard let id = value["id"]?.intValue else { return nil }
        if let msg = value["unreachable"]?.stringValue { return .unreachable(id: id, msg) }
        return .result(id: id, value["result"] ?? .null)
    }

    /// Writes one frame.
    static func write(_ value: Value, to handle: FileHandle) throws {
        let body = Data(value.jsonString.utf8)
        var length = UInt32(body.count).bigEndian
        var frame = Data(bytes: &length, count: 4)
        frame.append(body)
        try handle.write(contentsOf: frame)
    }

    /// Reads one frame; nil at end of stream.
    static func read(from handle: FileHandle) throws -> Value? {
        guard let header = try readExactly(4, from: handle) else { return nil }
        let length = header.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }.bigEndian
        guard let body = try readExactly(Int(length), from: handle) else { return nil }
        return try Value.parseJSON(String(decoding: body, as: UTF8.self))
    }

    private static func readExactly(_ count: Int, from handle: FileHandle) throws -> Data? {
        var data = Data()
        while data.count < count {
            guard let chunk = try handle.read(upToCount: count - data.count), !chunk.isEmpty else { return nil }
            data.append(chunk)
        }
        return data
    }
}
