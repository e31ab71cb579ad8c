import Foundation
import Jinja

/// The `free` strategy: every host moves to its next task as soon as its previous one is
/// done, `forks` host-tasks at a time. Results are processed on the strategy thread, in
/// the order they finish.
extension PlayStrategy {
    func executeFree() {
        final class Finished: @unchecked Sendable {
            let condition = NSCondition()
            var outcomes: [TaskOutcome] = []
        }
        let finished = Finished()
        var busy = Set<String>()
        let forks = max(1, run.options.forks)
        while !playEnded {
            // Start work for idle hosts.
            for host in context.batchHosts where busy.count < forks && !busy.contains(host) && !iterator.isDone(host) {
                guard context.activeHosts.contains(host) else { continue }
                guard let task = iterator.next(host) else { continue }
                if task.shortAction == "meta" {
                    if (task.args["_raw_params"]?.pythonString ?? "") == "flush_handlers" {
                        flushHandlers(only: [host])
                    } else {
                        runMeta(task, hosts: [host])
                    }
                    continue
                }
                let info = taskInfo(task, host: host)
                if task.isHandler {
                    run.callbacks.send { $0.handlerTaskStart(info) }
                } else {
                    run.callbacks.send { $0.taskStart(info) }
                }
                busy.insert(host)
                let thread = Thread { [self] in
                    let outcome = TaskExecutor(host: host, task: task, play: context, run: run, info: info).execute()
                    finished.condition.lock()
                    finished.outcomes.append(outcome)
                    finished.condition.signal()
                    finished.condition.unlock()
                }
                thread.stackSize = 4 << 20
                thread.start()
            }
            if busy.isEmpty {
                collectFailedHosts()
                let pending = context.batchHosts.contains { context.activeHosts.contains($0) && !iterator.isDone($0) }
                if !pending { break }
                continue
            }
            // Wait for the next result and process it.
            finished.condition.lock()
            while finished.outcomes.isEmpty { finished.condition.wait() }
            let outcome = finished.outcomes.removeFirst()
            finished.condition.unlock()
            busy.remove(outcome.host)
            report(outcome)
            afterResult(outcome)
            if outcome.task.isDynamicInclude { processIncludes(outcome.task, [outcome]) }
            collectFailedHosts()
            if fatalError != nil { return }
        }
        collectFailedHosts()
        // ansible-core's free strategy reports it only when every host is unreachable.
        if !context.batchHosts.isEmpty && context.batchHosts.allSatisfy(unreachableHosts.contains) {
            run.callbacks.send { $0.noHostsRemaining() }
        }
    }
}
