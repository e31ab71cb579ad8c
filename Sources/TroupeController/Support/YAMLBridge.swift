import Foundation
import Yams

/// YAML documents (variables) to JSON values.
enum YAMLBridge {
    static func object(_ text: String) -> JSONObject? {
        guard let loaded = try? Yams.load(yaml: text) else { return nil }
        return json(loaded).objectValue
    }

    static func json(_ value: Any?) -> JSON {
        switch value {
        case nil: return .null
        case let b as Bool: return .bool(b)
        case let i as Int: return .int(i)
        case let d as Double: return .double(d)
        case let s as String: return .string(s)
        case let list as [Any?]: return .array(list.map(json))
        case let map as [AnyHashable: Any?]:
            var object = JSONObject()
            for key in map.keys.map({ "\($0)" }).sorted() {
                let original = map.first { "\($0.key)" == key }?.value ?? nil
                object[key] = json(original)
            }
            return .object(object)
        case let date as Date: return .string(Timestamp.format(date))
        default: return .string(String(describing: value!))
        }
    }
}
