import Foundation
import Jinja

/// Network facts: interfaces from /sys/class/net, addresses from `ip addr` (or `ifconfig`
/// and /proc/net when `ip` is missing), default routes from `ip route get` (or
/// /proc/net/route).
extension FactParser {
    static let interfaceTypes = ["1": "ether", "32": "infiniband", "512": "ppp", "772": "loopback", "65534": "tunnel"]

    /// One IPv4 address as the facts show it.
    struct IPv4Address {
        var address: String
        var broadcast: String
        var prefix: Int
        var secondary: Bool
        /// The address label when it differs from the device (`eth0:1`).
        var label: String? = nil

        var netmask: String { FactParser.dotted(prefix == 0 ? 0 : UInt32.max << (32 - UInt32(prefix))) }
        var network: String {
            guard let value = FactParser.parseIPv4(address) else { return "" }
            return FactParser.dotted(value & (prefix == 0 ? 0 : UInt32.max << (32 - UInt32(prefix))))
        }
        var dict: OrderedDict {
            .factDict(["address": .string(address), "broadcast": .string(broadcast), "netmask": .string(netmask),
                 "network": .string(network), "prefix": .string(String(prefix))])
        }
    }

    struct IPv6Address {
        var address: String
        var prefix: String
        var scope: String
        var dict: OrderedDict { .factDict(["address": .string(address), "prefix": .string(prefix), "scope": .string(scope)]) }
    }

