import Foundation
import Jinja

/// Virtualization facts, following the order of Ansible's Linux checks: containers first,
/// then hypervisors seen from the guest, then hypervisor support on the host.
extension FactParser {
    mutating func collectVirtualization() {
        var type: String?
        var role: String?
        var guest: [String] = [], host: [String] = []
        func addGuest(_ tech: String) { if !guest.contains(tech) { guest.append(tech) } }
        func addHost(_ tech: String) { if !host.contains(tech) { host.append(tech) } }
        /// Records a guest technology; the first one found names the virtualization type.
        func foundGuest(_ tech: String, type newType: String? = nil, role newRole: String? = "guest") {
            addGuest(tech)
            if type == nil {
                type = newType ?? tech
                if let newRole { role = newRole }
            }
        }

        for line in (sections.files["/proc/1/cgroup"] ?? "").split(separator: "\n") {
            if line.range(of: #"/docker(/|-[0-9a-f]+\.scope)"#, options: .regularExpression) != nil { foundGuest("docker") }
            if line.contains("/lxc/") || line.contains("/machine.slice/machine-lxc") { foundGuest("lxc") }
            if line.contains("/system.slice/containerd.service") { foundGuest("containerd") }
        }
        for line in (sections.commands["environ1"] ?? "").split(separator: "\n") {
            if line.contains("container=lxc") { foundGuest("lxc") }
            if line.contains("container=podman") { foundGuest("podman") }
            if line.hasPrefix("container="), line.count > "container=".count { foundGuest("container") }
        }
        if sections.exists("/proc/vz") && !sections.exists("/proc/lve") {
            let isHost = sections.exists("/proc/bc")
            if isHost { addHost("openvz") } else { addGuest("openvz") }
            if type == nil { role = isHost ? "host" : "guest" }
            type = "openvz"
        }
        let systemdContainer = sections.file("/run/systemd/container") ?? ""
        if !systemdContainer.isEmpty { foundGuest(systemdContainer) }
        if sections.exists("/.dockerenv") || sections.exists("/.dockerinit") { foundGuest("docker") }
        if !Set(guest).isDisjoint(with: ["docker", "lxc", "podman", "openvz", "containerd"]) || !systemdContainer.isEmpty {
            addGuest("container")
        }
        if sections.exists("/proc/xen") {
            let isHost = (sections.files["/proc/xen/capabilities"] ?? "").contains("control_d")
            if isHost { addHost("xen") }
            if type == nil { type = "xen"; role = isHost ? "host" : "guest" }
        }
        if type == nil { role = "guest" }

        let productName = dmi("product_name")
        let vendor = dmi("sys_vendor")
        if let product = productName, ["KVM", "KVM Server", "Bochs", "AHV", "CloudStack KVM Hypervisor"].contains(product) {
            foundGuest("kvm", role: nil)
        }
        if vendor == "oVirt" { foundGuest("oVirt", role: nil) }
        if vendor == "Red Hat" {
            if dmi("product_family") == "RHV" { foundGuest("RHV", role: nil) }
            else if productName == "RHEV Hypervisor" { foundGuest("RHEV", role: nil) }
        }
        if productName?.hasPrefix("VMware") == true { foundGuest("VMware", role: nil) }
        if let product = productName, ["OpenStack Compute", "OpenStack Nova"].contains(product) { foundGuest("openstack", role: nil) }
        let biosVendor = dmi("bios_vendor")
        if biosVendor == "Xen" { foundGuest("xen", role: nil) }
        if biosVendor == "innotek GmbH" { foundGuest("virtualbox", role: nil) }
        if let bios = biosVendor, ["Amazon EC2", "DigitalOcean", "Hetzner", "Linode"].contains(bios) { foundGuest("kvm", role: nil) }
        if let vendor, ["QEMU", "Amazon EC2", "DigitalOcean", "Google", "Scaleway", "Nutanix"].contains(vendor) {
            foundGuest("kvm", role: nil)
        }
        if vendor == "KubeVirt" { foundGuest("KubeVirt", role: nil) }
        if vendor == "Microsoft Corporation" { foundGuest("VirtualPC", role: nil) }
        if vendor == "Parallels Software International Inc." { foundGuest("parallels", role: nil) }
        if vendor == "OpenStack Foundation" { foundGuest("openstack", role: nil) }

        for line in (sections.files["/proc/cpuinfo"] ?? "").split(separator: "\n") {
            if line.hasPrefix("model name"), line.contains("QEMU Virtual CPU") { foundGuest("kvm", role: nil) }
            else if line.hasPrefix("vendor_id"), line.contains("User Mode Linux") { foundGuest("uml", role: nil) }
            else if line.hasPrefix("model name"), line.contains("UML") { foundGuest("uml", role: nil) }
            else if line.hasPrefix("vendor_id"), line.contains("PowerVM Lx86") { foundGuest("powervm_lx86", role: nil) }
        }

        if let modules = sections.files["/proc/modules"] {
            let names = Set(modules.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
            if names.contains("kvm") {
                addHost("kvm")
                if type == nil { type = "kvm"; role = "host" }
            }
            if names.contains("vboxdrv") {
                addHost("virtualbox")
                if type == nil { type = "virtualbox"; role = "host" }
            }
            if names.contains("virtio") {
                addHost("kvm")
                if type == nil { type = "kvm"; role = "guest" }
            }
        }
        if sections.exists("/dev/kvm") {
            addHost("kvm")
            if type == nil { type = "kvm"; role = "host" }
        }
        facts["virtualization_type"] = .string(type ?? "NA")
        facts["virtualization_role"] = .string(type == nil ? "NA" : (role ?? "NA"))
        facts["virtualization_tech_guest"] = .list(guest.map { .string($0) })
        facts["virtualization_tech_host"] = .list(host.map { .string($0) })
    }
}
