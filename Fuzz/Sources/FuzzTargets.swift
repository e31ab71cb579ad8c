import Foundation
@testable import Jinja
@testable import Troupe

/// The parsers that read untrusted input, each as a function of one byte string. A fuzz
/// input must only ever produce a value or a thrown error: a trap, a crash, a sanitizer
/// report or a hang is a bug, and the input becomes a regression test.
enum FuzzTarget: String, CaseIterable {
    case jinja, yaml, ini, kv, vault, json

    /// One input through the target; errors are the expected answer to bad input.
    func run(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        switch self {
        case .jinja:
            // Parse, then render with a few variables so filters and methods run too.
            let environment = FuzzTarget.environment
            guard let template = try? environment.template(text) else { return }
            _ = try? template.render(FuzzTarget.variables)
        case .yaml:
            _ = try? YAMLLoader().loadAll(text, file: "fuzz.yml").map(\.value)
        case .ini:
            var inventory = InventoryData()
            try? INIInventoryParser(path: "fuzz.ini").parse(text, into: &inventory)
        case .kv:
            _ = KeyValueParser.parse(text, checkRaw: true)
            _ = try? ShellWords.split(text, comments: true)
        case .vault:
            _ = try? Vault.decrypt(text, secrets: [VaultSecret(password: "hunter2")])
        case .json:
            _ = try? Value.parseJSON(text)
        }
    }

    static let environment = Environment.ansible()
    static let variables = DictionaryLookup([
        "s": "text", "n": 3, "f": 2.5, "l": [1, "two", 3.0], "d": ["k": "v", "n": 1], "t": true, "none": .null,
    ])

    /// The target named by TROUPE_FUZZ_TARGET (libFuzzer gives no other way to choose).
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["TROUPE_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("set TROUPE_FUZZ_TARGET to one of: \(allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        return target
    }()
}

#if FUZZING
/// libFuzzer's entry point (the build adds -sanitize=fuzzer, which provides main).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    FuzzTarget.selected.run(Data(bytes: bytes, count: count))
    return 0
}
#else
/// Without libFuzzer: replays files (a corpus or a crash input) through the selected
/// target, so a crash reproduces in an ordinary debug build.
@main
struct FuzzReplay {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let files = isDirectory.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { path + "/" + $0 }
                : [path]
            for file in files {
                FuzzTarget.selected.run(try Data(contentsOf: URL(fileURLWithPath: file)))
            }
            print("\(path): \(files.count) inputs replayed")
        }
    }
}
#endif
