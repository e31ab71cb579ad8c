import Foundation
import Jinja

/// Everything one `stat` round trip learns about a path on the host.
public struct RemoteStat: Sendable {
    /// File types as `stat`'s `%f` reports them.
    public enum Kind: String, Sendable { case file, directory, link, fifo, socket, char, block, unknown }

    /// The path as asked for.
    public var path: String
    /// Whether the path exists (for an lstat: the link itself).
    public var exists = false
    /// For an lstat of a symlink: whether the link's target exists.
    public var targetExists = false
    /// What the path is; the remaining fields are stat(2)'s, plus access checks,
    /// link details, checksum, mime type and lsattr flags when they were asked for.
    public var kind = Kind.unknown
    /// Permission bits only (`& 0o7777`).
    public var mode: UInt32 = 0
    /// Size in bytes.
    public var size: Int64 = 0
    /// Numeric owner id.
    public var uid: Int = 0
    /// Numeric group id.
    public var gid: Int = 0
    /// `owner:` (name or uid).
    public var owner: String?
    /// `group:` (name or gid).
    public var group: String?
    /// Last access time, seconds since the epoch.
    public var atime: Double = 0
    /// Last modification time, seconds since the epoch.
    public var mtime: Double = 0
    /// Last status change time, seconds since the epoch.
    public var ctime: Double = 0
    /// Inode number.
    public var inode: Int = 0
    /// Device number of the filesystem holding the path.
    public var dev: Int = 0
    /// Hard link count (above 1 makes `fileState` "hard").
    public var nlink: Int = 0
    /// Allocated 512-byte blocks, as stat(2) reports them.
    public var blocks: Int = 0
    /// Preferred I/O block size in bytes.
    public var blockSize: Int = 0
    /// `st_rdev` of a character/block device, rebuilt from major/minor the way glibc's `makedev` does.
    public var deviceType: Int = 0
    /// The connecting (or become) user can read the path.
    public var readable = false
    /// The connecting (or become) user can write the path.
    public var writeable = false
    /// The connecting (or become) user can execute/search the path.
    public var executable = false
    /// A symlink's target as written (`readlink`); nil for non-links.
    public var linkTarget: String?
    /// A symlink's fully resolved path; nil for non-links.
    public var linkSource: String?
    /// Hex digest of a readable regular file, when a checksum was requested.
    public var checksum: String?
    /// MIME type from `file --mime-type`, when requested and available.
    public var mimeType: String?
    /// Character set from `file --mime-encoding`, when requested and available.
    public var charset: String?
    /// `lsattr` flags without the dashes (e.g. "ie"), when requested.
    public var attributeFlags: String?
    /// The file's generation number from `lsattr`, when requested.
    public var version: String?
    /// The remote shell's umask (for symbolic modes without a `who`).
    public var umask: UInt32 = 0o022

    /// A status for a path that does not exist (yet).
    public init(path: String) { self.path = path }

    /// True for a directory.
    public var isDirectory: Bool { kind == .directory }
    /// True for a regular file.
    public var isFile: Bool { kind == .file }
    /// True for a symbolic link (only seen without `follow`).
    public var isLink: Bool { kind == .link }

    /// The `state` Ansible's `add_path_info` reports.
    public var fileState: String {
        guard exists else { return "absent" }
        switch kind {
        case .link: return "link"
        case .directory: return "directory"
        default: return nlink > 1 ? "hard" : "file"
        }
    }

