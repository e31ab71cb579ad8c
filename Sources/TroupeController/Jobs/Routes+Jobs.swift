/// Routes of the jobs work (#15): launch, jobs, events, stdout, cancel, ad hoc commands.
/// Registered at start by `Controller.registerRoutes`; owned by the jobs helper.
extension Controller {
    func registerJobRoutes() {
    }
}
