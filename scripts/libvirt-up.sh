#!/usr/bin/env bash
# Makes sure the system libvirt daemons (virtlogd, libvirtd) run and qemu:///system answers.
# These machines have no systemd: the daemons are started directly with -d (daemonise).
# Idempotent and safe to call many times, also concurrently (serialised by a lock file).
# Never starts (nor autostarts) libvirt's `default` NAT network: its NAT would carry guest traffic
# out of the machine.
# Prints one line; exits non-zero if libvirt does not answer within SKIFF_LIBVIRT_TIMEOUT seconds (30).
set -euo pipefail

URI="qemu:///system"
TIMEOUT="${SKIFF_LIBVIRT_TIMEOUT:-30}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

for tool in virsh libvirtd virtlogd; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || {
        echo "skiff: $tool not found; run scripts/deps.sh first" >&2; exit 1; }
done
export PATH="$PATH:/usr/sbin:/sbin"

answers() { $SUDO virsh -c "$URI" version >/dev/null 2>&1; }

# A daemon started with -d as root writes /run/<name>.pid and holds a lock on it.
running() {
    local pidfile="/run/$1.pid" pid
    [ -r "$pidfile" ] || return 1
    pid="$(cat "$pidfile" 2>/dev/null)" || return 1
    [ -n "$pid" ] && [ -d "/proc/$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ]
}

# The `default` network must never autostart: drop an autostart link before libvirtd reads it.
disable_default_autostart() {
    local link=/etc/libvirt/qemu/networks/autostart/default.xml
    if [ -e "$link" ] || [ -L "$link" ]; then
        $SUDO rm -f "$link"
        echo "skiff: removed autostart of libvirt's 'default' network ($link)" >&2
    fi
}

# Without udev, /dev/kvm stays root-only (crw-------). libvirt probes QEMU with KVM enabled, then
# finds KVM "not available now" for the libvirt-qemu user, throws its capabilities cache away and
# probes again on every lookup: each `virsh create` then takes ~50 s instead of ~0.2 s. Give
# /dev/kvm the mode Debian's udev rules give it (root:kvm 0660; libvirt-qemu is in group kvm).
# Guests still run under TCG: Skiff's domains are <domain type='qemu'> here (see FACTS.md).
fix_kvm_node() {
    [ -c /dev/kvm ] || return 0
    getent group kvm >/dev/null 2>&1 || return 0
    if [ "$(stat -c '%G %a' /dev/kvm)" != "kvm 660" ]; then
        $SUDO chgrp kvm /dev/kvm && $SUDO chmod 660 /dev/kvm
    fi
}

start_daemons() {
    disable_default_autostart
    if ! running virtlogd; then
        $SUDO virtlogd -d
    fi
    if ! running libvirtd && ! answers; then
        $SUDO libvirtd -d
    fi
}

fix_kvm_node

if ! { running virtlogd && answers; }; then
    lock=/run/skiff-libvirt-up.lock
    exec 9>>"$lock" 2>/dev/null || { lock=/tmp/skiff-libvirt-up.lock; exec 9>>"$lock"; }
    flock -w "$TIMEOUT" 9 || { echo "skiff: could not take $lock" >&2; exit 1; }
    # Re-check under the lock: a concurrent caller may have started them meanwhile.
    running virtlogd && answers || start_daemons
fi

deadline=$((SECONDS + TIMEOUT))
until answers; do
    if ((SECONDS >= deadline)); then
        echo "skiff: libvirt does not answer on $URI after ${TIMEOUT}s" >&2
        exit 1
    fi
    sleep 0.2
done

# Guard: the `default` NAT network must not be active. (We never start it; if something else did,
# say so loudly and stop it, so that no guest traffic can leave the machine through it.)
if $SUDO virsh -c "$URI" net-list --name 2>/dev/null | grep -qx default; then
    echo "skiff: libvirt's 'default' NAT network was active; stopping it" >&2
    $SUDO virsh -c "$URI" net-destroy default >/dev/null
fi

version="$($SUDO virsh -c "$URI" version 2>/dev/null | sed -n 's/^Running hypervisor: *//p')"
echo "libvirt up: $URI (libvirtd pid $(cat /run/libvirtd.pid 2>/dev/null || echo '?'), virtlogd pid $(cat /run/virtlogd.pid 2>/dev/null || echo '?'), ${version:-hypervisor ?})"