    static func parseIPv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".").compactMap { UInt32($0) }
        guard parts.count == 4, parts.allSatisfy({ $0 < 256 }) else { return nil }
        return parts.reduce(0) { $0 << 8 | $1 }
    }

    static func dotted(_ value: UInt32) -> String {
        [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xff) }.joined(separator: ".")
    }

    static func prefixLength(ofNetmask mask: String) -> Int {
        guard let value = parseIPv4(mask) else { return 32 }
        return value.nonzeroBitCount
    }

    mutating func collectNetwork() {
        var interfaces = OrderedDict()
        for (name, lines) in sections.netDevices {
            interfaces[name] = .dict(Self.interfaceInfo(name: name, lines: lines))
        }
        var ipv4: [String: [IPv4Address]] = [:]
        var ipv6: [String: [IPv6Address]] = [:]
        if let output = sections.commands["ip_addr"] {
            (ipv4, ipv6) = Self.parseIPAddr(output)
        } else {
            if let output = sections.commands["ifconfig"] { (ipv4, ipv6) = Self.parseIfconfig(output) }
            if let table = sections.files["/proc/net/if_inet6"] { ipv6 = Self.parseIfInet6(table) }
        }

        var defaults: [String: OrderedDict] = ["v4": OrderedDict(), "v6": OrderedDict()]
        for (version, command, probe) in [("v4", "ip4_default", "8.8.8.8"), ("v6", "ip6_default", "2404:6800:400a:800::1012")] {
            guard let line = sections.command(command)?.split(separator: "\n").first else { continue }
            let words = line.split(separator: " ").map(String.init)
            guard words.first == probe else { continue }
            for index in 0..<(words.count - 1) {
                switch words[index] {
                case "dev": defaults[version]?["interface"] = .string(words[index + 1])
                case "src": defaults[version]?["address"] = .string(words[index + 1])
                case "via" where words[index + 1] != probe: defaults[version]?["gateway"] = .string(words[index + 1])
                default: break
                }
            }
        }
        if sections.commands["ip_addr"] == nil {
            defaults["v4"] = Self.defaultFromProcRoute(sections.files["/proc/net/route"], ipv4: ipv4)
            defaults["v6"] = Self.defaultFromProcIPv6Route(sections.files["/proc/net/ipv6_route"], ipv6: ipv6)
        }

        var allIPv4: [Value] = [], allIPv6: [Value] = []
        var defaultIPv4 = defaults["v4"] ?? OrderedDict(), defaultIPv6 = defaults["v6"] ?? OrderedDict()
        let rawMACs = Dictionary(sections.netDevices.map { device in
            (device.name, device.lines.first { $0.hasPrefix("address=") }.map { String($0.dropFirst(8)) } ?? "")
        }, uniquingKeysWith: { first, _ in first })
        for name in interfaces.keys {
            guard var info = interfaces[name]?.dictValue else { continue }
            // Ansible reports the raw /sys address here, even 00:00:00:00:00:00 for loopback.
            let macaddress = Value.string(rawMACs[name] ?? "")
            let mtu = info["mtu"] ?? .null
            let type = info["type"] ?? "unknown"
            var aliases: [String: OrderedDict] = [:]
            var aliasOrder: [String] = []
            func append(_ address: IPv4Address, to dict: inout OrderedDict) {
                dict["ipv4_secondaries"] = .list((dict["ipv4_secondaries"]?.listValue ?? []) + [.dict(address.dict)])
            }
            // Ansible reads `ip addr show primary` and then `... secondary` for each device.
            let addresses = ipv4[name] ?? []
            for address in addresses.filter({ !$0.secondary }) + addresses.filter(\.secondary) {
                let label = address.label ?? name
                if label == name {
                    if !address.secondary && info["ipv4"] == nil { info["ipv4"] = .dict(address.dict) } else { append(address, to: &info) }
                } else {
                    // A labelled address (eth0:1) becomes an interface of its own.
                    var alias = OrderedDict()
                    if !aliasOrder.contains(label) { aliasOrder.append(label) }
                    if !address.secondary { alias["ipv4"] = .dict(address.dict) } else { append(address, to: &alias) }
                    aliases[label] = alias
                    if address.secondary { append(address, to: &info) }
                }
                if !address.address.hasPrefix("127.") { allIPv4.append(.string(address.address)) }
                if defaultIPv4["address"]?.stringValue == address.address {
                    defaultIPv4.merge(address.dict)
                    defaultIPv4["macaddress"] = macaddress
                    defaultIPv4["mtu"] = mtu
                    defaultIPv4["type"] = type
                    defaultIPv4["alias"] = .string(label)
                }
            }
            let v6 = ipv6[name] ?? []
            if !v6.isEmpty { info["ipv6"] = .list(v6.map { .dict($0.dict) }) }
            for address in v6 {
                if address.address != "::1" { allIPv6.append(.string(address.address)) }
                if defaultIPv6["address"]?.stringValue == address.address {
                    defaultIPv6["prefix"] = .string(address.prefix)
                    defaultIPv6["scope"] = .string(address.scope)
                    defaultIPv6["macaddress"] = macaddress
                    defaultIPv6["mtu"] = mtu
                    defaultIPv6["type"] = type
                }
            }
            info.merge(ethtoolFacts(name))
            interfaces[name] = .dict(Self.sorted(info))
            for label in aliasOrder { interfaces[label.replacingOccurrences(of: ":", with: "_")] = .dict(aliases[label] ?? OrderedDict()) }
        }

        facts["interfaces"] = .list(interfaces.keys.map { .string($0) })
        for name in interfaces.keys { facts[name.replacingOccurrences(of: "-", with: "_")] = interfaces[name] }
        facts["default_ipv4"] = .dict(Self.sorted(defaultIPv4))
        facts["default_ipv6"] = .dict(Self.sorted(defaultIPv6))
        facts["all_ipv4_addresses"] = .list(allIPv4)
        facts["all_ipv6_addresses"] = .list(allIPv6)
        if sections.commands["ip4_local"] != nil || sections.commands["ip6_local"] != nil {
            var reachable: [String: [Value]] = ["ipv4": [], "ipv6": []]
            for command in ["ip4_local", "ip6_local"] {
                for line in FactOutputLines.split(sections.commands[command]) {
                    let words = line.split(separator: " ")
                    guard words.count > 1, words[0] == "local" else { continue }
                    let family = words[1].contains(":") ? "ipv6" : "ipv4"
                    let address = Value.string(String(words[1]))
                    if reachable[family]?.contains(address) == false { reachable[family]?.append(address) }
                }
            }
            facts["locally_reachable_ips"] = ["ipv4": .list(reachable["ipv4"] ?? []), "ipv6": .list(reachable["ipv6"] ?? [])]
        }
    }

    /// The /sys/class/net attributes of one interface.
    static func interfaceInfo(name: String, lines: [String]) -> OrderedDict {
        var raw: [String: String] = [:]
        var bridgeMembers: [Value] = []
        for line in lines {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]), value = String(line[line.index(after: equals)...])
            if key == "brif" { bridgeMembers.append(.string(value)) } else { raw[key] = value }
        }
        var info: OrderedDict = .factDict(["device": .string(name)])
        if let mac = raw["address"], !mac.isEmpty, mac != "00:00:00:00:00:00" { info["macaddress"] = .string(mac) }
        if let mtu = raw["mtu"].flatMap({ Int($0) }) { info["mtu"] = .int(mtu) }
        if let state = raw["operstate"] { info["active"] = .bool(state != "down") }
        if let module = raw["module"] { info["module"] = .string(module) }
        if let type = raw["type"] { info["type"] = .string(interfaceTypes[type] ?? "unknown") }
        if raw["is_bridge"] != nil {
            info["type"] = "bridge"
            info["interfaces"] = .list(bridgeMembers)
            if let id = raw["bridge/bridge_id"] { info["id"] = .string(id) }
            if let stp = raw["bridge/stp_state"] { info["stp"] = .bool(stp == "1") }
        }
        if raw["is_bonding"] != nil {
            info["type"] = "bonding"
            info["slaves"] = .list((raw["bonding/slaves"] ?? "").split(separator: " ").map { .string(String($0)) })
            for key in ["mode", "miimon", "lacp_rate"] {
                info[key] = .string(String((raw["bonding/\(key)"] ?? "").split(separator: " ").first ?? ""))
            }
            if let primary = raw["bonding/primary"], !primary.isEmpty {
                info["primary"] = .string(primary)
                if let all = raw["bonding/all_slaves_active"] { info["all_slaves_active"] = .bool(all == "1") }
            }
        }
        if let permanent = raw["bonding_slave/perm_hwaddr"] { info["perm_macaddress"] = .string(permanent) }
        if let pciid = raw["pciid"] { info["pciid"] = .string(pciid) }
        if let speed = raw["speed"].flatMap({ Int($0) }) { info["speed"] = .int(speed) }
        if let flags = raw["flags"], let value = Int(flags.replacingOccurrences(of: "0x", with: ""), radix: 16) {
            info["promisc"] = .bool(value & 0x100 != 0)
        }
        return info
    }

    /// `ip addr show`: addresses by device, in output order.
    static func parseIPAddr(_ output: String) -> ([String: [IPv4Address]], [String: [IPv6Address]]) {
        var ipv4: [String: [IPv4Address]] = [:], ipv6: [String: [IPv6Address]] = [:]
        var device = ""
        for line in output.split(separator: "\n") {
            if let first = line.first, first.isNumber {
                // "4: eth0@if5: <BROADCAST,...> mtu 1400 ..."
                let fields = line.split(separator: ":", maxSplits: 2)
                if fields.count >= 2 {
                    device = String(fields[1].trimmingCharacters(in: .whitespaces).split(separator: "@").first ?? "")
                }
                continue
            }
            let words = line.split(separator: " ").map(String.init)
            guard let kind = words.first, words.count >= 2 else { continue }
            if kind == "inet" {
                var address = words[1], prefix = 32, broadcast = ""
                if let slash = address.firstIndex(of: "/") {
                    prefix = Int(address[address.index(after: slash)...]) ?? 32
                    address = String(address[..<slash])
                    if words.count > 3 && words[2] == "brd" { broadcast = words[3] }
                }
                let label = words.last.flatMap { $0 == device ? nil : $0 }
                ipv4[device, default: []].append(IPv4Address(address: address, broadcast: broadcast, prefix: prefix,
                                                            secondary: words.contains("secondary"), label: label))
            } else if kind == "inet6" {
                let isPeer = words.count > 2 && words[2] == "peer"
                let addressWord = words[1]
                let prefixWord = isPeer && words.count > 3 ? words[3] : words[1]
                let scopeIndex = isPeer ? 5 : 3
                let address = String(addressWord.split(separator: "/").first ?? "")
                let prefix = prefixWord.split(separator: "/").dropFirst().first.map(String.init) ?? "128"
                let scope = scopeIndex < words.count ? words[scopeIndex] : "global"
                ipv6[device, default: []].append(IPv6Address(address: address, prefix: prefix, scope: scope))
            }
        }
        return (ipv4, ipv6)
    }

    /// `ifconfig -a` in net-tools (`inet 10.0.0.1  netmask ...`) or BusyBox (`inet addr:...`) style.
    static func parseIfconfig(_ output: String) -> ([String: [IPv4Address]], [String: [IPv6Address]]) {
        var ipv4: [String: [IPv4Address]] = [:], ipv6: [String: [IPv6Address]] = [:]
        var device = ""
        for line in output.split(separator: "\n") {
            if let first = line.first, !first.isWhitespace {
                device = String(line.split(separator: " ").first ?? "")
                if device.hasSuffix(":") { device.removeLast() }
                continue
            }
            let words = line.split(separator: " ").map(String.init)
            guard let kind = words.first, words.count >= 2 else { continue }
            func value(after label: String) -> String? {
                if let index = words.firstIndex(of: label), index + 1 < words.count { return words[index + 1] }
                return words.first(where: { $0.hasPrefix(label + ":") }).map { String($0.dropFirst(label.count + 1)) }
            }
            if kind == "inet" {
                let address = words[1].hasPrefix("addr:") ? String(words[1].dropFirst(5)) : words[1]
                let mask = value(after: "netmask") ?? value(after: "Mask") ?? "255.255.255.255"
                let broadcast = value(after: "broadcast") ?? value(after: "Bcast") ?? ""
                let base = String(device.split(separator: ":").first ?? "")
                ipv4[base, default: []].append(IPv4Address(address: address, broadcast: broadcast,
                                                          prefix: prefixLength(ofNetmask: mask), secondary: false,
                                                          label: base == device ? nil : device))
            } else if kind == "inet6" {
                if words[1] == "addr:", words.count > 2 {
                    // BusyBox: "inet6 addr: fe80::1/64 Scope:Link"
                    let parts = words[2].split(separator: "/")
                    let scope = value(after: "Scope")?.lowercased() ?? "global"
                    ipv6[device, default: []].append(IPv6Address(address: String(parts[0]), prefix: parts.count > 1 ? String(parts[1]) : "128",
                                                                scope: scope))
                } else {
                    let scope = value(after: "scopeid").flatMap { word -> String? in
                        guard let open = word.firstIndex(of: "<"), let close = word.firstIndex(of: ">") else { return nil }
                        return String(word[word.index(after: open)..<close])
                    } ?? "global"
                    ipv6[device, default: []].append(IPv6Address(address: words[1], prefix: value(after: "prefixlen") ?? "128", scope: scope))
                }
            }
        }
        return (ipv4, ipv6)
    }

    /// /proc/net/if_inet6: `<32 hex digits> <ifindex> <prefix hex> <scope hex> <flags> <name>`.
    static func parseIfInet6(_ table: String) -> [String: [IPv6Address]] {
        var result: [String: [IPv6Address]] = [:]
        for line in table.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 6, words[0].count == 32, let prefix = Int(words[2], radix: 16),
                  let scope = Int(words[3], radix: 16) else { continue }
            let scopeName = [0x00: "global", 0x10: "host", 0x20: "link", 0x40: "site"][scope & 0xf0] ?? "global"
            result[String(words[5]), default: []].append(IPv6Address(address: compressIPv6(String(words[0])),
                                                                    prefix: String(prefix), scope: scopeName))
        }
        return result
    }

    /// 32 hex digits → RFC 5952 text (`fe80::1`).
    static func compressIPv6(_ hex: String) -> String {
        let characters = Array(hex)
        let groups = stride(from: 0, to: 32, by: 4).map { start -> String in
            let text = String(characters[start..<start + 4]).drop(while: { $0 == "0" })
            return text.isEmpty ? "0" : text.lowercased()
        }
        var bestStart = -1, bestLength = 0, runStart = -1
        for (index, group) in (groups + ["end"]).enumerated() {
            if group == "0" {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                if index - runStart > bestLength && index - runStart > 1 { bestStart = runStart; bestLength = index - runStart }
                runStart = -1
            }
        }
        guard bestStart >= 0 else { return groups.joined(separator: ":") }
        let head = groups[..<bestStart].joined(separator: ":")
        let tail = groups[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }

    /// The default IPv4 route from /proc/net/route (hex, little-endian).
    static func defaultFromProcRoute(_ table: String?, ipv4: [String: [IPv4Address]]) -> OrderedDict {
        for line in (table ?? "").split(separator: "\n").dropFirst() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 3, words[1] == "00000000", let gateway = UInt32(words[2], radix: 16) else { continue }
            var result: OrderedDict = .factDict(["interface": .string(String(words[0]))])
            if gateway != 0 { result["gateway"] = .string(dotted(gateway.byteSwapped)) }
            if let address = ipv4[String(words[0])]?.first(where: { !$0.secondary }) { result["address"] = .string(address.address) }
            return result
        }
        return OrderedDict()
    }

    /// The default IPv6 route from /proc/net/ipv6_route (destination ::/0).
    static func defaultFromProcIPv6Route(_ table: String?, ipv6: [String: [IPv6Address]]) -> OrderedDict {
        for line in (table ?? "").split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 10, words[0] == String(repeating: "0", count: 32), words[1] == "00" else { continue }
            let device = String(words[9])
            if device == "lo" { continue }
            var result: OrderedDict = .factDict(["interface": .string(device)])
            if words[4] != Substring(String(repeating: "0", count: 32)) { result["gateway"] = .string(compressIPv6(String(words[4]))) }
            if let address = ipv6[device]?.first(where: { $0.scope == "global" }) { result["address"] = .string(address.address) }
            return result
        }
        return OrderedDict()
    }

    /// `features`, `timestamping`, `hw_timestamp_filters` and `phc_index` from `ethtool -k/-T`.
    func ethtoolFacts(_ device: String) -> OrderedDict {
        var result = OrderedDict()
        if let output = sections.commands["ethtool_k:\(device)"] {
            var features = OrderedDict()
            for line in output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n") where !line.hasSuffix(":") {
                let parts = line.components(separatedBy: ": ")
                guard parts.count == 2, !parts[1].isEmpty else { continue }
                features[parts[0].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_")] =
                    .string(parts[1].trimmingCharacters(in: .whitespaces))
            }
            result["features"] = .dict(features)
        }
        if let output = sections.commands["ethtool_t:\(device)"] {
            func names(_ prefix: String) -> Value {
                guard let regex = try? NSRegularExpression(pattern: prefix + "(\\w+)") else { return [] }
                let matches = regex.matches(in: output, range: NSRange(output.startIndex..., in: output))
                return .list(matches.compactMap { Range($0.range(at: 1), in: output).map { .string(output[$0].lowercased()) } })
            }
            result["timestamping"] = names("SOF_TIMESTAMPING_")
            result["hw_timestamp_filters"] = names("HWTSTAMP_FILTER_")
            if let range = output.range(of: #"PTP Hardware Clock: \d+"#, options: .regularExpression),
               let index = Int(output[range].split(separator: " ").last ?? "") {
                result["phc_index"] = .int(index)
            }
        }
        return result
    }
}
