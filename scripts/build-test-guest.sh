#!/usr/bin/env bash
# Builds a tiny bootable test guest (qcow2 disk image) from Debian packages, once, and caches it.
#
#   scripts/build-test-guest.sh [OUTPUT_DIR]
#
# The guest: Debian's cloud kernel (linux-image-6.1.0-*-cloud-amd64) + a busybox initramfs on an
# unpartitioned FAT disk booted by syslinux. Its /init prints markers on the serial console (ttyS0):
#   SKIFF-GUEST-BOOTING                       early, once /proc, /sys, /dev are mounted
#   SKIFF-GUEST-HOSTNAME=<local-hostname>     if a NoCloud seed CD (label cidata) is attached
#   SKIFF-GUEST-MOUNT=<dev> <dir> ok|failed formatted=yes|no   for each "mounts" entry of the seed's
#                                             user-data (blank disks get a file system first, as cloud-init's
#                                             fs_setup with overwrite=false does)
#   SKIFF-GUEST-IP=<addr> GW=<router> HOSTNAME=<hostname>   if eth0 exists and udhcpc got a lease
#   SKIFF-GUEST-DHCP-FAILED                   if eth0 exists and no lease came
#   SKIFF-GUEST-DISKS <dev>=<bytes> ...       block devices and sizes, at READY and whenever they change
#                                             (a disk extended, a CD inserted or ejected), checked every 2 s
#   SKIFF-GUEST-READY                         then a heartbeat line every 10 s
#   SKIFF-GUEST-AGENT=started port=<vportNpM> | SKIFF-GUEST-AGENT=none
#                                             qemu-ga runs on the virtio port org.qemu.guest_agent.0, or the
#                                             domain has no such port (printed in the background, within 5 s)
#   SKIFF-GUEST-HOSTNAME-NOW=<name>           the host name changed after READY (e.g. through the agent's guest-exec)
#   SKIFF-GUEST-SHADOW user=<user> changed    a user's /etc/shadow entry changed after READY (e.g. through the
#                                             agent's guest-set-user-password); never the password or its hash
# The changes after READY are checked every 2 s with the disks.
# Users: root (no password) and, with a seed, the user-data's first user "name" with its "passwd" hash
# (as cloud-init's users entry would), in /etc/passwd and /etc/shadow, so the guest's chpasswd (which the
# agent runs for guest-set-user-password; a small script, Debian's busybox-static has no chpasswd) finds it.
# Guest agent: Debian's qemu-guest-agent (qemu-ga) with the shared libraries its ELF NEEDED entries
# resolve to (glibc, glib, libudev, libnuma, liburing, pcre2), taken from the Debian packages of those
# libraries (downloaded, not the host's), found with the packages' own ld.so --list.
# Modules in the initramfs: virtio_blk, virtio_net, virtio_pci, virtio_console (+ dependencies), and ata_piix,
# sr_mod, isofs for the seed CD, ext4 for data disks. No network interface is needed to build or to boot it.
#
# Output: OUTPUT_DIR (default ~/.cache/skiff/test-guest/<key>/, key = hash of this script and the
# resolved package versions) holding test-guest.qcow2, vmlinuz, initrd.img, syslinux.cfg and
# MANIFEST. The last line printed is the image path. A cache hit does no apt/dpkg work at all.
# Needs: apt-get (downloads the kernel, busybox, qemu-guest-agent and its library packages), dpkg,
# depmod/modprobe (kmod), cpio, gzip, mtools, dosfstools, syslinux, qemu-img — see scripts/deps.sh. Does not need root (except for a first
# `apt-get update` on a machine that never ran one).
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
export LC_ALL=C

SELF="$(readlink -f "${BASH_SOURCE[0]}")"
CACHE_ROOT="${SKIFF_CACHE:-$HOME/.cache/skiff}/test-guest"
IMAGE_NAME=test-guest.qcow2
MODULES=(virtio_pci virtio_blk virtio_net virtio_console ata_piix sr_mod isofs ext4)
KERNEL_META=linux-image-cloud-amd64
BUSYBOX=busybox-static
AGENT=qemu-guest-agent

