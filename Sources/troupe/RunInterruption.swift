import Foundation
import Troupe

/// SIGINT and SIGTERM for `troupe playbook` and `troupe adhoc`, handled as
/// ansible-playbook handles them.
///
/// The first signal stops the run cleanly: nothing more is scheduled, the commands
/// running on hosts are interrupted and the worker processes stop; nothing is reported
/// after it (no recap). Then SIGINT ends with `[ERROR]: User interrupted execution` and
/// rc 99, and SIGTERM ends the process by that signal (rc 143 in a shell), silently, as
/// ansible-playbook does. A second signal kills at once: the workers and every process
/// they started are killed, and the controller exits.
final class RunInterruption: @unchecked Sendable {
    // @unchecked: `firstSignal` is guarded by `lock`; `sources` is written in init only.
    private let lock = NSLock()
    private var firstSignal: Int32?
    private var sources: [DispatchSourceSignal] = []
    private let display: Display

    /// Starts handling the signals for the run of `manager`; `display` prints the message.
    init(_ manager: TaskQueueManager, display: Display) {
        self.display = display
        for signo in [SIGINT, SIGTERM] {
            // Ignored so the default action (instant death, orphaned workers) does not
            // happen; the dispatch source still sees the signal.
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler { [self] in received(signo, manager: manager) }
            source.resume()
            sources.append(source)
        }
    }

    private func received(_ signo: Int32, manager: TaskQueueManager) {
        lock.lock()
        let first = firstSignal
        if first == nil { firstSignal = signo }
        lock.unlock()
        guard let first else {
            manager.cancel()
            return
        }
        // The user insists: kill everything now, workers and their commands included.
        manager.abort()
        end(by: first)
    }

    /// The signal that interrupted the run, if one did.
    var signalReceived: Int32? {
        lock.lock(); defer { lock.unlock() }
        return firstSignal
    }

    /// After the run returned: ends the process as ansible-playbook would when a signal
    /// interrupted it; returns when none did.
    func exitIfInterrupted() {
        guard let signo = signalReceived else { return }
        end(by: signo)
    }

    private func end(by signo: Int32) -> Never {
        if signo == SIGTERM {
            // ansible-playbook dies of SIGTERM without a word; so does Troupe, once clean.
            fflush(stdout)
            signal(SIGTERM, SIG_DFL)
            var unblock = sigset_t()
            sigemptyset(&unblock)
            sigaddset(&unblock, SIGTERM)
            pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
            kill(getpid(), SIGTERM)
            _exit(128 + SIGTERM)
        }
        display.error("User interrupted execution")
        fflush(stdout)
        fflush(stderr)
        _exit(99)
    }
}
