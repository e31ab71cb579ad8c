import Troupe

// In a worker process this serves module requests and exits; in the controller it lets
// runs spawn workers from this binary.
WorkerProcesses.enable()
// `troupe api …` becomes the troupe-api executable.
SiblingCommand.execIfDelegated()
SubcommandSuggestion.exitIfMistyped(CommandLine.arguments)
TroupeCommand.mainWithArgparseErrors()
