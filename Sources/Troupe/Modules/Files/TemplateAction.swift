import Foundation
import Jinja

/// `template`: renders a Jinja template on the controller with the task's variables,
/// then installs the text on the host with `copy` semantics (checksum idempotence,
/// `validate`, `backup`, ownership and permissions).
public struct TemplateAction: ActionPlugin {
    /// The action's name, `template`.
    public let name = "template"
    /// Creates the plugin (it has no state).
    public init() {}

    /// The module's parameters (the rendered text is handed to the remote ``CopyModule``).
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("src", .path, required: true), .init("dest", .path, required: true),
            .init("backup", .bool, default: false), .init("force", .bool, default: true), .init("validate"),
            .init("follow", .bool, default: false),
            .init("newline_sequence", default: "\\n", choices: ["\\n", "\\r", "\\r\\n"]),
            .init("trim_blocks", .bool, default: true), .init("lstrip_blocks", .bool, default: false),
            .init("block_start_string", default: "{%"), .init("block_end_string", default: "%}"),
            .init("variable_start_string", default: "{{"), .init("variable_end_string", default: "}}"),
            .init("comment_start_string"), .init("comment_end_string"),
            .init("output_encoding", default: "utf-8"),
        ] + FileAttributesHelper.parameters)
    }

    /// Renders `src` with the task's variables and installs the text through ``CopyModule``; a missing template or a Jinja error comes back as a failed result.
    public func run(_ rawArgs: OrderedDict, context: ActionContext) throws -> Value {
        let args: OrderedDict
        do {
            args = try argumentSpec.validate(rawArgs, module: "template")
        } catch let failure as ModuleFailure {
            return .dict(failure.result)
        }
        let src = args["src"]?.stringValue ?? ""
        let dest = args["dest"]?.stringValue ?? ""
        let search = ControllerFileSearch(context: context)
        guard let path = search.find(src, kind: "templates"),
              let data = FileManager.default.contents(atPath: path) else {
            return ["changed": false, "failed": true, "msg": .string("Could not find or access '\(src)'\nSearched in:\n\t" + search.candidates(src, kind: "templates").joined(separator: "\n\t") + " on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option")]
        }
        let rendered: String
        do {
            let (source, settings) = try TemplateSettings(args).overridden(by: String(decoding: data, as: UTF8.self))
            rendered = try TemplateAction.render(source, settings: settings, path: path, dest: dest, context: context, search: search)
        } catch let error as JinjaError {
            return ["changed": false, "failed": true, "msg": .string("\(error)")]
        } catch let failure as ModuleFailure {
            return .dict(failure.result)
        }
        var moduleArgs = OrderedDict()
        for key in ["dest", "backup", "force", "validate", "follow", "mode", "owner", "group", "seuser", "serole", "selevel",
                    "setype", "attributes", "unsafe_writes"] {
            if let v = args[key] { moduleArgs[key] = v }
        }
        if args["mode"]?.stringValue == "preserve" {
            // The template file's own permissions, as ansible-core's template action reads them.
            let permissions = ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? 0o644
            moduleArgs["mode"] = .string("0" + String(permissions & 0o7777, radix: 8))
        }
        let encoding = args["output_encoding"]?.stringValue ?? ""
        if let normalised = TemplateAction.normalisedEncodingName(encoding), normalised != "utf-8" {
            guard let data = TemplateAction.encode(rendered, as: normalised) else {
                return ["changed": false, "failed": true,
                        "msg": .string("'\(encoding)' codec can't encode the template's output")]
            }
            moduleArgs["_troupe_content_base64"] = .string(data.base64EncodedString())
        } else if TemplateAction.normalisedEncodingName(encoding) == nil {
            return ["changed": false, "failed": true, "msg": .string("unknown encoding: \(encoding)")]
        } else {
            moduleArgs["_troupe_content"] = .string(rendered)
        }
        moduleArgs["_original_basename"] = .string((src as NSString).lastPathComponent)
        moduleArgs["_troupe_diff_header"] = .string(path)
        let result = try context.runModule("copy", moduleArgs)
        // ansible-core reports the staged source of a written file as `src`; troupe stages
        // nothing, so it names the template the content came from (as copy names its file).
        guard var written = result.dictValue, written["md5sum"] != nil, written["src"] == nil else { return result }
        written["src"] = .string(path)
        return .dict(written)
    }

    /// Python's codec name for `output_encoding` among those troupe writes ("" is utf-8);
    /// nil when unknown.
    static func normalisedEncodingName(_ name: String) -> String? {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "", "utf-8", "utf8", "u8": return "utf-8"
        case "windows-1252", "cp1252": return "cp1252"
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1": return "latin-1"
        case "ascii", "us-ascii": return "ascii"
        case "utf-16", "utf16": return "utf-16"
        default: return nil
        }
    }

    /// The rendered text in one of the encodings named by ``normalisedEncodingName(_:)``.
    static func encode(_ text: String, as name: String) -> Data? {
        switch name {
        case "cp1252": return text.data(using: .windowsCP1252)
        case "latin-1": return text.data(using: .isoLatin1)
        case "ascii": return text.data(using: .ascii)
        case "utf-16": return text.data(using: .utf16)
        default: return Data(text.utf8)
        }
    }

    /// How many "\n" end `text`.
    private static func trailingNewlines(_ text: String) -> Int {
        text.utf8.reversed().prefix { $0 == UInt8(ascii: "\n") }.count
    }

    /// Renders template text with the template module's Jinja settings: trim_blocks on,
    /// lstrip_blocks off, the source's final newlines kept (as ansible-core re-appends them), `\n` line ends
    /// unless `newline_sequence` says otherwise.
    static func render(_ source: String, settings: TemplateSettings, path: String, dest: String, context: ActionContext,
                       search: ControllerFileSearch) throws -> String {
        let base = context.templar.environment
        let env = Environment()
        env.filters = base.filters
        env.lazyVariableContainers = base.lazyVariableContainers
        env.tests = base.tests
        env.globals = base.globals
        env.externalPlugins = base.externalPlugins
        env.trimBlocks = settings.trimBlocks
        env.lstripBlocks = settings.lstripBlocks
        // As ansible-core: Jinja drops the final newline (of included templates too), then
        // the newlines the source ended with that rendering lost are appended again.
        env.keepTrailingNewline = false
        env.delimiters = settings.delimiters
        env.loader = TemplateDirectoryLoader(directories: [(path as NSString).deletingLastPathComponent]
            + search.candidates("", kind: "templates").map { ($0 as NSString).standardizingPath })
        let attrs = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
        let mtime = (attrs[.modificationDate] as? Date) ?? Date()
        var extra = OrderedDict()
        extra["template_host"] = .string(ProcessInfo.processInfo.hostName)
        extra["template_path"] = .string(path)
        extra["template_fullpath"] = .string((path as NSString).standardizingPath)
        extra["template_destpath"] = .string(dest)
        extra["template_uid"] = .string((attrs[.ownerAccountName] as? String) ?? String(getuid()))
        extra["template_mtime"] = .string(ISO8601DateFormatter().string(from: mtime))
        extra["template_run_date"] = .string(ISO8601DateFormatter().string(from: Date()))
        if ((try? context.scope.lookup("ansible_managed")) ?? nil) == nil { extra["ansible_managed"] = .string(AnsibleManaged.defaultText) }
        // Markup-free text renders to itself (the final newline is kept either way).
        let expanded = settings.expandingLinePrefixes(source)
        var text = settings.delimiters.opensTag(in: expanded) ? try env.template(expanded, name: (path as NSString).lastPathComponent, escapeBackslashes: false).render(context.scope.adding(extra)) : expanded
        let lost = trailingNewlines(source) - trailingNewlines(text)
        if lost > 0 { text += String(repeating: "\n", count: lost) }
        let newline = settings.newline
        return newline == "\n" ? text : text.replacingOccurrences(of: "\n", with: newline)
    }
}

/// Loads `{% include %}` / `{% import %}` templates from a list of directories.
struct TemplateDirectoryLoader: TemplateLoader {
    let directories: [String]

    func source(named name: String) throws -> String {
        let candidates = name.hasPrefix("/") ? [name] : directories.map { ($0 as NSString).appendingPathComponent(name) }
        for candidate in candidates {
            if let data = FileManager.default.contents(atPath: candidate) { return String(decoding: data, as: UTF8.self) }
        }
        throw JinjaError(.templateNotFound, name)
    }
}