log() { echo "skiff-test-guest: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
sha() { sha256sum | cut -c1-16; }

out_arg="${1:-}"
[ -z "$out_arg" ] || out_arg="$(readlink -m "$out_arg")"
script_hash="$(sha <"$SELF")"

# --- fast path: nothing changed since the last lookup (same script, same apt lists) -------------
# The apt lists' names/sizes/mtimes stand in for "the resolved package versions" without asking apt.
lists_fp="$(stat -c '%n %s %Y' /var/lib/apt/lists/*Packages* 2>/dev/null | sha || true)"
quick="$(printf '%s\n%s\n%s\n' "$script_hash" "$lists_fp" "$out_arg" | sha)"
quick_file="$CACHE_ROOT/.lookup/$quick"
if [ -r "$quick_file" ]; then
    cached="$(cat "$quick_file")"
    if [ -f "$cached" ]; then
        echo "$cached"
        exit 0
    fi
fi

# --- resolve versions from the local apt metadata (no download) --------------------------------
field() { # field <package> <Field>: the candidate version's field
    apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n "s/^$2: //p" | head -n1
}
if [ -z "$(field "$KERNEL_META" Version)" ] || [ -z "$(field "$BUSYBOX" Version)" ] || [ -z "$(field "$AGENT" Version)" ]; then
    log "apt lists lack $KERNEL_META/$BUSYBOX/$AGENT; running apt-get update"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get -o DPkg::Lock::Timeout=600 update -q >&2
fi
kernel_pkg="$(field "$KERNEL_META" Depends | tr ',' '\n' | grep -o 'linux-image-[0-9][^ ]*-cloud-amd64' | head -n1)"
[ -n "$kernel_pkg" ] || die "cannot resolve the versioned kernel package from $KERNEL_META"
kernel_ver="$(field "$kernel_pkg" Version)"
busybox_ver="$(field "$BUSYBOX" Version)"
[ -n "$kernel_ver" ] && [ -n "$busybox_ver" ] || die "cannot resolve versions of $kernel_pkg / $BUSYBOX"
# qemu-guest-agent and the lib* packages of its Depends/Pre-Depends, transitively (name=version, sorted):
# the libraries qemu-ga needs come from these packages, so their versions are part of the key
agent_pkgs=()
declare -A agent_seen=()
queue=("$AGENT")
while ((${#queue[@]})); do
    p="${queue[0]}"; queue=("${queue[@]:1}")
    [ -n "${agent_seen[$p]:-}" ] && continue
    agent_seen[$p]=1
    v="$(field "$p" Version)"
    [ -n "$v" ] || die "cannot resolve the version of $p (needed by $AGENT)"
    agent_pkgs+=("$p=$v")
    for d in $( { field "$p" Pre-Depends; echo ,; field "$p" Depends; } \
            | tr ',' '\n' | sed 's/|.*//; s/([^)]*)//g; s/:any//; s/[[:space:]]//g'); do
        case "$d" in lib*) queue+=("$d") ;; esac
    done
done
mapfile -t agent_pkgs < <(printf '%s\n' "${agent_pkgs[@]}" | sort)

key="$( { printf '%s\n%s=%s\n%s=%s\n' "$script_hash" "$kernel_pkg" "$kernel_ver" "$BUSYBOX" "$busybox_ver"
          printf '%s\n' "${agent_pkgs[@]}"; } | sha)"
if [ -n "$out_arg" ]; then
    mkdir -p "$out_arg"
    OUT="$(readlink -f "$out_arg")"
else
    OUT="$CACHE_ROOT/$key"
fi
IMAGE="$OUT/$IMAGE_NAME"

remember() {
    mkdir -p "$CACHE_ROOT/.lookup"
    printf '%s\n' "$IMAGE" >"$quick_file.$$" && mv -f "$quick_file.$$" "$quick_file"
}
is_built() { [ -f "$IMAGE" ] && [ "$(cat "$OUT/KEY" 2>/dev/null)" = "$key" ]; }

if is_built; then
    remember
    echo "$IMAGE"
    exit 0
fi

# --- build (serialised: concurrent callers wait and then find the result) ----------------------
mkdir -p "$CACHE_ROOT"
exec 9>>"$CACHE_ROOT/.build.lock"
flock -w 900 9 || die "timed out waiting for another build ($CACHE_ROOT/.build.lock)"
if is_built; then
    remember
    echo "$IMAGE"
    exit 0
fi

rm -rf "$CACHE_ROOT"/.work.* "$CACHE_ROOT"/*.new.*   # left by a killed build (we hold the lock)
started=$SECONDS
log "building $kernel_pkg=$kernel_ver + $BUSYBOX=$busybox_ver + ${agent_pkgs[*]} (key $key)"
WORK="$(mktemp -d "$CACHE_ROOT/.work.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# 1. download and unpack the packages (the agent and its libraries into one sysroot)
mkdir -p "$WORK/debs" "$WORK/agent-debs"
chmod 755 "$WORK" "$WORK/debs" "$WORK/agent-debs"
apt_opts=(-q -o DPkg::Lock::Timeout=600)
[ "$(id -u)" -ne 0 ] || apt_opts+=(-o APT::Sandbox::User=root)
(cd "$WORK/debs" && apt-get "${apt_opts[@]}" download "$kernel_pkg=$kernel_ver" "$BUSYBOX=$busybox_ver" >&2) \
    || die "apt-get download failed"
(cd "$WORK/agent-debs" && apt-get "${apt_opts[@]}" download "${agent_pkgs[@]}" >&2) \
    || die "apt-get download of ${agent_pkgs[*]} failed"
dpkg -x "$WORK"/debs/linux-image-*.deb "$WORK/kernel"
dpkg -x "$WORK"/debs/busybox-static_*.deb "$WORK/busybox"
for deb in "$WORK"/agent-debs/*.deb; do dpkg -x "$deb" "$WORK/sysroot"; done

# 2. resolve module dependencies against the unpacked kernel
moddir_rel=""
for d in lib/modules usr/lib/modules; do
    [ -d "$WORK/kernel/$d" ] && moddir_rel="$d" && break
done
[ -n "$moddir_rel" ] || die "no lib/modules in $kernel_pkg"
kver="$(ls "$WORK/kernel/$moddir_rel")"
[ "$(echo "$kver" | wc -l)" -eq 1 ] || die "expected one kernel version in $kernel_pkg, got: $kver"
vmlinuz="$(ls "$WORK"/kernel/boot/vmlinuz-*)"
# depmod -b/modprobe -d expect <base>/lib/modules/<version>
if [ "$moddir_rel" != lib/modules ]; then
    mkdir -p "$WORK/kernel/lib" && ln -sfn "../$moddir_rel" "$WORK/kernel/lib/modules"
fi
depmod -b "$WORK/kernel" "$kver"

INITRD_ROOT="$WORK/initramfs"
mkdir -p "$INITRD_ROOT"/{bin,dev,proc,sys,run,tmp,etc,mnt/cidata,lib/modules/"$kver"}
declare -A seen=()
for m in "${MODULES[@]}"; do
    deps="$(modprobe -d "$WORK/kernel" -S "$kver" --show-depends "$m")" || die "module $m not found in $kver"
    while read -r kind path _; do
        [ "$kind" = insmod ] || continue          # "builtin <name>" needs nothing
        [ -n "${seen[$path]:-}" ] && continue
        seen[$path]=1
        rel="${path#"$WORK/kernel/"}"
        rel="lib/modules/${rel#*/modules/}"
        mkdir -p "$INITRD_ROOT/$(dirname "$rel")"
        cp "$path" "$INITRD_ROOT/$rel"
    done <<<"$deps"
