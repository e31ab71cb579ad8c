import Foundation

extension ExecutionOptions {
    /// The options ansible.cfg and `ANSIBLE_*` decide, before any command-line flag.
    public init(config: AnsibleConfig) {
        self.init()
        forks = config.forks
        diff = config.diffAlways
        remoteUser = config.remoteUser
        privateKeyFile = config.privateKeyFile
        timeout = Double(config.timeout)
        become = config.become
        becomeMethod = config.becomeMethod
        becomeUser = config.becomeUser
        hostKeyChecking = config.hostKeyChecking
        sshCommonArgs = config.sshCommonArgs.isEmpty ? nil : config.sshCommonArgs
        sshExtraArgs = config.sshExtraArgs.isEmpty ? nil : config.sshExtraArgs
        gathering = config.gathering
        factCaching = config.factCaching
        factCachingConnection = config.factCachingConnection
        factCachingTimeout = Double(config.factCachingTimeout)
        factCachingPrefix = config.factCachingPrefix
        rolesPath = config.rolesPath
        if let (value, origin) = try? config.value(.privateRoleVars), origin != .default {
            privateRoleVars = ArgumentSpec.boolean(value) ?? false
        }
        forceHandlers = config.forceHandlers
        noLogByDefault = config.noLog
        if let (value, _) = try? config.value(.errorOnMissingHandler) { errorOnMissingHandler = ArgumentSpec.boolean(value) ?? true }
        strategy = config.string(.strategy) ?? "linear"
        modulePaths = config.modulePath
        collectionsPaths = config.list(.collectionsPath)
        moduleUtilsPaths = config.list(.moduleUtilsPath)
        inventorySources = config.inventory
    }
}
