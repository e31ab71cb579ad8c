import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `troupe run` started by the controller gets a lifeline on stdin: a pipe whose write
/// end only the controller holds (`TROUPE_PARENT_LIFELINE=stdin`). Nothing is ever written
/// to it, so EOF means the controller is gone, however it died; the run then cancels as on
/// SIGTERM (remote commands stopped) instead of running on as an orphan nobody watches.
enum ParentLifeline {
    static func watch(onLoss: @escaping @Sendable () -> Void) {
        guard ProcessInfo.processInfo.environment["TROUPE_PARENT_LIFELINE"] == "stdin" else { return }
        // Not for the commands the run starts: they have their own stdin.
        unsetenv("TROUPE_PARENT_LIFELINE")
        Thread.detachNewThread {
            var byte: UInt8 = 0
            while true {
                let count = read(0, &byte, 1)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
            }
            onLoss()
        }
    }
}