done
# Busybox modprobe/insmod cannot unpack compressed modules on every build: store them plain.
find "$INITRD_ROOT/lib/modules" -name '*.ko.xz' -exec xz -d {} + 2>/dev/null || true
find "$INITRD_ROOT/lib/modules" -name '*.ko.zst' -exec zstd -q -d --rm {} + 2>/dev/null || true
for f in modules.order modules.builtin modules.builtin.modinfo; do
    [ -f "$WORK/kernel/lib/modules/$kver/$f" ] && cp "$WORK/kernel/lib/modules/$kver/$f" "$INITRD_ROOT/lib/modules/$kver/"
done
depmod -b "$INITRD_ROOT" "$kver"
module_count="${#seen[@]}"

# 3. busybox and the init scripts
cp "$WORK/busybox/bin/busybox" "$INITRD_ROOT/bin/busybox"
ln -s busybox "$INITRD_ROOT/bin/sh"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$INITRD_ROOT/etc/passwd"
printf 'root:*:19000:0:99999:7:::\n' >"$INITRD_ROOT/etc/shadow"
printf 'root:x:0:\n' >"$INITRD_ROOT/etc/group"
chmod 600 "$INITRD_ROOT/etc/shadow"

# 3a. the guest agent and the shared libraries it needs, resolved by the packages' own loader against the
# sysroot only (a library found outside it would come from the host: refused)
SYSROOT="$WORK/sysroot"
ga="$SYSROOT/usr/sbin/qemu-ga"
[ -x "$ga" ] || die "no usr/sbin/qemu-ga in $AGENT"
ldso="$SYSROOT/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
[ -x "$ldso" ] || die "no ld-linux-x86-64.so.2 in the libc6 package"
libpath="$SYSROOT/lib/x86_64-linux-gnu:$SYSROOT/usr/lib/x86_64-linux-gnu"
needed="$(env -i "$ldso" --library-path "$libpath" --list "$ga")" || die "cannot resolve the libraries of qemu-ga: $needed"
mkdir -p "$INITRD_ROOT/lib/x86_64-linux-gnu" "$INITRD_ROOT/lib64"
agent_libs=()
while read -r soname arrow path _; do
    [ "$arrow" = "=>" ] || continue
    case "$path" in "$SYSROOT"/*) ;; *) die "qemu-ga's $soname resolves outside the downloaded packages: $path" ;; esac
    cp -L "$path" "$INITRD_ROOT/lib/x86_64-linux-gnu/$(basename "$soname")"
    agent_libs+=("$(basename "$soname")")
done <<<"$needed"
# the ELF interpreter is /lib64/ld-linux-x86-64.so.2 (in Debian a link into /lib/x86_64-linux-gnu)
[ -f "$INITRD_ROOT/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" ] || die "qemu-ga's loader not resolved: $needed"
ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$INITRD_ROOT/lib64/ld-linux-x86-64.so.2"
cp "$ga" "$INITRD_ROOT/bin/qemu-ga"

cat >"$INITRD_ROOT/init" <<EOF
#!/bin/busybox sh
# Skiff test guest init (generated by scripts/build-test-guest.sh). Output goes to ttyS0.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
echo  # firmware/kernel leave terminal escapes on the line: start the markers on a fresh one
echo "SKIFF-GUEST-BOOTING kernel=\$(uname -r) uptime=\$(cut -d' ' -f1 /proc/uptime)"

for m in ${MODULES[*]}; do
    modprobe "\$m" || echo "SKIFF-GUEST-WARN modprobe \$m failed"
done

# the QEMU guest agent on the virtio port named org.qemu.guest_agent.0 (no udev: the port is found in sysfs,
# its node made from its dev numbers when devtmpfs has none); in the background, so the boot does not wait
(
    port=""
    for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do
        for p in /sys/class/virtio-ports/*; do
            [ "\$(cat "\$p/name" 2>/dev/null)" = org.qemu.guest_agent.0 ] && port="\${p##*/}" && break 2
        done
        sleep 0.2
    done
    if [ -z "\$port" ]; then
        echo "SKIFF-GUEST-AGENT=none"
        exit 0
    fi
    if [ ! -c "/dev/\$port" ]; then
        numbers="\$(cat "/sys/class/virtio-ports/\$port/dev")"
        mknod "/dev/\$port" c "\${numbers%%:*}" "\${numbers##*:}"
    fi
    mkdir -p /run/qemu-ga
    qemu-ga -m virtio-serial -p "/dev/\$port" -t /run/qemu-ga -f /run/qemu-ga.pid -l /run/qemu-ga.log </dev/null >/dev/null 2>&1 &
    sleep 1
    if kill -0 \$! 2>/dev/null; then
        echo "SKIFF-GUEST-AGENT=started port=\$port"
    else
        echo "SKIFF-GUEST-AGENT=failed port=\$port \$(tail -n 3 /run/qemu-ga.log 2>/dev/null | tr '\n' ' ')"
    fi
) &

