import Foundation
import Testing
@testable import TroupeClient

/// Client figures for benchmarks/controller/run.sh (TROUPE_BENCH=1): the median time of a
/// small GET over loopback, and how far behind the server the event stream runs. Off in
/// `make test`, where 8 builds share the machine and timings mean nothing.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TROUPE_BENCH"] == "1"))
struct ClientBenchmarks {
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    @Test func smallGetRoundTrip() async throws {
        try await withFakeController { server in
            let api = try server.api()
            for _ in 0..<200 { _ = try await api.get("ping") }  // warm the connection pool
            var clientTimes: [Double] = []
            for _ in 0..<2000 {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try await api.get("ping")
                clientTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            let median = Self.median(clientTimes)
            print("bench: small GET /api/v2/ping/ round trip over loopback: median \(String(format: "%.3f", median)) ms, p90 \(String(format: "%.3f", clientTimes.sorted()[clientTimes.count * 9 / 10])) ms (n=\(clientTimes.count))")
            #expect(median <= 1.0)
        }
    }

    @Test func eventStreamLatency() async throws {
        try await withFakeController { server in
            let api = try server.api()
            _ = try await makeTemplate(api, hosts: 50)
            var latencies: [Double] = []
            for _ in 0..<3 {
                let job = try await api.launch(jobTemplate: "Deploy")
                for try await event in job.events(pollInterval: 0.02) {
                    guard let emitted = event["emitted_at"]?.doubleValue else { continue }
                    latencies.append((Date().timeIntervalSince1970 - emitted) * 1000)
                }
            }
            let median = Self.median(latencies)
            print("bench: event stream behind the server: median \(String(format: "%.1f", median)) ms, max \(String(format: "%.1f", latencies.max() ?? 0)) ms (n=\(latencies.count), polling every 20 ms)")
            #expect(median <= 50)
        }
    }
}
