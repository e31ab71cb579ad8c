import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension LocalConnection {
    /// Copies the extended attributes of `source` (POSIX ACLs among them) onto `target`,
    /// as ansible-core's atomic move does through shutil.copystat, so replacing a file keeps
    /// its ACLs. Best effort like Python's: attributes the file system or the user cannot
    /// copy are skipped.
    static func copyExtendedAttributes(from source: String, to target: String) {
        guard let calls = ExtendedAttributeCalls.shared else { return }
        let size = calls.list(source, nil, 0)
        guard size > 0 else { return }
        var names = [CChar](repeating: 0, count: size)
        let got = calls.list(source, &names, size)
        guard got > 0 else { return }
        for raw in names.prefix(got).split(separator: 0) where !raw.isEmpty {
            let name = String(decoding: raw.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let length = calls.get(source, name, nil, 0)
            guard length >= 0 else { continue }
            var value = [UInt8](repeating: 0, count: max(length, 1))
            let read = calls.get(source, name, &value, length)
            guard read >= 0 else { continue }
            _ = calls.set(target, name, value, read, 0)
        }
    }
}

/// libc's listxattr/getxattr/setxattr, which the Glibc module does not export (sys/xattr.h),
/// looked up once by name.
private struct ExtendedAttributeCalls: @unchecked Sendable {
    typealias List = @convention(c) (UnsafePointer<CChar>, UnsafeMutablePointer<CChar>?, Int) -> Int
    typealias Get = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int) -> Int
    typealias Set = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeRawPointer?, Int, Int32) -> Int32
    let list: List
    let get: Get
    let set: Set

    static let shared: ExtendedAttributeCalls? = {
        #if os(Linux)
        let handle = dlopen(nil, RTLD_NOW)
        guard let l = dlsym(handle, "listxattr"), let g = dlsym(handle, "getxattr"), let s = dlsym(handle, "setxattr") else {
            return nil
        }
        return ExtendedAttributeCalls(list: unsafeBitCast(l, to: List.self), get: unsafeBitCast(g, to: Get.self),
                                      set: unsafeBitCast(s, to: Set.self))
        #else
        return nil
        #endif
    }()
}