# NoCloud seed: an ISO 9660 volume labelled cidata (busybox-static has no blkid: read the label
# from the primary volume descriptor, sector 16: "CD001" at byte 1, volume id at bytes 40..71)
iso_label() {
    [ "\$(dd if="\$1" bs=1 skip=32769 count=5 2>/dev/null)" = CD001 ] || return 1
    dd if="\$1" bs=1 skip=32808 count=32 2>/dev/null | tr -d ' '
}
cidata_dev=""
for i in 1 2 3 4 5 6 7 8 9 10; do
    for dev in /dev/sr* /dev/vd*; do
        [ -b "\$dev" ] || continue
        case "\$(iso_label "\$dev")" in cidata|CIDATA) cidata_dev="\$dev"; break 2 ;; esac
    done
    # only wait (up to 2 s) when a CD drive is present but its medium is not readable yet
    ls /sys/class/block 2>/dev/null | grep -q '^sr' || break
    sleep 0.2
done
if [ -n "\$cidata_dev" ] && mount -t iso9660 -o ro "\$cidata_dev" /mnt/cidata 2>/dev/null; then
    h="\$(sed -n 's/^local-hostname:[[:space:]]*//p' /mnt/cidata/meta-data 2>/dev/null | head -n1 | tr -d "\\r\\"'")"
    [ -n "\$h" ] && hostname "\$h"
    echo "SKIFF-GUEST-HOSTNAME=\$h"
    # data disks: the user-data "mounts" entries, written by Skiff as ["/dev/vdb", "/data", "ext4", ...]
    grep -o '\[ *"/dev/[a-z0-9]*" *, *"/[^"]*" *, *"[a-z0-9]*"' /mnt/cidata/user-data 2>/dev/null \
        | tr -d '[]",' | while read -r dev dir fs; do
        for i in 1 2 3 4 5 6 7 8 9 10; do [ -b "\$dev" ] && break; sleep 0.2; done
        formatted=no
        # ext2/3/4 superblock magic 0xEF53 at byte 1080: a blank disk gets a file system, a used one never
        if [ "\$(dd if="\$dev" bs=1 skip=1080 count=2 2>/dev/null | od -An -tx1 | tr -d ' ')" != 53ef ]; then
            mke2fs -q "\$dev" >/dev/null 2>&1 && formatted=yes
        fi
        mkdir -p "\$dir"
        if mount -t ext4 "\$dev" "\$dir" 2>/dev/null; then state=ok; else state=failed; fi
        echo "SKIFF-GUEST-MOUNT=\$dev \$dir \$state formatted=\$formatted"
    done
    # the admin user of the user-data's users entry, with its password hash (cloud-init's users/passwd); Skiff
    # writes the user-data as indented JSON: the first "name" and "passwd" after "users"
    users="\$(tr '\n' ' ' </mnt/cidata/user-data 2>/dev/null | sed -n 's/.*"users"//p')"
    u="\$(echo "\$users" | grep -o '"name"[[:space:]]*:[[:space:]]*"[a-z_][a-z0-9_-]*"' | head -n1 | cut -d'"' -f4)"
    if [ -n "\$u" ] && [ "\$u" != root ]; then
        pw="\$(echo "\$users" | grep -o '"passwd"[[:space:]]*:[[:space:]]*"[\$./A-Za-z0-9]*"' | head -n1 | cut -d'"' -f4)"
        echo "\$u:x:1000:1000:\$u:/home/\$u:/bin/sh" >>/etc/passwd
        echo "\$u:x:1000:" >>/etc/group
        echo "\$u:\${pw:-!}:19000:0:99999:7:::" >>/etc/shadow
        mkdir -p "/home/\$u"
        chown 1000:1000 "/home/\$u"
    fi
    umount /mnt/cidata   # free the drive: the medium can be ejected and the guest notices
