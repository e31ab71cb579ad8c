/// The callbacks Troupe ships beyond the screen formats: ansible-core's `junit` and `tree`,
/// ansible.posix's `json`, `timer`, `profile_tasks` and `profile_roles`, and
/// community.general's `log_plays`, each under its short and its collection name.
extension CallbackRegistry {
    func registerBundledPlugins() {
        register("json", collectionName: "ansible.posix.json", kind: .stdout) { JSONCallback(context: $0) }
        register("junit", kind: .aggregate) { JUnitCallback(context: $0) }
        register("tree", kind: .aggregate) { TreeCallback(context: $0) }
        register("timer", collectionName: "ansible.posix.timer", kind: .aggregate) { TimerCallback(display: $0.display) }
        register("profile_tasks", collectionName: "ansible.posix.profile_tasks", kind: .aggregate) { ProfileTasksCallback(context: $0) }
        register("profile_roles", collectionName: "ansible.posix.profile_roles", kind: .aggregate) { ProfileRolesCallback(context: $0) }
        register("log_plays", collectionName: "community.general.log_plays", kind: .notification) { LogPlaysCallback(context: $0) }
    }
}
