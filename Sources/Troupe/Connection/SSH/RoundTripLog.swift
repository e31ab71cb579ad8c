import Foundation

/// Counts the round trips each SSH connection makes, for `benchmarks/roundtrips.py`: when
/// `TROUPE_ROUNDTRIP_LOG` names a file, every request that waits for the host's answer
/// appends one line, `<address> <kind>`, to it. Off (one nil check) otherwise.
enum RoundTripLog {
    /// Opened once per process; appends are single write(2) calls on an O_APPEND
    /// descriptor, so lines from several threads and worker processes never interleave.
    private static let descriptor: Int32? = {
        guard let path = ProcessInfo.processInfo.environment["TROUPE_ROUNDTRIP_LOG"], !path.isEmpty else { return nil }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        return fd >= 0 ? fd : nil
    }()

    static func record(_ address: String, _ kind: String) {
        guard let fd = descriptor else { return }
        let line = Array("\(address) \(kind)\n".utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
