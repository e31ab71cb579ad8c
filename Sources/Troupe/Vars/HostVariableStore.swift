import Foundation
import Jinja

/// Per-host variables that change during a run: gathered facts, `set_fact` and
/// registered results, `include_vars`. Thread-safe.
public final class HostVariableStore: @unchecked Sendable {
    private let lock = NSLock()
    private var facts: [String: OrderedDict] = [:]
    private var factLayers: [String: OrderedDict] = [:]
    private var hostFacts: [String: OrderedDict] = [:]
    private var includedVars: [String: OrderedDict] = [:]
    private var cacheable: [String: OrderedDict] = [:]
    /// Non-`ansible_` entries of a restored fact cache (earlier `set_fact cacheable`): facts
    /// under their own names.
    private var cachedFacts: [String: OrderedDict] = [:]
    /// Facts a module returned without the `ansible_` prefix (`getent_passwd`, `packages`):
    /// injected as variables under their own names, as Ansible does.
    private var unprefixedFacts: [String: Set<String>] = [:]

    /// An empty store.
    public init() {}

    /// Merges gathered facts (keys without the `ansible_` prefix).
    public func addFacts(_ newFacts: OrderedDict, for host: String) {
        lock.lock(); defer { lock.unlock() }
        var current = facts[host] ?? OrderedDict()
        current.merge(newFacts)
        facts[host] = current
        factLayers[host] = nil
    }

    /// Merges the `ansible_facts` a module (not `setup`) returned: `ansible_x` keys become
    /// fact `x`; other keys stay as they are and are injected as variables unprefixed.
    public func addModuleFacts(_ newFacts: OrderedDict, for host: String) {
        var stripped = OrderedDict()
        var plain: [String] = []
        for (k, v) in newFacts {
            if k.hasPrefix("ansible_") && k != "ansible_local" {
                stripped[String(k.dropFirst("ansible_".count))] = v
            } else {
                stripped[k] = v
                plain.append(k)
            }
        }
        addFacts(stripped, for: host)
        lock.lock(); defer { lock.unlock() }
        unprefixedFacts[host, default: []].formUnion(plain)
    }

    /// Forgets the host's gathered facts (`meta: clear_facts`).
    public func clearFacts(for host: String) {
        lock.lock(); defer { lock.unlock() }
        facts[host] = nil
        cachedFacts[host] = nil
        factLayers[host] = nil
        unprefixedFacts[host] = nil
    }

    /// The host's gathered facts, keys without the `ansible_` prefix.
    public func facts(for host: String) -> OrderedDict {
        lock.lock(); defer { lock.unlock() }
        return facts[host] ?? OrderedDict()
    }

    /// Facts as variables: `ansible_facts` plus every fact injected as `ansible_<name>`.
    public func factLayer(for host: String) -> OrderedDict {
        lock.lock(); defer { lock.unlock() }
        if let cached = factLayers[host] { return cached }
        var layer = OrderedDict()
        var namespace = facts[host] ?? OrderedDict()
        let plain = unprefixedFacts[host] ?? []
        for (k, v) in namespace {
            layer[k.hasPrefix("ansible_") || plain.contains(k) ? k : "ansible_" + k] = v
        }
        for (k, v) in cachedFacts[host] ?? OrderedDict() {
            layer[k] = v
            namespace[k] = v
        }
        layer["ansible_facts"] = .dict(namespace)
        factLayers[host] = layer
        return layer
    }

    /// `set_fact` and `register`.
    public func setHostFact(_ name: String, _ value: Value, for host: String) {
        lock.lock(); defer { lock.unlock() }
        hostFacts[host, default: OrderedDict()][name] = value
    }

    /// The host's `set_fact`/`register` variables.
    public func hostFactLayer(for host: String) -> OrderedDict {
        lock.lock(); defer { lock.unlock() }
        return hostFacts[host] ?? OrderedDict()
    }

    /// Merges `include_vars` results into the host's variables (later keys win).
    /// `set_fact` with `cacheable: true`: also kept in the fact cache.
    public func setCacheableFact(_ name: String, _ value: Value, for host: String) {
        lock.lock(); defer { lock.unlock() }
        cacheable[host, default: OrderedDict()][name] = value
    }

    /// What the fact cache keeps for `host`: facts as `ansible_*` plus cacheable facts.
    public func cacheEntry(for host: String) -> OrderedDict? {
        lock.lock(); defer { lock.unlock() }
        guard facts[host] != nil || cacheable[host] != nil else { return nil }
        var entry = OrderedDict()
        for (k, v) in facts[host] ?? OrderedDict() { entry[k.hasPrefix("ansible_") ? k : "ansible_" + k] = v }
        entry.merge(cacheable[host] ?? OrderedDict())
        return entry
    }

    /// Restores a cache entry: `ansible_*` keys become facts, the rest facts under their
    /// own names — all at the facts precedence level, as ansible-core injects cached facts.
    public func restore(_ entry: OrderedDict, for host: String) {
        var restoredFacts = OrderedDict()
        for (k, v) in entry {
            if k.hasPrefix("ansible_") {
                restoredFacts[String(k.dropFirst("ansible_".count))] = v
            } else {
                lock.withLock {
                    cachedFacts[host, default: OrderedDict()][k] = v
                    factLayers[host] = nil
                }
                setCacheableFact(k, v, for: host)
            }
        }
        if !restoredFacts.isEmpty { addFacts(restoredFacts, for: host) }
    }

    /// Whether facts are known for `host` (gathered or restored) — `gathering: smart`.
    public func hasFacts(for host: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return !(facts[host]?.isEmpty ?? true)
    }

    public func addIncludedVars(_ vars: OrderedDict, for host: String) {
        lock.lock(); defer { lock.unlock() }
        includedVars[host, default: OrderedDict()].merge(vars)
    }

    /// The host's `include_vars` variables.
    public func includedVarsLayer(for host: String) -> OrderedDict {
        lock.lock(); defer { lock.unlock() }
        return includedVars[host] ?? OrderedDict()
    }
}
