import Foundation
import Jinja

/// Hardware facts: CPU, memory, mounts, DMI, block devices, uptime.
extension FactParser {
    static let dmiKeys: [(fact: String, file: String)] = [
        ("bios_date", "bios_date"), ("bios_vendor", "bios_vendor"), ("bios_version", "bios_version"),
        ("board_asset_tag", "board_asset_tag"), ("board_name", "board_name"), ("board_serial", "board_serial"),
        ("board_vendor", "board_vendor"), ("board_version", "board_version"), ("chassis_asset_tag", "chassis_asset_tag"),
        ("chassis_serial", "chassis_serial"), ("chassis_vendor", "chassis_vendor"), ("chassis_version", "chassis_version"),
        ("form_factor", "chassis_type"), ("product_name", "product_name"), ("product_serial", "product_serial"),
        ("product_uuid", "product_uuid"), ("product_version", "product_version"), ("system_vendor", "sys_vendor"),
    ]

    static let formFactors = [
        "Unknown", "Other", "Unknown", "Desktop", "Low Profile Desktop", "Pizza Box", "Mini Tower", "Tower",
        "Portable", "Laptop", "Notebook", "Hand Held", "Docking Station", "All In One", "Sub Notebook",
        "Space-saving", "Lunch Box", "Main Server Chassis", "Expansion Chassis", "Sub Chassis",
        "Bus Expansion Chassis", "Peripheral Chassis", "RAID Chassis", "Rack Mount Chassis", "Sealed-case PC",
        "Multi-system", "CompactPCI", "AdvancedTCA", "Blade", "Blade Enclosure", "Tablet", "Convertible",
        "Detachable", "IoT Gateway", "Embedded PC", "Mini PC", "Stick PC",
    ]

    func dmi(_ file: String) -> String? { sections.file("/sys/devices/virtual/dmi/id/\(file)") }

    mutating func collectHardware() {
        collectCPU()
        collectMemory()
        for (fact, file) in Self.dmiKeys {
            guard let value = dmi(file) else { facts[fact] = "NA"; continue }
            if fact == "form_factor" {
                let index = Int(value) ?? -1
                facts[fact] = .string(index >= 0 && index < Self.formFactors.count ? Self.formFactors[index] : "unknown (\(value))")
            } else {
                facts[fact] = .string(value)
            }
        }
        if let uptime = sections.file("/proc/uptime")?.split(separator: " ").first.flatMap({ Double($0) }) {
            facts["uptime_seconds"] = .int(Int(uptime))
        }
        collectMounts()
        collectDevices()
        collectLVM()
    }

