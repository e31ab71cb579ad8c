import Foundation

/// A host's users and groups as `getent` reports them (passwd, shadow, group), read in one
/// round trip — what Python's pwd/grp/spwd give Ansible's user and group modules.
struct AccountDatabase {
    struct UserEntry {
        var name: String
        var password: String
        var uid: Int
        var gid: Int
        var comment: String
        var home: String
        var shell: String
    }

    struct GroupEntry {
        var name: String
        var gid: Int
        var members: [String]
    }

    var user: UserEntry?
    /// The shadow password field and account expiry (days since the epoch; -1 when unset).
    var shadowPassword: String?
    var shadowExpire: Int = -1
    var shadowMin: Int?, shadowMax: Int?, shadowWarn: Int?
    var groups: [GroupEntry] = []

    /// Reads the entries for `userName` (nil: groups only). With `localFiles`, the local
    /// /etc/passwd and /etc/group are read instead of every NSS source (`local: true`).
    static func load(_ shell: SystemShell, user userName: String?, localFiles: Bool = false) throws -> AccountDatabase {
        let passwd = localFiles ? "cat /etc/passwd" : "getent passwd"
        let group = localFiles ? "cat /etc/group" : "getent group"
        var script = "\(group) 2>/dev/null | sed 's/^/G:/'\n"
        if let userName {
            script += """
            n=\(shellQuote(userName))
            \(passwd) 2>/dev/null | awk -F: -v n="$n" '$1==n{print "P:" $0; exit}'
            { getent shadow 2>/dev/null || cat /etc/shadow 2>/dev/null; } | awk -F: -v n="$n" '$1==n{print "S:" $0; exit}'

            """
        }
        let out = try shell.script(script)
        var db = AccountDatabase()
        for line in out.stdout.split(separator: "\n", omittingEmptySubsequences: true) {
            let kind = line.prefix(2)
            let fields = line.dropFirst(2).split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            switch kind {
            case "G:" where fields.count >= 3:
                let members = fields.count > 3 ? fields[3].split(separator: ",").map(String.init) : []
                db.groups.append(GroupEntry(name: fields[0], gid: Int(fields[2]) ?? -1, members: members))
            case "P:" where fields.count >= 7:
                db.user = UserEntry(name: fields[0], password: fields[1], uid: Int(fields[2]) ?? -1, gid: Int(fields[3]) ?? -1,
                                    comment: fields[4], home: fields[5], shell: fields[6])
            case "S:" where fields.count >= 8:
                db.shadowPassword = fields[1]
                db.shadowMin = Int(fields[3])
                db.shadowMax = Int(fields[4])
                db.shadowWarn = Int(fields[5])
                db.shadowExpire = Int(fields[7]) ?? -1
            default: continue
            }
        }
        return db
    }

    /// A group by gid (when `nameOrID` is numeric and such a gid exists) or by name, as the
    /// user module's `group_info` looks it up.
    func group(_ nameOrID: String) -> GroupEntry? {
        if let gid = Int(nameOrID), let g = groups.first(where: { $0.gid == gid }) { return g }
        return groups.first { $0.name == nameOrID }
    }

    /// The user's password hash: the passwd field unless it is a placeholder ("x", "*" …),
    /// then the shadow one.
    var userPassword: String {
        guard let user else { return "" }
        return user.password.count <= 1 ? (shadowPassword ?? "") : user.password
    }
}
