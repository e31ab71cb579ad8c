import Jinja

/// A task result the way ansible-core hands it to callbacks that store it whole (`json`,
/// `log_plays`): the callback view (no `failed`/`skipped` flags, `no_log` censoring), with
/// `_ansible_no_log` on every result that is not a loop aggregate, loop items labelled, and the `exception` value
/// serialised as ansible 2.19 does when no Python traceback was captured (the message
/// itself is in `msg`).
enum RecordedResult {
    static let tracebackUnavailable: Value = "(traceback unavailable)"

    static func of(_ result: TaskResult) -> OrderedDict {
        guard var dict = ResultFormatter.callbackView(of: result.result, task: result.task).dictValue else { return [:] }
        if dict["exception"] != nil { dict["exception"] = tracebackUnavailable }
        if let items = dict["results"]?.listValue {
            dict["results"] = .list(items.map { item in
                guard var itemDict = item.dictValue else { return item }
                // ansible labels every loop item (`loop_control.label`, by default the item itself).
                if itemDict["_ansible_item_label"] == nil, let loopVar = itemDict["ansible_loop_var"]?.stringValue,
                   let item = itemDict[loopVar] {
                    itemDict["_ansible_item_label"] = item
                }
                if itemDict["_ansible_no_log"] == nil { itemDict["_ansible_no_log"] = .bool(result.task.noLog) }
                if itemDict["exception"] != nil { itemDict["exception"] = tracebackUnavailable }
                return .dict(itemDict)
            })
        } else if dict["_ansible_no_log"] == nil {
            dict["_ansible_no_log"] = .bool(result.task.noLog)
        }
        return dict
    }
}