fi

ip link set lo up
if [ -e /sys/class/net/eth0 ]; then
    ip link set eth0 up
    if udhcpc -i eth0 -s /etc/udhcpc.script -q -n -t 10 -T 2 >/dev/null 2>&1 && [ -r /run/lease ]; then
        . /run/lease
        echo "SKIFF-GUEST-IP=\$ip GW=\$router HOSTNAME=\$hostname"
    else
        echo "SKIFF-GUEST-DHCP-FAILED"
    fi
fi

# block devices and their sizes (a CD drive without a readable medium: empty); reading a CD drive makes
# the kernel look at its medium again
disks() {
    line=""
    for d in /sys/block/vd* /sys/block/sd* /sys/block/sr*; do
        [ -e "\$d" ] || continue
        n="\${d##*/}"
        case "\$n" in
            sr*) if dd if="/dev/\$n" bs=2048 count=1 of=/dev/null 2>/dev/null; then
                     line="\$line \$n=\$(( \$(cat "\$d/size") * 512 ))"
                 else
                     line="\$line \$n=empty"
                 fi ;;
            *) line="\$line \$n=\$(( \$(cat "\$d/size") * 512 ))" ;;
        esac
    done
    echo "\$line"
}
last="\$(disks)"
echo "SKIFF-GUEST-DISKS\$last"
(umask 077; cp /etc/shadow /run/shadow.seen)
read -r host_seen </proc/sys/kernel/hostname
echo "SKIFF-GUEST-READY uptime=\$(cut -d' ' -f1 /proc/uptime)"
tick=0
while true; do
    sleep 2
    now="\$(disks)"
    [ "\$now" = "\$last" ] || echo "SKIFF-GUEST-DISKS\$now"
    last="\$now"
    read -r host_now </proc/sys/kernel/hostname
    [ "\$host_now" = "\$host_seen" ] || echo "SKIFF-GUEST-HOSTNAME-NOW=\$host_now"
    host_seen="\$host_now"
    # a changed /etc/shadow entry: the user's name only, never the hash
    if ! cmp -s /etc/shadow /run/shadow.seen; then
        while IFS=: read -r u h rest; do
            [ -n "\$u" ] || continue
            [ "\$(grep "^\$u:" /run/shadow.seen | cut -d: -f2)" = "\$h" ] || echo "SKIFF-GUEST-SHADOW user=\$u changed"
        done </etc/shadow
        (umask 077; cp /etc/shadow /run/shadow.seen)
    fi
    tick=\$((tick + 1))
    [ \$((tick % 5)) -eq 0 ] && echo "SKIFF-GUEST-HEARTBEAT uptime=\$(cut -d' ' -f1 /proc/uptime)"