    mutating func collectCPU() {
        guard let cpuinfo = sections.files["/proc/cpuinfo"] else { return }
        var processor: [Value] = []
        var count = 0, vendorCount = 0, modelCount = 0, processorCount = 0
        var physicalID = "0", coreID = "0"
        var sockets: [(String, Int)] = [], cores: [(String, Int)] = []
        var zProcessors = 0, zMaxThread = 0
        let xen = sections.exists("/proc/xen") || sections.file("/sys/hypervisor/type") == "xen"
        var xenParavirt = false
        func set(_ list: inout [(String, Int)], _ key: String, _ value: Int, onlyIfNew: Bool) {
            if let index = list.firstIndex(where: { $0.0 == key }) {
                if !onlyIfNew { list[index].1 = value }
            } else {
                list.append((key, value))
            }
        }
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            let value = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            if xen && key == "flags" && !value.contains("vme") { xenParavirt = true }
            if key == "flags" { facts["flags"] = .list(value.split(separator: " ").map { .string(String($0)) }) }
            switch key {
            case "model name", "Processor", "vendor_id", "cpu", "Vendor", "processor":
                processor.append(.string(value))
                if key == "vendor_id" { vendorCount += 1 }
                if key == "model name" { modelCount += 1 }
                if key == "processor" { processorCount += 1 }
                count += 1
            case "physical id":
                physicalID = value
                set(&sockets, value, 1, onlyIfNew: true)
            case "core id":
                coreID = value
                // Ansible checks the sockets table here, not the cores table; keep its counts.
                if !sockets.contains(where: { $0.0 == value }) { set(&cores, value, 1, onlyIfNew: false) }
            case "cpu cores": set(&sockets, physicalID, Int(value) ?? 1, onlyIfNew: false)
            case "siblings": set(&cores, coreID, Int(value) ?? 1, onlyIfNew: false)
            case "# processors": zProcessors = Int(value) ?? 0
            case "max thread id": zMaxThread = (Int(value) ?? 0) + 1
            case "ncpus active": count = Int(value) ?? count
            default: break
            }
        }
        if !processor.isEmpty { facts["processor"] = .list(processor) }
        if vendorCount > 0 && vendorCount == modelCount { count = vendorCount }
        let architecture = facts["architecture"]?.stringValue ?? ""
        if ["armv", "aarch", "ppc"].contains(where: architecture.hasPrefix) { count = processorCount }
        var nproc = processorCount
        if architecture == "s390x" {
            facts["processor_count"] = 1
            let threads = max(zMaxThread, 1)
            facts["processor_cores"] = .int(Int((Double(zProcessors) / Double(threads)).rounded()))
            facts["processor_threads_per_core"] = .int(zMaxThread)
            facts["processor_vcpus"] = .int(zProcessors)
            nproc = zProcessors
        } else if xenParavirt {
            for key in ["processor_count", "processor_cores", "processor_vcpus"] { facts[key] = .int(count) }
            facts["processor_threads_per_core"] = 1
            nproc = count
        } else {
            let socketCount = sockets.isEmpty ? count : sockets.count
            let coresPerSocket = (sockets.first?.1).flatMap { $0 == 0 ? nil : $0 } ?? 1
            let siblings = cores.first?.1 ?? 1
            let threads = Int((Double(siblings) / Double(coresPerSocket)).rounded(.toNearestOrEven))
            facts["processor_count"] = .int(socketCount)
            facts["processor_cores"] = .int(coresPerSocket)
            facts["processor_threads_per_core"] = .int(threads)
            facts["processor_vcpus"] = .int(threads * socketCount * coresPerSocket)
        }
        facts["processor_nproc"] = .int(allowedCPUCount() ?? nproc)
    }

    /// `len(os.sched_getaffinity(0))`, from the shell's `Cpus_allowed_list`.
    func allowedCPUCount() -> Int? {
        for line in (sections.files["/proc/self/status"] ?? "").split(separator: "\n") where line.hasPrefix("Cpus_allowed_list:") {
            var total = 0
            for range in line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces).split(separator: ",") {
                let bounds = range.split(separator: "-").compactMap { Int($0) }
                if bounds.count == 2 { total += bounds[1] - bounds[0] + 1 } else if bounds.count == 1 { total += 1 }
            }
            return total > 0 ? total : nil
        }
        return nil
    }

    mutating func collectMemory() {
        var memory: [String: Int] = [:]
        for line in (sections.files["/proc/meminfo"] ?? "").split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let kilobytes = parts[1].split(separator: " ").first.flatMap({ Int($0) }) else { continue }
            memory[String(parts[0])] = kilobytes / 1024
        }
        guard let total = memory["MemTotal"], let free = memory["MemFree"] else { return }
        let swapTotal = memory["SwapTotal"] ?? 0, swapFree = memory["SwapFree"] ?? 0
        facts["memtotal_mb"] = .int(total)
        facts["memfree_mb"] = .int(free)
        facts["swaptotal_mb"] = .int(swapTotal)
        facts["swapfree_mb"] = .int(swapFree)
        let nocacheFree = free + (memory["Buffers"] ?? 0) + (memory["Cached"] ?? 0)
        let nocache: Value = ["free": .int(nocacheFree), "used": .int(total - nocacheFree)]
        let real: Value = ["free": .int(free), "total": .int(total), "used": .int(total - free)]
        let swap: Value = ["cached": .int(memory["SwapCached"] ?? 0), "free": .int(swapFree), "total": .int(swapTotal),
                           "used": .int(swapTotal - swapFree)]
        facts["memory_mb"] = ["nocache": nocache, "real": real, "swap": swap]
    }

    /// `\040`-style escapes in /proc/mounts fields.
    static func unescapeOctal(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count, let value = UInt8(String(decoding: utf8[(index + 1)..<(index + 4)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func collectMounts() {
        guard let table = sections.files["/proc/mounts"] else { return }
        var sizes: [String: OrderedDict] = [:]
        for line in FactOutputLines.split(sections.commands["statfs"]) {
            let fields = line.split(separator: "|", maxSplits: 7, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 8 else { continue }
            let numbers = fields[0..<7].compactMap { Int($0) }
            guard numbers.count == 7 else { continue }
            let (bsize, frsize, blocks, _, bavail, files, ffree) = (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5], numbers[6])
            sizes[fields[7]] = .factDict([
                "size_total": .int(frsize * blocks), "size_available": .int(frsize * bavail),
                "block_size": .int(bsize), "block_total": .int(blocks), "block_available": .int(bavail),
                "block_used": .int(blocks - bavail), "inode_total": .int(files), "inode_available": .int(ffree),
                "inode_used": .int(files - ffree),
            ])
        }
        for line in FactOutputLines.split(sections.commands["df"]).dropFirst() {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard words.count >= 6, let blocks = Int(words[1]), let available = Int(words[3]) else { continue }
            let mount = words[5...].joined(separator: " ")
            if sizes[mount] == nil {
                sizes[mount] = .factDict(["size_total": .int(blocks * 1024), "size_available": .int(available * 1024)])
            }
        }
        var uuids: [String: String] = [:]
        for line in FactOutputLines.split(sections.commands["lsblk"]) {
            // "NAME UUID"; the name may contain spaces, the UUID never does.
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard let split = trimmed.lastIndex(where: { $0 == " " || $0 == "\t" }) else { continue }
            let name = trimmed[..<split].trimmingCharacters(in: .whitespaces)
            uuids[name] = String(trimmed[trimmed.index(after: split)...])
        }
        // findmnt shows bind mounts with their source path in brackets: "/dev/vda1[/srv/data]".
        var bindMounts = Set<String>()
        for line in FactOutputLines.split(sections.commands["findmnt"]) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count >= 2, fields[1].contains("]") { bindMounts.insert(String(fields[0])) }
        }
        var mounts: [Value] = []
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ").map { Self.unescapeOctal(String($0)) }
            guard fields.count >= 6 else { continue }
            let (device, mount, fstype) = (fields[0], fields[1], fields[2])
            if (!device.hasPrefix("/") && !device.hasPrefix("\\") && !device.contains(":/")) || fstype == "none" { continue }
            var entry: OrderedDict = .factDict([
                "mount": .string(mount), "device": .string(device), "fstype": .string(fstype),
                "options": .string(fields[3]), "dump": .int(Int(fields[4]) ?? 0), "passno": .int(Int(fields[5]) ?? 0),
            ])
            if bindMounts.contains(mount) { entry["options"] = .string(fields[3] + ",bind") }
            if let size = sizes[mount] { entry.merge(size) }
            entry["uuid"] = .string(uuids[device] ?? "N/A")
            mounts.append(.dict(Self.sorted(entry)))
        }
        facts["mounts"] = .list(mounts)
    }

    /// Ansible's `bytes_to_human`: "0.00 Bytes", "1.50 GB".
    static func bytesToHuman(_ size: Double) -> String {
        let units: [(String, Double)] = [("Y", 0x1p80), ("Z", 0x1p70), ("E", 0x1p60), ("P", 0x1p50), ("T", 0x1p40),
                                         ("G", 0x1p30), ("M", 0x1p20), ("K", 0x1p10)]
        for (suffix, limit) in units where size >= limit {
            return String(format: "%.2f %@B", size / limit, suffix)
        }
        return String(format: "%.2f Bytes", size)
    }

    mutating func collectDevices() {
        var links: [String: [String: [String]]] = [:]
        for kind in ["ids", "uuids", "labels"] {
            var byTarget: [String: [String]] = [:]
            for line in FactOutputLines.split(sections.commands["links:\(kind)"]) {
                guard let arrow = line.range(of: " -> ") else { continue }
                let name = line[..<arrow.lowerBound].split(separator: " ").last.map(String.init) ?? ""
                let target = line[arrow.upperBound...].split(separator: "/").last.map(String.init) ?? ""
                if !name.isEmpty && !target.isEmpty { byTarget[target, default: []].append(name) }
            }
            links[kind] = byTarget.mapValues { $0.sorted() }
        }
        var masters: [String: [String]] = [:]
        for (name, lines) in sections.blockDevices {
            for line in lines where line.hasPrefix("slave=") { masters[String(line.dropFirst(6)), default: []].append(name) }
        }
        links["masters"] = masters.mapValues { $0.sorted() }
        func linkDict(_ map: [String: [String]]) -> Value {
            .dict(OrderedDict(map.keys.sorted().map { ($0, .list(map[$0]!.map { .string($0) })) }))
        }
        facts["device_links"] = .dict(OrderedDict(["ids", "labels", "masters", "uuids"].map { ($0, linkDict(links[$0] ?? [:])) }))
        func linksOf(_ device: String) -> Value {
            .dict(OrderedDict(["ids", "labels", "masters", "uuids"].map { kind in
                (kind, .list((links[kind]?[device] ?? []).map { .string($0) }))
            }))
        }
        var devices = OrderedDict()
        for (name, lines) in sections.blockDevices {
            var attributes: [String: String] = [:]
            var partitions = OrderedDict()
            var holders: [Value] = []
            for line in lines {
                if line.hasPrefix("part=") {
                    let fields = line.dropFirst(5).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                    guard fields.count == 3 else { continue }
                    let sectors = (Int(fields[2]) ?? 0) * 512 / 512
                    partitions[fields[0]] = [
                        "holders": [], "links": linksOf(fields[0]), "sectors": .int(sectors), "sectorsize": 512,
                        "size": .string(Self.bytesToHuman(Double(sectors) * 512)), "start": .string(fields[1]),
                        "uuid": (links["uuids"].flatMap { map in map[fields[0]]?.first }).map { .string($0) } ?? .null,
                    ]
                } else if line.hasPrefix("holder=") {
                    holders.append(.string(String(line.dropFirst(7))))
                } else if let equals = line.firstIndex(of: "=") {
                    attributes[String(line[..<equals])] = String(line[line.index(after: equals)...])
                }
            }
            let sectorSize = attributes["queue/logical_block_size"] ?? attributes["queue/hw_sector_size"] ?? "512"
            let sectors = (Int(attributes["size"] ?? "") ?? 0) * 512 / max(Int(sectorSize) ?? 512, 1)
            var scheduler = ""
            if let text = attributes["queue/scheduler"], let open = text.firstIndex(of: "["),
               let close = text[open...].firstIndex(of: "]") {
                scheduler = String(text[text.index(after: open)..<close])
            }
            func optional(_ key: String) -> Value { attributes[key].map { .string($0.trimmingCharacters(in: .whitespaces)) } ?? .null }
            var device: OrderedDict = .factDict([
                "holders": .list(holders), "host": "", "links": linksOf(name), "model": optional("device/model"),
                "partitions": .dict(partitions), "removable": optional("removable"), "rotational": optional("queue/rotational"),
                "sas_address": optional("device/sas_address"), "sas_device_handle": optional("device/sas_device_handle"),
                "scheduler_mode": .string(scheduler), "sectors": .int(sectors), "sectorsize": .string(sectorSize),
                "size": .string(Self.bytesToHuman(Double(sectors) * Double(Int(sectorSize) ?? 512))),
                "support_discard": attributes["queue/discard_max_hw_bytes"] == "0" ? "0" : optional("queue/discard_granularity"),
                "vendor": optional("device/vendor"), "virtual": 1,
            ])
            if let serial = attributes["device/serial"], !serial.isEmpty { device["serial"] = .string(serial) }
            devices[name] = .dict(device)
        }
        facts["devices"] = .dict(devices)
    }

    /// `lvm`: "N/A" without the LVM tools or without root, else volume groups, logical and
    /// physical volumes with sizes in GiB as the tools print them.
    mutating func collectLVM() {
        guard let vgsOutput = sections.commands["vgs"] else {
            facts["lvm"] = "N/A"
            return
        }
        func rows(_ output: String?) -> [[String]] {
            FactOutputLines.split(output).map { line -> [String] in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                return trimmed.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
        }
        var vgs = OrderedDict(), lvs = OrderedDict(), pvs = OrderedDict()
        for items in rows(vgsOutput) where items.count >= 4 {
            let size = items[items.count - 2], free = items[items.count - 1]
            let group: Value = ["size_g": .string(size), "free_g": .string(free), "num_lvs": .string(items[2]), "num_pvs": .string(items[1])]
            vgs[items[0]] = group
        }
        for items in rows(sections.commands["lvs"]) where items.count >= 4 {
            let volume: Value = ["size_g": .string(items[3]), "vg": .string(items[1])]
            lvs[items[0]] = volume
        }
        for items in rows(sections.commands["pvs"]) where items.count >= 6 {
            let physical: Value = ["size_g": .string(items[4]), "free_g": .string(items[5]), "vg": .string(items[1])]
            pvs[items[0]] = physical
        }
        facts["lvm"] = .dict(.factDict(["lvs": .dict(lvs), "vgs": .dict(vgs), "pvs": .dict(pvs)]))
    }
}
