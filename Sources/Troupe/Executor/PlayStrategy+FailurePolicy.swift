import Foundation
import Jinja

/// What one host's failure does to the others: `any_errors_fatal` and
/// `max_fail_percentage`, with ansible-core's linear-strategy semantics.
extension PlayStrategy {
    /// `any_errors_fatal` (also implied by `run_once`, unless errors are ignored): when a
    /// host failed the task, every other host still in the play fails too, without a
    /// failure in its stats, and moves to its rescue/always sections as a failed host would.
    /// A batch that loses every host this way ends the run.
    func applyAnyErrorsFatal(_ task: Task, runOnce: Bool, outcomes: [TaskOutcome]) {
        let fatal = task.inherited("any_errors_fatal").flatMap(ArgumentSpec.boolean) ?? false
        let ignoresErrors = task.inherited("ignore_errors").flatMap(ArgumentSpec.boolean) ?? false
        guard (fatal || runOnce) && !ignoresErrors else { return }
        let failed = Set(outcomes.filter { $0.status == .failed || $0.status == .unreachable }.map(\.host))
        guard !failed.isEmpty else { return }
        for host in context.activeHosts where !failed.contains(host) && !iterator.isDone(host) {
            iterator.markFailed(host)
        }
    }

    /// `max_fail_percentage`: once the hosts of this batch that failed for good exceed the
    /// share of the batch (whose size counts hosts that failed in earlier plays), every
    /// other host fails too and the play, and the run, end.
    func applyMaxFailPercentage(_ outcomes: [TaskOutcome]) {
        guard let maxFail = maxFailPercentage, !outcomes.isEmpty, batchSize > 0 else { return }
        let failedNow = context.batchHosts.filter { iterator.hasFailedForGood($0) }.count
        guard Double(failedNow) / Double(batchSize) > maxFail / 100 else { return }
        let failedThisTask = Set(outcomes.filter { $0.status == .failed }.map(\.host))
        for host in context.activeHosts where !failedThisTask.contains(host) {
            iterator.end(host, failed: true)
        }
        abortedByFailurePercentage = true
        playEnded = true
        // ansible-core reports it twice: once for the percentage, once for the empty play.
        run.callbacks.send { $0.noHostsRemaining() }
        run.callbacks.send { $0.noHostsRemaining() }
    }
}