done
EOF
chmod 755 "$INITRD_ROOT/init"

# Debian's busybox-static has no chpasswd applet, and qemu-ga's guest-set-user-password runs
# "chpasswd [-e]" (found in PATH) with "user:password" on its standard input
cat >"$INITRD_ROOT/bin/chpasswd" <<'EOF'
#!/bin/sh
# chpasswd [-e]: sets /etc/shadow entries from "user:password" lines on stdin; -e: the password is
# already a crypt(3) hash, else it is hashed with SHA-512 crypt (busybox mkpasswd). Exit 1 on an
# unknown user or a malformed line, with /etc/shadow unchanged for that line.
crypted=no
[ "$1" = -e ] && crypted=yes
umask 077
status=0
while IFS= read -r line || [ -n "$line" ]; do
    user="${line%%:*}"
    pw="${line#*:}"
    if [ -z "$user" ] || [ "$user" = "$line" ] || ! grep -q "^$user:" /etc/passwd; then
        echo "chpasswd: unknown user or malformed line" >&2
        status=1
        continue
    fi
    if [ "$crypted" = no ]; then
        pw="$(printf '%s' "$pw" | mkpasswd -m sha512)" || { status=1; continue; }
    fi
    case "$pw" in *:*|*\\*) echo "chpasswd: malformed hash" >&2; status=1; continue ;; esac
    awk -F: -v OFS=: -v u="$user" -v h="$pw" \
        '$1 == u { $2 = h; found = 1 } { print } END { if (!found) print u, h, 19000, 0, 99999, 7, "", "", "" }' \
        /etc/shadow >/etc/shadow.new && mv /etc/shadow.new /etc/shadow || status=1
done
exit $status
EOF
chmod 755 "$INITRD_ROOT/bin/chpasswd"

