import ArgumentParser
import Foundation
import Jinja

/// `troupe bench-jinja`: the template engine's benchmark workloads (run by
/// benchmarks/jinja/run.sh next to Python Jinja2's).
struct BenchJinjaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-jinja", abstract: "Measure the Jinja engine (benchmarks).",
                                                    shouldDisplay: false)
    @Option(help: "Seconds per workload.") var seconds: Double = 1.0

    func run() throws {
        let results = try JinjaBenchmark.run(seconds: seconds)
        for key in results.keys.sorted() { print("\(key) \(String(format: "%.0f", results[key]!))") }
    }
}
