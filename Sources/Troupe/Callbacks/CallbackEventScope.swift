/// A callback that sees each event as a whole: it gets the event before the other
/// callbacks and is told when they are done, so it can attribute what they printed to
/// the event (ansible-runner's job events are built this way).
public protocol CallbackEventScope: CallbackPlugin {
    /// An event is about to be delivered; the scope itself receives it next.
    func beginEvent()
    /// Every callback has handled the event.
    func endEvent()
}