cat >"$INITRD_ROOT/etc/udhcpc.script" <<'EOF'
#!/bin/sh
# udhcpc hook: configure eth0 from the lease and keep its values in /run/lease
case "$1" in
    deconfig)
        ip addr flush dev "$interface"
        ;;
    bound|renew)
        ip addr flush dev "$interface"
        ip addr add "$ip/${mask:-24}" dev "$interface"
        for r in $router; do ip route add default via "$r" dev "$interface"; break; done
        [ -n "$hostname" ] && hostname "$hostname"
        gw=""; for r in $router; do gw="$r"; break; done
        printf 'ip=%s\nrouter=%s\nhostname=%s\n' "$ip" "$gw" "$hostname" >/run/lease
        ;;
esac
exit 0
EOF
chmod 755 "$INITRD_ROOT/etc/udhcpc.script"

(cd "$INITRD_ROOT" && find . -print0 | sort -z | cpio --null -o -H newc --owner 0:0 --quiet) \
    | gzip -9 >"$WORK/initrd.img"

# 4. unpartitioned FAT disk, syslinux boot sector, qcow2
cat >"$WORK/syslinux.cfg" <<'EOF'
DEFAULT skiff
PROMPT 0
TIMEOUT 0
LABEL skiff
  LINUX /vmlinuz
  INITRD /initrd.img
  APPEND console=ttyS0,115200 quiet panic=-1
EOF
cp "$vmlinuz" "$WORK/vmlinuz"
need_kib=$(( ( $(stat -c %s "$WORK/vmlinuz") + $(stat -c %s "$WORK/initrd.img") ) / 1024 + 4096 ))
fat_mib=$(( (need_kib / 1024 + 8 + 7) / 8 * 8 ))
truncate -s "${fat_mib}M" "$WORK/disk.fat"
mkfs.vfat -n SKIFFGUEST "$WORK/disk.fat" >/dev/null
mcopy -i "$WORK/disk.fat" "$WORK/vmlinuz" "$WORK/initrd.img" "$WORK/syslinux.cfg" ::/
syslinux --install "$WORK/disk.fat"
qemu-img convert -f raw -O qcow2 "$WORK/disk.fat" "$WORK/$IMAGE_NAME"

cat >"$WORK/MANIFEST" <<EOF
key=$key
built=$(date -u +%Y-%m-%dT%H:%M:%SZ)
kernel_package=$kernel_pkg=$kernel_ver
kernel=$kver
busybox_package=$BUSYBOX=$busybox_ver
modules=${MODULES[*]} ($module_count files with dependencies)
agent_packages=${agent_pkgs[*]}
agent_libraries=${agent_libs[*]}
fat_mib=$fat_mib
cmdline=console=ttyS0,115200 quiet panic=-1
EOF

# 5. publish atomically: stage next to OUT, then swap
stage="$OUT.new.$$"
rm -rf "$stage"
mkdir -p "$stage"
cp "$WORK/$IMAGE_NAME" "$WORK/vmlinuz" "$WORK/initrd.img" "$WORK/syslinux.cfg" "$WORK/MANIFEST" "$stage/"
echo "$key" >"$stage/KEY"
chmod 755 "$stage"; chmod 644 "$stage"/*
if [ -n "$out_arg" ]; then
    # a caller-given directory may hold other things: replace only our files in it
    for f in "$IMAGE_NAME" vmlinuz initrd.img syslinux.cfg MANIFEST KEY; do mv -f "$stage/$f" "$OUT/$f"; done
    rmdir "$stage"
else
    rm -rf "$OUT"
    mv "$stage" "$OUT"
fi
remember
# drop images of older keys (same cache root; a caller-given OUTPUT_DIR is left alone)
if [ -z "$out_arg" ]; then
    for d in "$CACHE_ROOT"/*; do
        [ -d "$d" ] && [ "$d" != "$OUT" ] && [[ "$(basename "$d")" =~ ^[0-9a-f]{16}$ ]] && rm -rf "$d"
    done
    for f in "$CACHE_ROOT"/.lookup/*; do
        [ -f "$f" ] && [ ! -f "$(cat "$f")" ] && rm -f "$f"
    done
fi
log "built in $((SECONDS - started)) s: $kernel_pkg, $module_count module files, image $(du -h "$IMAGE" | cut -f1)"
echo "$IMAGE"
