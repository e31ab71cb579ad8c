import Foundation
import Jinja

/// SHA-1 of controller-side bytes, the checksum Ansible's file modules compare (the
/// digest itself is the Jinja target's, shared with the `hash` filters).
public enum SHA1 {
    /// Lower-case hex SHA-1 of `data`, as Ansible's `checksum` reports it.
    public static func hex(_ data: Data) -> String {
        Digest.hex(Digest.hash([UInt8](data), .sha1))
    }
}

/// MD5 of controller-side bytes (`md5sum` in copy/fetch results).
public enum MD5 {
    /// Lower-case hex MD5 of `data`, as in `md5sum`.
    public static func hex(_ data: Data) -> String {
        Digest.hex(Digest.hash([UInt8](data), .md5))
    }
}
