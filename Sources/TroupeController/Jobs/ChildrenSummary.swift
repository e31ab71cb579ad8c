/// `jobs/N/job_events/children_summary/`: for the UI's collapsible tree, how many
/// descendants each event has and its row number, computed as AWX does
/// (JobJobEventsChildrenSummary): meta events (verbose, warning …) are nested under the
/// neighbouring event of the higher level; a run whose events do not form a tree (free
/// strategy) answers `is_tree: false`.
enum ChildrenSummary {
    struct Event: Sendable {
        var counter: Int
        var uuid: String
        var parentUUID: String?
        var event: String
    }

    struct Result: Sendable, Equatable {
        /// counter → (rowNumber, numChildren), events with children only.
        var children: [Int: (rowNumber: Int, numChildren: Int)]
        /// counter of a meta event → the parent uuid it is shown under.
        var metaEventNestedUUID: [Int: String]
        var isTree: Bool

        static func == (a: Result, b: Result) -> Bool {
            a.isTree == b.isTree && a.metaEventNestedUUID == b.metaEventNestedUUID
                && a.children.mapValues { [$0.rowNumber, $0.numChildren] } == b.children.mapValues { [$0.rowNumber, $0.numChildren] }
        }
    }

    static let metaEvents: Set<String> = ["debug", "verbose", "warning", "error", "system_warning", "deprecated"]

    /// `events` in counter order.
    static func compute(_ events: [Event]) -> Result {
        var tally: [Int: (rowNumber: Int, numChildren: Int)] = [:]
        var counterOf: [String: Int] = [:]
        var parentOf: [String: String] = [:]
        for e in events {
            tally[e.counter] = (0, 0)
            counterOf[e.uuid] = e.counter
            if let parent = e.parentUUID { parentOf[e.uuid] = parent }
        }
        var nested: [Int: String] = [:]
        var currentAtLevel: [String?] = [nil, nil, nil, nil]
        guard var previousNonMeta = events.first else { return Result(children: [:], metaEventNestedUUID: [:], isTree: true) }
        func level(_ event: Event) -> Int { JobEventType.info(event.event).level }
        for (index, e) in events.enumerated() {
            let isMeta = metaEvents.contains(e.event)
            if !isMeta { previousNonMeta = e }
            if e.uuid.isEmpty { continue }
            if !isMeta {
                let lvl = min(level(e), 3)
                currentAtLevel[lvl] = e.uuid
                for deeper in (lvl + 1)..<4 { currentAtLevel[deeper] = nil }
            }
            var parent = e.parentUUID.flatMap { $0.isEmpty ? nil : $0 }
            if let p = parent, !currentAtLevel.contains(p) {
                return Result(children: [:], metaEventNestedUUID: [:], isTree: false)
            }
            if isMeta {
                let before = level(previousNonMeta)
                let next = events[index...].first { !metaEvents.contains($0.event) } ?? events[events.count - 1]
                let after = level(next)
                parent = after > before ? next.parentUUID : previousNonMeta.parentUUID
                if let p = parent, !p.isEmpty { nested[e.counter] = p }
            }
            tally[e.counter]?.rowNumber = index
            while let p = parent, !p.isEmpty {
                if let counter = counterOf[p] { tally[counter]?.numChildren += 1 }
                parent = parentOf[p]
            }
        }
        return Result(children: tally.filter { $0.value.numChildren != 0 }, metaEventNestedUUID: nested, isTree: true)
    }
}
