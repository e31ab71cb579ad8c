import Foundation

/// Why the controller stopped a run.
enum JobStopReason: Sendable {
    case cancel
    case timeout
}

/// How a finished `troupe run` process becomes a job's terminal status.
enum JobTermination {
    /// AWX's mapping of the runner's end onto a job status (awx/main/tasks/jobs.py).
    static func terminalStatus(exitCode: Int32, stopReason: JobStopReason?, timeout: Int) -> (String, String) {
        switch stopReason {
        case .cancel: return ("canceled", "Job canceled by request")
        case .timeout: return ("failed", "Job terminated due to timeout (\(timeout) s)")
        case nil: break
        }
        if exitCode == 0 { return ("successful", "") }
        if exitCode > 128 {
            let signal = exitCode - 128
            let name = signal == SIGKILL ? "SIGKILL" : signal == SIGTERM ? "SIGTERM" : signal == SIGSEGV ? "SIGSEGV" : "signal \(signal)"
            return ("error", "Job terminated due to error: the job's process was killed by \(name)")
        }
        return ("failed", "")
    }

    static func lastLines(ofFile path: String, count: Int = 5) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        let lines = text.split(separator: "\n").suffix(count)
        return String(lines.joined(separator: "\n").prefix(2000))
    }

    static func rounded(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }
}
