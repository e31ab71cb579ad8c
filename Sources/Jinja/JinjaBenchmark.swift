import Foundation

/// Template-engine throughput measurements, for `troupe bench-jinja` (wired by the CLI)
/// and for comparison with `benchmarks/jinja/bench.py` (the same workloads in Python).
public enum JinjaBenchmark {
    /// Workload 1: one small cached template rendered in a tight loop.
    public static let smallTemplate = "{{ item.name | upper }}-{{ idx }}"

    /// Workload 2: a loop over 1,000 hosts with conditionals, filters and `loop`.
    public static let loopTemplate = """
    {% for h in hosts %}{{ loop.index }}: {{ h.name | upper }} {% if h.port > 1000 %}high{% else %}low{% endif %} {{ h.tags | join(',') }}
    {% endfor %}
    """

    /// Runs both workloads for about `seconds` each and returns renders per second
    /// (`small_renders_per_s`, `loop_renders_per_s`, `loop_items_per_s`).
    public static func run(seconds: Double = 1.0) throws -> [String: Double] {
        let env = Environment()
        // Stand-ins when the builtin filters are not registered, so the numbers measure the engine.
        if env.filters["upper"] == nil {
            env.filters["upper"] = Filter { v, _, _ in .string((v.stringValue ?? v.pythonString).uppercased()) }
        }
        if env.filters["join"] == nil {
            env.filters["join"] = Filter { v, a, _ in
                .string(try v.pythonIterate().map(\.pythonString).joined(separator: a.value(0, "d")?.stringValue ?? ""))
            }
        }
        var results: [String: Double] = [:]

        let small = try env.template(smallTemplate)
        var vars = DictionaryLookup(["item": ["name": "web01"], "idx": 0])
        var count = 0
        var start = Date()
        repeat {
            for i in 0..<1000 {
                vars.variables["idx"] = .int(i)
                _ = try small.render(vars)
            }
            count += 1000
        } while Date().timeIntervalSince(start) < seconds
        results["small_renders_per_s"] = Double(count) / Date().timeIntervalSince(start)

        let hosts: [Value] = (0..<1000).map { i in
            ["name": .string("host\(i)"), "port": .int(i * 3), "tags": ["web", .string("dc\(i % 4)")]]
        }
        let loop = try env.template(loopTemplate)
        let loopVars = DictionaryLookup(["hosts": .list(hosts)])
        count = 0
        start = Date()
        repeat {
            _ = try loop.render(loopVars)
            count += 1
        } while Date().timeIntervalSince(start) < seconds
        let rate = Double(count) / Date().timeIntervalSince(start)
        results["loop_renders_per_s"] = rate
        results["loop_items_per_s"] = rate * 1000
        return results
    }
}