    /// Parses the `key=value` lines the stat script prints.
    static func parse(_ output: String, path: String) -> RemoteStat {
        var s = RemoteStat(path: path)
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq]), value = String(line[line.index(after: eq)...])
            switch key {
            case "umask": s.umask = UInt32(value, radix: 8) ?? 0o022
            case "exists": s.exists = value == "1"
            case "tgt": s.targetExists = value == "1"
            case "stat": s.applyStatLine(value)
            case "bstat": s.applyStatLine(value, bsd: true)
            case "r": s.readable = true
            case "w": s.writeable = true
            case "x": s.executable = true
            case "lnk_target": s.linkTarget = value
            case "lnk_source": s.linkSource = value
            case "checksum": s.checksum = value.split(separator: " ").first.map(String.init)
            case "mime_charset":
                // `file -i`: "text/plain; charset=us-ascii", one program run for both.
                let parts = value.components(separatedBy: "; charset=")
                s.mimeType = parts[0]
                s.charset = parts.count > 1 ? parts[1] : ""
            case "lsattr":
                let parts = value.split(separator: " ", omittingEmptySubsequences: true)
                if parts.count >= 2 {
                    s.version = String(parts[0])
                    s.attributeFlags = parts[1].filter { $0 != "-" }
                }
            default: break
            }
        }
        return s
    }

    /// Fields of GNU `stat -c` (hex mode, hex device numbers) or, with `bsd`, BSD
    /// `stat -f` (octal mode, decimal device numbers).
    private mutating func applyStatLine(_ line: String, bsd: Bool = false) {
        let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard f.count >= 16 else { return }
        let raw = UInt32(f[0], radix: bsd ? 8 : 16) ?? 0
        mode = raw & 0o7777
        switch raw & 0o170000 {
        case 0o100000: kind = .file
        case 0o040000: kind = .directory
        case 0o120000: kind = .link
        case 0o010000: kind = .fifo
        case 0o140000: kind = .socket
        case 0o020000: kind = .char
        case 0o060000: kind = .block
        default: kind = .unknown
        }
        size = Int64(f[1]) ?? 0
        uid = Int(f[2]) ?? 0
        gid = Int(f[3]) ?? 0
        owner = f[4] == "UNKNOWN" ? nil : f[4]
        group = f[5] == "UNKNOWN" ? nil : f[5]
        atime = Double(f[6]) ?? 0
        mtime = Double(f[7]) ?? 0
        ctime = Double(f[8]) ?? 0
        inode = Int(f[9]) ?? 0
        dev = Int(f[10]) ?? 0
        nlink = Int(f[11]) ?? 0
        blocks = Int(f[12]) ?? 0
        blockSize = Int(f[13]) ?? 0
        let major = Int(f[14], radix: bsd ? 10 : 16) ?? 0, minor = Int(f[15], radix: bsd ? 10 : 16) ?? 0
        deviceType = (major << 8) | (minor & 0xff) | ((minor & ~0xff) << 12)
    }

    /// Python's float repr of a timestamp, as Ansible prints it.
    static func timestamp(_ t: Double) -> Value { .float(t) }

    /// The `stat` dictionary of the stat module.
    public func statDictionary(includeMime: Bool, includeAttributes: Bool) -> OrderedDict {
        var d = OrderedDict()
        guard exists else {
            d["exists"] = false
            return d
        }
        d["atime"] = .float(atime)
        if includeAttributes {
            let flags = attributeFlags ?? ""
            d["attr_flags"] = .string(flags)
            d["attributes"] = .list(flags.compactMap { RemoteStat.attributeNames[$0] }.map(Value.string))
        }
        d["block_size"] = .int(blockSize)
        d["blocks"] = .int(blocks)
        if includeMime {
            d["charset"] = charset.map(Value.string) ?? .null
        }
        if let checksum { d["checksum"] = .string(checksum) }
        d["ctime"] = .float(ctime)
        d["dev"] = .int(dev)
        d["device_type"] = .int(deviceType)
        d["executable"] = .bool(executable)
        d["exists"] = true
        d["gid"] = .int(gid)
        d["gr_name"] = group.map(Value.string) ?? .null
        d["inode"] = .int(inode)
        d["isblk"] = .bool(kind == .block)
        d["ischr"] = .bool(kind == .char)
        d["isdir"] = .bool(kind == .directory)
        d["isfifo"] = .bool(kind == .fifo)
        d["isgid"] = .bool(mode & 0o2000 != 0)
        d["islnk"] = .bool(kind == .link)
        d["isreg"] = .bool(kind == .file)
        d["issock"] = .bool(kind == .socket)
        d["isuid"] = .bool(mode & 0o4000 != 0)
        if kind == .link {
            d["lnk_source"] = linkSource.map(Value.string) ?? .null
            d["lnk_target"] = linkTarget.map(Value.string) ?? .null
        }
        if includeMime {
            d["mimetype"] = mimeType.map(Value.string) ?? .null
        }
        d["mode"] = .string(ModeParser.format(mode))
        d["mtime"] = .float(mtime)
        d["nlink"] = .int(nlink)
        d["path"] = .string(path)
        d["pw_name"] = owner.map(Value.string) ?? .null
        d["readable"] = .bool(readable)
        d["rgrp"] = .bool(mode & 0o040 != 0)
        d["roth"] = .bool(mode & 0o004 != 0)
        d["rusr"] = .bool(mode & 0o400 != 0)
        d["size"] = .int(Int(size))
        d["uid"] = .int(uid)
        if includeAttributes {
            d["version"] = version.map(Value.string) ?? .null
        }
        d["wgrp"] = .bool(mode & 0o020 != 0)
        d["woth"] = .bool(mode & 0o002 != 0)
        d["writeable"] = .bool(writeable)
        d["wusr"] = .bool(mode & 0o200 != 0)
        d["xgrp"] = .bool(mode & 0o010 != 0)
        d["xoth"] = .bool(mode & 0o001 != 0)
        d["xusr"] = .bool(mode & 0o100 != 0)
        return d
    }

    /// `lsattr` flag letters and the names Ansible gives them.
    static let attributeNames: [Character: String] = [
        "A": "noatime", "a": "append", "c": "compressed", "C": "nocow", "d": "nodump", "D": "dirsync",
        "e": "extents", "E": "encrypted", "h": "blocksize", "i": "immutable", "I": "indexed", "j": "journalled",
        "N": "inline", "s": "zero", "S": "synchronous", "t": "notail", "T": "blockroot", "u": "undelete",
        "X": "compressedraw", "Z": "compresseddirty", "F": "casefold", "P": "projinherit", "V": "verity", "x": "dax",
    ]
}
