import Foundation

/// The POSIX `/bin/sh` program that collects raw fact material on a managed host in one
/// round trip, without Python.
///
/// The script only *reads* (files under /proc, /sys and /etc) and runs a handful of
/// standard tools; every interpretation happens on the controller in ``FactParser``.
/// Its output is a series of sections, each introduced by a marker line
/// `==troupe-<nonce>:<name>==`; the nonce is random per run so that file contents can
/// never be mistaken for a marker. Every marker is preceded by a newline, so a section's
/// content is the text between markers minus exactly one trailing newline.
///
/// Section names:
/// - `file:<path>`: the content of a readable regular file (builtin `read` loop, no fork)
/// - `cmd:<name>`: the standard output of a command
/// - `exists`: one line per probed path that exists
/// - `net:<device>`: `key=value` lines of one /sys/class/net entry
/// - `localfile:<path>` / `localexec:<path>` + `localrc:<rc>`: local fact files
enum FactScript {
    /// Builds the script for the collectors that are wanted.
    /// - Parameters:
    ///   - nonce: random marker suffix, letters and digits only
    ///   - collectors: the resolved collector names (see ``FactSubsets``)
    ///   - factPath: directory holding `*.fact` local facts
    static func build(nonce: String, collectors: Set<String>, factPath: String) -> String {
        func flag(_ names: String...) -> String {
            names.contains(where: collectors.contains) ? "1" : ""
        }
        let header = """
        M='==troupe-\(nonce)'
        FACT_PATH=\(shellQuote(factPath))
        W_PLATFORM=\(flag("platform", "hardware", "network"))
        W_DIST=\(flag("distribution", "network", "pkg_mgr", "service_mgr"))
        W_LSB=\(flag("lsb"))
        W_USER=\(flag("user"))
        W_ENV=\(flag("env"))
        W_DATE=\(flag("date_time"))
        W_DNS=\(flag("dns"))
        W_CMDLINE=\(flag("cmdline"))
        W_PKG=\(flag("pkg_mgr"))
        W_SVC=\(flag("service_mgr", "systemd"))
        W_SECURITY=\(flag("selinux", "apparmor", "fips"))
        W_CHROOT=\(flag("chroot"))
        W_CAPS=\(flag("caps"))
        W_SSH=\(flag("ssh_pub_keys"))
        W_LOADAVG=\(flag("loadavg"))
        W_LOCAL=\(flag("local"))
        W_HW=\(flag("hardware"))
        W_VIRT=\(flag("virtual"))
        W_NET=\(flag("network"))
        W_NETEXTRA=\(flag("fibre_channel_wwn", "iscsi", "nvme"))
        W_PYTHON=\(flag("python", "platform"))

        """
        return header + body
    }

