import Foundation
import Testing
@testable import TroupeClient

/// Client figures for benchmarks/controller/run.sh (TROUPE_BENCH=1), against the real
/// controller in process: the median time of a small GET over loopback, and how far the
/// event stream runs behind the job (from each event's `created` to its arrival at the
/// client). Off in `make test`: these are measurements, not tests, and timings there mean
/// nothing while other test processes share the two cores.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TROUPE_BENCH"] == "1"), .serialized)
struct ClientBenchmarks {
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }

    @Test func smallGetRoundTrip() async throws {
        try await withRealController { server in
            let api = try ServerAPI(url: server.url, apiKey: try await server.adminToken(scope: "read"))
            for _ in 0..<200 { _ = try await api.get("ping") }  // warm the connection pool
            var times: [Double] = []
            for _ in 0..<2000 {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try await api.get("ping")
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            print("bench: small GET /api/v2/ping/ round trip over loopback (client + real server): median "
                  + String(format: "%.3f ms, p90 %.3f ms (n=%d)", Self.median(times), Self.percentile(times, 0.9), times.count))
        }
    }

    @Test func eventStreamLatency() async throws {
        try await withRealController { server in
            let api = try await RealServerJobTests.makeContent(server)
            var latencies: [Double] = []
            // "Paced" spreads its events over 2 s, so the figure is the steady lag of a
            // followed job, not the time to connect before a 90 ms job has already ended.
            for _ in 0..<3 {
                let job = try await api.launch(jobTemplate: "Paced")
                for try await event in job.events(pollInterval: 1) {
                    guard let created = event.fields["created"]?.stringValue, let emitted = Self.parse(created) else { continue }
                    latencies.append(Date().timeIntervalSince(emitted) * 1000)
                }
            }
            print("bench: event stream behind the job (event created → client): median "
                  + String(format: "%.1f ms, p90 %.1f ms, max %.1f ms (n=%d, WebSocket; polling only every 1 s)", Self.median(latencies),
                           Self.percentile(latencies, 0.9), latencies.max() ?? 0, latencies.count))
        }
    }

    /// `2026-12-07T16:55:00.123456Z` (any number of fraction digits).
    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        let parts = text.replacingOccurrences(of: "Z", with: "").split(separator: ".", maxSplits: 1)
        guard let base = formatter.date(from: String(parts[0]) + "Z") else { return nil }
        let fraction = parts.count > 1 ? Double("0." + parts[1].prefix(while: \.isNumber)) ?? 0 : 0
        return base.addingTimeInterval(fraction)
    }
}
