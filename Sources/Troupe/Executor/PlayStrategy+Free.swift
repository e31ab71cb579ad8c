import Foundation
import Jinja

/// The `free` and `host_pinned` strategies, as ansible-core schedules them: passes over
/// the hosts, starting each unblocked host's next task, then processing the results that
/// have come in. `free` waits for a free worker whenever all `forks` are busy and goes on
/// round the hosts, so every host progresses; `host_pinned` ends the pass as soon as the
/// workers are all taken and starts the next one from the same host, so the first
/// `forks` hosts run to completion before later hosts start.
extension PlayStrategy {
    func executeFree(pinned: Bool) {
        let forks = max(1, run.options.forks)
        var workersFree = forks
        var lastHost = 0
        /// Hosts with a task whose result is not processed yet, and that task.
        var blocked: [String: Task] = [:]
        while !playEnded {
            // A cancelled run starts nothing more and ends once its running tasks are in.
            if run.isCancelled && blocked.isEmpty { break }
            let hostsLeft = context.batchHosts.filter { !unreachableHosts.contains($0) }
            if hostsLeft.isEmpty { break }
            if lastHost >= hostsLeft.count { lastHost = 0 }
            var workToDo = false
            var started = false
            var metaSlots = 0
            let startingHost = lastHost
            while true {
                let host = hostsLeft[lastHost]
                // As ansible-core's free strategy, the iterator alone decides: a failed host still
                // runs its pending `always` sections (and the includes in them).
                let runnable = context.activeHosts.contains(host) || (failedHosts.contains(host) && !iterator.isDone(host))
                let next = runnable ? iterator.peek(host)?.0 : nil
                if next == nil && blocked[host] == nil && runnable { _ = iterator.next(host) }
                if next != nil || blocked[host] != nil { workToDo = true }
                if let task = next, blocked[host] == nil, !run.isCancelled {
                    if let limit = throttleLimit(task), blocked.values.filter({ $0 === task }).count >= limit { break }
                    _ = iterator.next(host)
                    if task.shortAction == "meta" {
                        if pinned {
                            metaSlots += 1
                            workersFree -= 1
                        }
                        if (task.args["_raw_params"]?.pythonString ?? "") == "flush_handlers" {
                            flushHandlers(only: [host])
                        } else if !runConditionalMeta(task, hosts: [host]) {
                            runMeta(task, hosts: [host])
                            announceMeta(task, hosts: [host])
                        }
                    } else if confirmStep(taskInfo(task, host: host), host: host) {
                        if !pinned { pool.waitForSlot(limit: forks) }
                        blocked[host] = task
                        workersFree -= 1
                        started = true
                        start(task, on: host)
                    }
                }
                if pinned && workersFree <= 0 && workToDo {
                    lastHost = startingHost
                    break
                }
                lastHost = (lastHost + 1) % hostsLeft.count
                if lastHost == startingHost { break }
            }
            var outcomes = pool.takeFinished()
            if outcomes.isEmpty && !started && !blocked.isEmpty { outcomes = pool.waitForFinished() }
            workersFree += outcomes.count + metaSlots
            for outcome in outcomes {
                blocked[outcome.host] = nil
                report(outcome)
                afterResult(outcome)
                if outcome.task.isDynamicInclude { processIncludes(outcome.task, [outcome]) }
            }
            collectFailedHosts()
            if fatalError != nil {
                pool.waitForAll()
                return
            }
            if !workToDo && blocked.isEmpty { break }
        }
        pool.waitForAll()
        collectFailedHosts()
        // ansible-core's free strategy reports it only when every host is unreachable.
        if !context.batchHosts.isEmpty && context.batchHosts.allSatisfy(unreachableHosts.contains) {
            run.callbacks.send { $0.noHostsRemaining() }
        }
    }

    private func start(_ task: Task, on host: String) {
        let info = taskInfo(task, host: host)
        if task.isHandler {
            run.callbacks.send { $0.handlerTaskStart(info) }
        } else {
            run.callbacks.send { $0.taskStart(info) }
        }
        run.callbacks.send { $0.runnerStart(host: host, task: info) }
        let executor = TaskExecutor(host: host, task: task, play: context, run: run, info: info)
        pool.submit { executor.execute() }
    }

    private func throttleLimit(_ task: Task) -> Int? {
        guard let raw = task.inherited("throttle") else { return nil }
        let scope = run.variables.scope(host: "", context: context, task: task)
        let value = (try? run.templar.template(raw, scope)) ?? raw
        guard let limit = value.intValue ?? Int(value.pythonString), limit > 0 else { return nil }
        return limit
    }
}