    /// The fixed part of the script. Kept free of `$(...)` inside loops and of
    /// per-file `cat` so that a full gather spawns only about fifteen processes.
    static let body = #"""
    exec 2>/dev/null
    case $FACT_PATH in "~"/*) FACT_PATH=$HOME/${FACT_PATH#"~/"};; esac
    sec() { printf '\n%s:%s==\n' "$M" "$1"; }
    # Before anything changes the environment (cd updates PWD).
    if [ -n "$W_ENV" ]; then sec cmd:env0; env -0 || { sec cmd:env; env; }; fi
    cd / || true
    rf() {
      for _f; do
        [ -f "$_f" ] && [ -r "$_f" ] || continue
        sec "file:$_f"
        while IFS= read -r _l || [ -n "$_l" ]; do printf '%s\n' "$_l"; done < "$_f"
      done
    }
    has() { command -v "$1" >/dev/null 2>&1; }
    ex() { for _p; do [ -e "$_p" ] && printf '%s\n' "$_p"; done; }
    sec start
    rf /proc/self/status /proc/sys/kernel/hostname
    if [ -n "$W_PLATFORM" ]; then
      rf /proc/sys/kernel/ostype /proc/sys/kernel/osrelease /proc/sys/kernel/version /etc/machine-id /var/lib/dbus/machine-id
      sec cmd:uname_m; uname -m
      sec cmd:long_bit; getconf LONG_BIT
      _node=
      read -r _node < /proc/sys/kernel/hostname || _node=$(uname -n)
      if has getent; then
        _h=$(getent hosts "$_node")
        sec cmd:hosts; printf '%s\n' "$_h"
        [ -n "$_h" ] && { sec cmd:hosts_reverse; getent hosts "${_h%%[ 	]*}"; }
      else
        rf /etc/hosts
      fi
      [ -r /proc/sys/kernel/osrelease ] || { sec cmd:uname_all; uname -s; uname -r; uname -v; uname -n; }
    fi
    if [ -n "$W_DIST" ]; then
      rf /etc/os-release /usr/lib/os-release /etc/debian_version /etc/redhat-release /etc/centos-release \
         /etc/alpine-release /etc/system-release /etc/oracle-release /etc/SuSE-release /etc/gentoo-release \
         /etc/altlinux-release /etc/openwrt_release /etc/lsb-release
      sec exists; ex /etc/arch-release /etc/vmware-release
    fi
    if [ -n "$W_LSB" ]; then
      if has lsb_release; then
        # lsb-release-minimal only restates os-release; reading that saves ~5 processes.
        _sig=
        { read -r _l1; read -r _l2; read -r _l3; _sig=$_l3; } < /usr/bin/lsb_release
        case "$_sig" in
          *"Gioele Barabucci"*) sec exists; echo '@lsb_minimal'; rf /etc/os-release /usr/lib/os-release ;;
          *) sec cmd:lsb_release; lsb_release -a ;;
        esac
      else
        rf /etc/lsb-release
      fi
    fi
    if [ -n "$W_USER" ]; then
      _u=${LOGNAME:-${USER:-${LNAME:-$USERNAME}}}
      _uid=
      while read -r _k _a _rest; do [ "$_k" = "Uid:" ] && _uid=$_a; done < /proc/self/status
      sec cmd:ids; printf 'name=%s\n' "$_u"
      [ -n "$_uid" ] || { _uid=$(id -u); printf 'ruid=%s\neuid=%s\nrgid=%s\negid=%s\n' "$_uid" "$_uid" "$(id -g)" "$(id -g)"; }
      sec cmd:passwd
      if has getent; then
        { [ -n "$_u" ] && getent passwd "$_u"; } || getent passwd "$_uid"
      else
        # The login name's entry, else the first entry with the uid (getpwnam, then getpwuid).
        _pw=
        while IFS= read -r _l; do
          _r=${_l#*:}; _r=${_r#*:}
          if [ -n "$_u" ] && [ "${_l%%:*}" = "$_u" ]; then _pw=$_l; break; fi
          [ -z "$_pw" ] && [ "${_r%%:*}" = "$_uid" ] && _pw=$_l
        done < /etc/passwd
        printf '%s\n' "$_pw"
      fi
    fi
    if [ -n "$W_DATE" ]; then
      _d=$(date '+%Y|%m|%d|%H|%M|%S|%A|%w|%W|%Z|%z|%s|%N')
      sec cmd:date; printf '%s\n' "$_d"
      _y=${_d%%|*}
      sec cmd:tz_jan; date -d "$_y-01-01 12:00" '+%Z|%z'
      sec cmd:tz_jul; date -d "$_y-07-01 12:00" '+%Z|%z'
    fi
    [ -n "$W_DNS" ] && rf /etc/resolv.conf
    [ -n "$W_CMDLINE" ] && rf /proc/cmdline
    if [ -n "$W_PKG" ]; then
      sec exists
      ex /usr/bin/rpm-ostree /usr/bin/yum /usr/bin/dnf-3 /usr/bin/dnf5 /usr/bin/apt-get /usr/bin/zypper \
         /usr/sbin/urpmi /usr/bin/pacman /bin/opkg /usr/pkg/bin/pkgin /opt/local/bin/pkgin /opt/tools/bin/pkgin \
         /opt/local/bin/port /usr/local/bin/brew /opt/homebrew/bin/brew /sbin/apk /usr/sbin/pkg /usr/sbin/swlist \
         /usr/bin/emerge /usr/sbin/pkgadd /usr/bin/pkg /usr/bin/xbps-install /usr/local/sbin/pkg /usr/bin/swupd \
         /usr/sbin/sorcery /usr/bin/installp /run/ostree-booted /usr/bin/dnf /usr/bin/microdnf /usr/bin/rpm
      for _p in /usr/bin/dnf /usr/bin/microdnf; do
        [ -L "$_p" ] && { sec "cmd:realpath:$_p"; readlink -f "$_p"; }
      done
      if [ -e /usr/bin/rpm ] && [ -e /usr/bin/apt-get ]; then
        sec cmd:apt_rpm; /usr/bin/rpm -q --whatprovides /usr/bin/apt-get >/dev/null && echo yes
      fi
    fi
    if [ -n "$W_SVC" ]; then
      rf /proc/1/comm
      [ -r /proc/1/comm ] || { sec cmd:ps1; ps -p 1 -o comm | tail -n 1; }
      [ -L /sbin/init ] && { sec cmd:sbin_init; readlink /sbin/init; }
      sec exists
      ex /run/systemd/system/ /dev/.run/systemd/ /dev/.systemd/ /etc/init/ /sbin/openrc /etc/init.d/ /etc/dinit.d/
      has systemctl && echo '@systemctl'
      has initctl && echo '@initctl'
      if has systemctl && [ -e /run/systemd/system/ ]; then sec cmd:systemd_version; systemctl --version; fi
    fi
    if [ -n "$W_SECURITY" ]; then
      rf /sys/fs/selinux/enforce /sys/fs/selinux/policyvers /etc/selinux/config /proc/sys/crypto/fips_enabled
      sec exists; ex /sys/fs/selinux /sys/kernel/security/apparmor
    fi
    if [ -n "$W_CHROOT" ]; then
      sec cmd:chroot_env; printf '%s\n' "${debian_chroot:-}"
      sec cmd:chroot_stat; stat -c '%d %i' / /proc/1/root/.
      sec cmd:chroot_fstype; stat -f -c '%T' /
    fi
    if [ -n "$W_CAPS" ] && has capsh; then sec cmd:capsh; capsh --print; fi
    [ -n "$W_SSH" ] && rf /etc/ssh/ssh_host_dsa_key.pub /etc/ssh/ssh_host_rsa_key.pub \
      /etc/ssh/ssh_host_ecdsa_key.pub /etc/ssh/ssh_host_ed25519_key.pub
    [ -n "$W_LOADAVG" ] && rf /proc/loadavg
    # The python facts describe an interpreter, so ask the first one found (ansible-core's
    # discovery order); a host without Python simply has none.
    if [ -n "$W_PYTHON" ]; then
      for _p in /usr/bin/python3 /usr/libexec/platform-python python3 /usr/bin/python python; do
        has "$_p" || continue
        sec cmd:python
        "$_p" -c 'import sys, platform; v = sys.version_info; print(sys.executable); print(" ".join(str(x) for x in v[:5])); print(platform.python_version()); print(sys.implementation.name); import ssl; print(hasattr(ssl, "SSLContext"))'
        break
      done
    fi
    if [ -n "$W_LOCAL" ] && [ -d "$FACT_PATH" ]; then
      for _f in "$FACT_PATH"/*.fact; do
        [ -e "$_f" ] || continue
        if [ -x "$_f" ]; then
          sec "localexec:$_f"; "$_f"; _rc=$?; sec "localrc:$_rc"
        elif [ -r "$_f" ]; then
          sec "localfile:$_f"
          while IFS= read -r _l || [ -n "$_l" ]; do printf '%s\n' "$_l"; done < "$_f"
        else
          sec "localunreadable:$_f"
        fi
      done
    fi
    if [ -n "$W_HW" ] || [ -n "$W_VIRT" ]; then
      rf /proc/cpuinfo
      for _k in bios_date bios_vendor bios_version board_asset_tag board_name board_serial board_vendor \
          board_version chassis_asset_tag chassis_serial chassis_type chassis_vendor chassis_version \
          product_name product_serial product_uuid product_version product_family sys_vendor; do
        rf "/sys/devices/virtual/dmi/id/$_k"
      done
    fi
    if [ -n "$W_HW" ]; then
      rf /proc/meminfo /proc/uptime /proc/mounts /sys/hypervisor/type
      sec exists; ex /proc/xen
      set --
      while read -r _dev _mnt _fs _rest; do
        case "$_dev" in /*|\\*|*:/*) ;; *) continue;; esac
        [ "$_fs" = none ] && continue
        case "$_mnt" in *\\*) _mnt=$(printf '%b' "$_mnt");; esac
        set -- "$@" "$_mnt"
      done < /proc/mounts
      if [ $# -gt 0 ]; then
        sec cmd:statfs
        stat -f -c '%s|%S|%b|%f|%a|%c|%d|%n' -- "$@" || { sec cmd:df; df -P -k -- "$@"; }
      fi
      if has lsblk; then sec cmd:lsblk; lsblk --list --noheadings --paths --output NAME,UUID --exclude 2; fi
      if has findmnt; then sec cmd:findmnt; findmnt --list --noheadings --notruncate; fi
      if has vgs; then
        # Like Ansible, only root gets LVM details.
        _ruid=
        while read -r _k _a _rest; do [ "$_k" = "Uid:" ] && _ruid=$_a; done < /proc/self/status
        if [ "$_ruid" = 0 ]; then
          sec cmd:vgs; vgs --noheadings --nosuffix --units g --separator ,
          has lvs && { sec cmd:lvs; lvs --noheadings --nosuffix --units g --separator ,; }
          has pvs && { sec cmd:pvs; pvs --noheadings --nosuffix --units g --separator ,; }
        fi
      else
        sec exists; echo '@novgs'
      fi
      for _b in /sys/block/*; do
        [ -e "$_b" ] || continue
        _n=${_b##*/}
        sec "block:$_n"
        for _k in removable size queue/rotational queue/scheduler queue/logical_block_size \
            queue/hw_sector_size queue/discard_granularity queue/discard_max_hw_bytes \
            device/vendor device/model device/sas_address device/sas_device_handle device/serial; do
          [ -r "$_b/$_k" ] && { read -r _v < "$_b/$_k"; printf '%s=%s\n' "$_k" "$_v"; }
        done
        for _p in "$_b/$_n"*; do
          [ -e "$_p/start" ] || continue
          read -r _s < "$_p/start"; read -r _z < "$_p/size"
          printf 'part=%s|%s|%s\n' "${_p##*/}" "$_s" "$_z"
        done
        for _s in "$_b"/slaves/*; do [ -e "$_s" ] && printf 'slave=%s\n' "${_s##*/}"; done
        for _h in "$_b"/holders/dm-*; do
          [ -e "$_h" ] || continue
          _hn=; read -r _hn < "$_h/dm/name"
          printf 'holder=%s\n' "${_hn:-${_h##*/}}"
        done
      done
      for _dir in ids uuids labels; do
        _src=/dev/disk/by-${_dir%s}
        [ "$_dir" = ids ] && _src=/dev/disk/by-id
        [ -d "$_src" ] || continue
        sec "cmd:links:$_dir"; ls -l "$_src"
      done
    fi
    if [ -n "$W_VIRT" ]; then
      rf /proc/1/cgroup /run/systemd/container /proc/xen/capabilities /proc/modules
      [ -r /proc/1/environ ] && { sec cmd:environ1; tr '\000' '\n' < /proc/1/environ; }
      sec exists
      ex /proc/1/cgroup /proc/vz /proc/lve /proc/bc /.dockerenv /.dockerinit /proc/xen /dev/kvm
    fi
    if [ -n "$W_NET" ]; then
      for _n in /sys/class/net/*; do
        [ -d "$_n" ] || continue
        sec "net:${_n##*/}"
        for _k in address mtu operstate type speed flags bonding/slaves bonding/mode bonding/miimon \
            bonding/lacp_rate bonding/primary bonding/all_slaves_active bonding_slave/perm_hwaddr \
            bridge/bridge_id bridge/stp_state; do
          [ -r "$_n/$_k" ] && { _v=; read -r _v < "$_n/$_k" && printf '%s=%s\n' "$_k" "$_v"; }
        done
        [ -d "$_n/bridge" ] && echo 'is_bridge=1'
        [ -d "$_n/bonding" ] && echo 'is_bonding=1'
        for _b in "$_n"/brif/*; do [ -e "$_b" ] && printf 'brif=%s\n' "${_b##*/}"; done
        if [ -e "$_n/device" ] && cd -P "$_n/device"; then printf 'pciid=%s\n' "${PWD##*/}"; cd /; fi
        if [ -e "$_n/device/driver/module" ] && cd -P "$_n/device/driver/module"; then printf 'module=%s\n' "${PWD##*/}"; cd /; fi
      done
      if has ethtool; then
        for _n in /sys/class/net/*; do
          [ -d "$_n" ] || continue
          _o=$(ethtool -k "${_n##*/}") && { sec "cmd:ethtool_k:${_n##*/}"; printf '%s\n' "$_o"; }
          _o=$(ethtool -T "${_n##*/}") && { sec "cmd:ethtool_t:${_n##*/}"; printf '%s\n' "$_o"; }
        done
      fi
      if has ip; then
        sec cmd:ip_addr; ip addr show
        sec cmd:ip4_default; ip -4 route get 8.8.8.8
        sec cmd:ip6_default; ip -6 route get 2404:6800:400a:800::1012
        sec cmd:ip4_local; ip -4 route show table local
        sec cmd:ip6_local; ip -6 route show table local
      else
        has ifconfig && { sec cmd:ifconfig; ifconfig -a; }
        rf /proc/net/route /proc/net/if_inet6 /proc/net/ipv6_route
      fi
    fi
    if [ -n "$W_NETEXTRA" ]; then
      rf /etc/iscsi/initiatorname.iscsi /etc/nvme/hostnqn
      for _p in /sys/class/fc_host/*/port_name; do rf "$_p"; done
    fi
    sec end
    exit 0
    """#
}
