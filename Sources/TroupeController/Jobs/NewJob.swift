/// The `unified_jobs` columns a launch sets; everything else keeps its default. Built by
/// the launch rules (`LaunchPlan`), relaunch and ad hoc commands; inserted by `JobStore`.
struct NewJob: Sendable {
    var kind = "job"
    var name = ""
    var launchType = "manual"
    var launchedBy: Int?
    var jobTemplateID: Int?
    var inventoryID: Int?
    var projectID: Int?
    var playbook = ""
    var limit = ""
    /// As the API shows them (survey passwords as `$encrypted$`).
    var extraVars = "{}"
    /// The real extra vars, SecretBox-encrypted, when they differ from `extraVars`
    /// (survey password answers); only the run reads them.
    var encryptedExtraVars = ""
    var jobTags = ""
    var skipTags = ""
    var jobType = "run"
    var verbosity = 0
    var forks = 0
    var timeout = 0
    var diffMode = false
    var becomeEnabled = false
    var moduleName = ""
    var moduleArgs = ""
    var credentialIDs: [Int] = []
    var allowSimultaneous = false
    var hostCount = 1
    /// A slice of a sliced launch: its workflow job, its slice number (1…count) and count.
    var workflowJobID: Int?
    var jobSliceNumber = 0
    var jobSliceCount = 1
}
