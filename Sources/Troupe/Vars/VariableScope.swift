import Foundation
import Jinja

/// The variables one task sees on one host: an ordered stack of layers, highest
/// precedence first, looked up by name. Values holding templates are rendered on first
/// use (and cached), so variables may refer to other variables; a variable that needs
/// itself raises instead of recursing forever. One scope serves one thread.
public final class VariableScope: VariableLookup {
    /// One precedence level.
    public struct Layer {
        /// The layer's variables.
        public var values: OrderedDict
        /// False for data that is never templated (facts, registered results).
        public var templated: Bool
        /// A layer; pass `templated: false` for data that must not be rendered.
        public init(_ values: OrderedDict, templated: Bool = true) {
            self.values = values
            self.templated = templated
        }
    }

    /// The precedence layers, highest first.
    public private(set) var layers: [Layer]
    /// Computed names (inventory_hostname, hostvars, groups …), consulted first.
    let magic: (String, VariableScope) -> Value?
    let templar: Templar
    /// The manager that built the scope, for lookups that need the inventory or the run.
    weak var manager: VariableManager?
    private var cache: [String: Value] = [:]
    private var resolving: Set<String> = []

    /// A scope over `layers` (highest precedence first); `magic` supplies computed names and is consulted before them.
    public init(layers: [Layer], templar: Templar, magic: @escaping (String, VariableScope) -> Value? = { _, _ in nil }) {
        self.layers = layers
        self.templar = templar
        self.magic = magic
    }

    /// A scope with `values` on top (loop items, `ansible_loop`, the registered result in
    /// `changed_when`).
    public func adding(_ values: OrderedDict) -> VariableScope {
        let scope = VariableScope(layers: [Layer(values, templated: false)] + layers, templar: templar, magic: magic)
        scope.mergesDictionaries = mergesDictionaries
        scope.manager = manager
        return scope
    }

    /// `hash_behaviour = merge`: a dict variable defined at several levels is merged
    /// recursively (higher levels win per key) instead of replaced.
    public var mergesDictionaries = false

    /// The raw (untemplated) value of `name`.
    public func raw(_ name: String) -> (Value, templated: Bool)? {
        for (index, layer) in layers.enumerated() {
            guard let v = layer.values[name] else { continue }
            if mergesDictionaries, case .dict(var merged) = v {
                var templated = layer.templated
                for lower in layers[(index + 1)...] {
                    guard case .dict(let d)? = lower.values[name] else { continue }
                    merged = VariableScope.combine(d, over: merged)
                    templated = templated || lower.templated
                }
                return (.dict(merged), templated)
            }
            return (v, layer.templated)
        }
        return nil
    }

    /// `high` merged over `low`, recursively for nested dicts (Ansible's combine_vars merge).
    static func combine(_ low: OrderedDict, over high: OrderedDict) -> OrderedDict {
        var out = low
        for (k, v) in high {
            if case .dict(let hd) = v, case .dict(let ld)? = out[k] {
                out[k] = .dict(combine(ld, over: hd))
            } else {
                out[k] = v
            }
        }
        return out
    }

    /// The variable's value, templated on first use and cached; nil when undefined. Throws `TemplateError.recursion` for self-reference, or a rendering error.
    public func lookup(_ name: String) throws -> Value? {
        if let cached = cache[name] { return cached }
        if let v = magic(name, self) { return v }
        guard let (value, templated) = raw(name) else { return nil }
        guard templated, Templar.containsTemplate(value) else {
            cache[name] = value
            return value
        }
        guard !resolving.contains(name) else { throw TemplateError.recursion(name) }
        resolving.insert(name)
        defer { resolving.remove(name) }
        let result = try templar.template(value, self)
        cache[name] = result
        return result
    }

    /// Every visible variable name (for `vars`, `varnames`), highest layer first.
    public var allNames: [String] {
        var seen = Set<String>()
        var names: [String] = []
        for layer in layers {
            for key in layer.values.keys where seen.insert(key).inserted { names.append(key) }
        }
        return names
    }
}
