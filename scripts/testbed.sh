#!/usr/bin/env bash
# A multi-host test bed on one machine: N simulated hosts and an NFS server, each in network namespaces of its own,
# wired through veths to a bridge that lives in a namespace of its own. Nothing is added to the machine's own network
# namespace, and the addresses (10.254.210.0/24 by default) exist only inside the bed.
#
# A host = a network namespace + private mount and UTS namespaces (held open by an anchor process) with tmpfs over
# libvirt's state directories, its own virtlogd, virtlockd and libvirtd (own host_uuid, TCP listener on the host's
# address, migration_host set, migration TLS certificates read from $MIGRATION_TLS_DIR, which is on the host's
# private tmpfs and so seen by its libvirtd, its QEMUs and a Skiff cell running in the host). The NFS server = nfs-ganesha (VFS FSAL, NFSv3+v4, no locking manager) with rpcbind.
# See FACTS.md, "Many hosts on one machine", for why each setting is there.
#
#   testbed.sh up DIR HOSTS [--no-nfs] [--leases]  build a bed (its state in DIR; DIR/bed.env says what was made);
#                                        --leases: every libvirtd uses virtlockd (lock_manager = "lockd") with the
#                                        lockspace DIR/leases, one directory all hosts see (docs/user-guide/leases.md)
#   testbed.sh down DIR                  kill what the bed started (by pid and namespace) and delete it
#   testbed.sh exec DIR HOST CMD...      run CMD inside host HOST (1..N) or `nfs` (all its namespaces)
#   testbed.sh virsh DIR HOST ARGS...    virsh against that host's libvirtd
#   testbed.sh link DIR HOST up|down     plug or pull a host's cable (its veth on the bridge)
#   testbed.sh libvirtd DIR HOST kill|start  kill -9 a host's libvirtd (its guests live on) / start it again
#   testbed.sh crash DIR HOST            the host dies: kill -9 of everything in it (Karaf, libvirtd, virtlogd,
#                                        virtlockd, QEMU) but its anchor; its cable stays plugged, nothing answers
#   testbed.sh boot DIR HOST             a crashed host boots: /run/libvirt cleared, its daemons started again
#   testbed.sh forward DIR HOST PORT LOCAL  make 127.0.0.1:LOCAL (machine's loopback) reach HOST's address:PORT
#   testbed.sh clean-stale               remove beds whose owner process is gone (after a killed run)
#
# Every bed registers itself in /run/skiff-testbeds/<id> (its DIR and its owner's pid: SKIFF_TESTBED_OWNER, else the
# pid of the shell that ran `up`), so that `clean-stale` finds what a killed test left behind. Only processes inside
# the bed's namespaces, or recorded in its pid files, are ever killed.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

REGISTRY=/run/skiff-testbeds
NET="${SKIFF_TESTBED_NET:-10.254.210}"
# where each host's QEMU reads its migration TLS certificates (qemu.conf migrate_tls_x509_cert_dir); a cell in the host
# with migrationTlsDir set to it writes them there
MIGRATION_TLS_DIR=/var/lib/libvirt/skiff-migration-tls

die() { echo "testbed: $*" >&2; exit 1; }
log() { echo "testbed: $*" >&2; }

need() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || die "$tool not found; run scripts/deps.sh first"
    done
}

# --- up -------------------------------------------------------------------------------------------------------------

host_ip() { echo "$NET.$((10 + $1))"; }
nfs_ip() { echo "$NET.5"; }

# Runs a script inside the namespaces of an anchor process (net, mount, UTS).
in_anchor() {
    local pid="$1"; shift
    nsenter -t "$pid" -n -m -u -- "$@"
}

# Starts an anchor: a process that holds the network namespace NS plus fresh mount and UTS namespaces open.
start_anchor() {
    local ns="$1" name="$2" dir="$3"
    ip netns exec "$ns" unshare --mount --uts --propagation private --fork \
        sh -c "hostname $name; exec sleep infinity" </dev/null >/dev/null 2>&1 &
    local outer=$!
    local pid=""
    for _ in $(seq 50); do
        pid="$(pgrep -P "$outer" -x sleep || true)"
        [ -n "$pid" ] && break
        # unshare --fork: the child execs sleep; without a child yet, wait
        sleep 0.1
    done
    [ -n "$pid" ] || die "the anchor of $ns did not start"
    echo "$pid" > "$dir/anchor.pid"
    echo "$outer" > "$dir/anchor-parent.pid"
}

wire() {
    local bed="$1" ns="$2" veth="$3" ip="$4"
    ip -n "$bed-br" link add "$veth" type veth peer name eth0 netns "$ns"
    ip -n "$bed-br" link set "$veth" master br0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$ip/24" dev eth0
    ip -n "$ns" link set eth0 up
}

write_libvirt_conf() {
    local dir="$1" ip="$2" n="$3" leases="$4"
    mkdir -p "$dir/etc"
    cp -a /etc/libvirt/. "$dir/etc/"
    # no domains, pools, networks or secrets of the machine's libvirt: only the daemons' settings
    rm -rf "$dir/etc/qemu" "$dir/etc/storage" "$dir/etc/secrets"
    mkdir -p "$dir/etc/qemu" "$dir/etc/storage" "$dir/etc/secrets"
    cat >> "$dir/etc/libvirtd.conf" <<EOF

# skiff test bed host $n
listen_tls = 0
listen_tcp = 1
listen_addr = "$ip"
auth_tcp = "none"
host_uuid = "$(printf '5a1ff000-0000-4000-8000-%012x' "$n")"
log_outputs = "3:file:$dir/libvirtd.log"
EOF
    cat >> "$dir/etc/qemu.conf" <<EOF

# skiff test bed host $n
migration_address = "$ip"
migration_host = "$ip"
cgroup_controllers = [ ]
migrate_tls_x509_cert_dir = "$MIGRATION_TLS_DIR"
migrate_tls_x509_verify = 1
EOF
    if [ -n "$leases" ]; then
        # virtlockd registers file_lockspace_dir only with auto_disk_leases = 1, and a domain's <lease> can use no
        # other lockspace; network (NFS) disks get no automatic lease, so the domain's <lease> is what guards them
        cat >> "$dir/etc/qemu.conf" <<EOF
lock_manager = "lockd"
EOF
        cat >> "$dir/etc/qemu-lockd.conf" <<EOF

# skiff test bed host $n: leases
auto_disk_leases = 1
require_lease_for_disks = 0
file_lockspace_dir = "$leases"
EOF
    fi
}

# Waits (up to 30 s) until the libvirtd of a host answers.
await_libvirtd() {
    local anchor="$1" n="$2" hdir="$3"
    for _ in $(seq 100); do
        in_anchor "$anchor" virsh -c qemu:///system version >/dev/null 2>&1 && return 0
        sleep 0.3
    done
    die "the libvirtd of host $n does not answer (see $hdir/libvirtd.log)"
}

start_host() {
    local bed="$1" dir="$2" n="$3" leases="${4:-}"
    local ns="$bed-h$n" hdir="$dir/h$n" ip
    ip="$(host_ip "$n")"
    mkdir -p "$hdir"
    ip netns add "$ns"
    wire "$bed" "$ns" "v-h$n" "$ip"
    write_libvirt_conf "$hdir" "$ip" "$n" "$leases"
    start_anchor "$ns" "skiff-h$n" "$hdir"
    local anchor
    anchor="$(cat "$hdir/anchor.pid")"
    in_anchor "$anchor" sh -es <<EOF
for d in /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt; do
    mkdir -p \$d && mount -t tmpfs -o mode=755 tmpfs \$d
done
mount --bind "$hdir/etc" /etc/libvirt
mkdir -p /var/log/libvirt/qemu /var/lib/libvirt/images
for d in channel/target checkpoint dump nvram ram save snapshot; do mkdir -p /var/lib/libvirt/qemu/\$d; done
chown -R libvirt-qemu:libvirt-qemu /var/lib/libvirt/qemu && chmod 750 /var/lib/libvirt/qemu
# libvirtd checks at start that the directory exists; QEMU (user libvirt-qemu) reads the files the cell writes
mkdir -p "$MIGRATION_TLS_DIR" && chown libvirt-qemu:libvirt-qemu "$MIGRATION_TLS_DIR" && chmod 750 "$MIGRATION_TLS_DIR"
virtlogd -d -p "$hdir/virtlogd.pid"
virtlockd -d -p "$hdir/virtlockd.pid"
libvirtd -d --listen -p "$hdir/libvirtd.pid"
EOF
    await_libvirtd "$anchor" "$n" "$hdir"
    log "host $n: $ns, $ip, libvirtd qemu+tcp://$ip/system"
}

start_nfs() {
    local bed="$1" dir="$2"
    local ns="$bed-nfs" ndir="$dir/nfs" ip
    ip="$(nfs_ip)"
    need ganesha.nfsd rpcbind
    mkdir -p "$ndir/export"
    chmod 777 "$ndir/export"
    ip netns add "$ns"
    wire "$bed" "$ns" "v-nfs" "$ip"
    cat > "$ndir/ganesha.conf" <<EOF
NFS_CORE_PARAM {
    Bind_addr = $ip;
    Protocols = 3, 4;
    Enable_NLM = false;
    Enable_RQUOTA = false;
    Enable_UDP = false;
    Plugins_Dir = "/usr/lib/x86_64-linux-gnu/ganesha";
    mount_path_pseudo = true;
}
NFSV4 { Graceless = true; }
NFS_KRB5 { Active_krb5 = false; }
EXPORT {
    Export_Id = 1;
    Path = "$ndir/export";
    Pseudo = /export;
    Access_Type = RW;
    Squash = No_Root_Squash;
    Transports = TCP;
    Protocols = 3, 4;
    FSAL { Name = VFS; }
}
EOF
    start_anchor "$ns" "skiff-nfs" "$ndir"
    local anchor
    anchor="$(cat "$ndir/anchor.pid")"
    in_anchor "$anchor" sh -es <<EOF
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/rpcbind /run/ganesha
chown _rpc /run/rpcbind 2>/dev/null || true
EOF
    # rpcbind -f stays in the foreground: started in the background, its pid recorded
    in_anchor "$anchor" sh -c "rpcbind -f </dev/null >$ndir/rpcbind.log 2>&1 & echo \$! > $ndir/rpcbind.pid"
    for _ in $(seq 50); do
        in_anchor "$anchor" rpcinfo -p "$ip" >/dev/null 2>&1 && break
        sleep 0.1
    done
    in_anchor "$anchor" sh -c "ganesha.nfsd -F -f $ndir/ganesha.conf -L $ndir/ganesha.log -p $ndir/ganesha.pid \
        </dev/null >/dev/null 2>&1 & echo \$! > $ndir/ganesha-main.pid"
    for _ in $(seq 100); do
        in_anchor "$anchor" rpcinfo -p "$ip" 2>/dev/null | grep -q nfs && break
        sleep 0.2
    done
    in_anchor "$anchor" rpcinfo -p "$ip" 2>/dev/null | grep -q nfs \
        || die "nfs-ganesha did not register with rpcbind (see $ndir/ganesha.log)"
    log "nfs: $ns, nfs://$ip/export (directory $ndir/export)"
}

cmd_up() {
    local dir="$1" hosts="$2" nfs=1 leases="" option
    shift 2
    for option in "$@"; do
        case "$option" in
            --no-nfs) nfs=0 ;;
            --leases) leases=1 ;;
            *) die "unknown option $option (--no-nfs, --leases)" ;;
        esac
    done
    [[ "$hosts" =~ ^[1-9]$ ]] || die "HOSTS must be 1 to 9"
    need ip nsenter unshare libvirtd virtlogd virtlockd virsh
    [ "$(id -u)" -eq 0 ] || die "the test bed needs root (namespaces, libvirtd)"
    cmd_clean_stale
    mkdir -p "$dir" "$REGISTRY"
    dir="$(cd "$dir" && pwd)"
    local id bed
    id="$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    bed="skb$id"
    printf 'dir=%s\nowner=%s\n' "$dir" "${SKIFF_TESTBED_OWNER:-$PPID}" > "$REGISTRY/$bed"
    echo "$bed" > "$dir/bed.id"
    if [ -n "$leases" ]; then
        # a directory every host sees: the hosts' mount namespaces keep the machine's file systems
        leases="$dir/leases"
        mkdir -p "$leases" && chmod 700 "$leases"
    fi
    trap 'log "set-up failed: removing the bed"; cmd_down "$dir" || true' ERR
    ip netns add "$bed-br"
    ip -n "$bed-br" link set lo up
    ip -n "$bed-br" link add br0 type bridge
    ip -n "$bed-br" link set br0 up
    local n
    for n in $(seq "$hosts"); do
        start_host "$bed" "$dir" "$n" "$leases"
    done
    if [ "$nfs" = 1 ]; then
        start_nfs "$bed" "$dir"
    fi
    trap - ERR
    {
        echo "BED=$bed"
        echo "HOSTS=$hosts"
        echo "MIGRATION_TLS_DIR=$MIGRATION_TLS_DIR"
        if [ -n "$leases" ]; then echo "LEASE_DIR=$leases"; fi
        for n in $(seq "$hosts"); do
            echo "HOST_${n}_NS=$bed-h$n"
            echo "HOST_${n}_IP=$(host_ip "$n")"
            echo "HOST_${n}_ANCHOR=$(cat "$dir/h$n/anchor.pid")"
        done
        if [ "$nfs" = 1 ]; then
            echo "NFS_IP=$(nfs_ip)"
            echo "NFS_EXPORT=/export"
            echo "NFS_DIR=$dir/nfs/export"
        fi
    } > "$dir/bed.env"
    cat "$dir/bed.env"
}

# --- down -----------------------------------------------------------------------------------------------------------

# Kills the process of a pid file if it still is the program named (a pid may have been reused since).
kill_pidfile() {
    local f="$1" comm="$2" pid
    [ -r "$f" ] || return 0
    pid="$(cat "$f" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 0
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ] && kill -KILL "$pid" 2>/dev/null || true
}

# Kills every process in a network namespace (all were started by the bed: daemons, QEMU, Karaf), then deletes it.
kill_namespace() {
    local ns="$1" round pids
    ip netns list 2>/dev/null | grep -qw "^$ns" || return 0
    for round in $(seq 20); do
        pids="$(ip netns pids "$ns" 2>/dev/null || true)"
        [ -z "$pids" ] && break
        # shellcheck disable=SC2086
        kill "$([ "$round" -le 3 ] && echo -TERM || echo -KILL)" $pids 2>/dev/null || true
        sleep 0.3
    done
    ip netns del "$ns" 2>/dev/null || true
}

cmd_down() {
    local dir="$1" bed
    [ -r "$dir/bed.id" ] || { log "no bed in $dir"; return 0; }
    bed="$(cat "$dir/bed.id")"
    local f ns
    # the forwards live on the machine's loopback, outside the namespaces
    for f in "$dir"/*/forward-*.pid; do
        [ -e "$f" ] && kill_pidfile "$f" socat
    done
    # everything else the bed started lives in its namespaces: daemons, QEMU, Karaf, the anchors
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$bed-" || true); do
        [ "$ns" = "$bed-br" ] && continue
        kill_namespace "$ns"
    done
    kill_namespace "$bed-br"
    rm -f "$REGISTRY/$bed"
    log "bed $bed removed"
}

cmd_clean_stale() {
    [ -d "$REGISTRY" ] || return 0
    local f bed dir owner
    for f in "$REGISTRY"/skb*; do
        [ -e "$f" ] || continue
        bed="$(basename "$f")"
        dir="$(sed -n 's/^dir=//p' "$f")"
        owner="$(sed -n 's/^owner=//p' "$f")"
        if [ -n "$owner" ] && [ -d "/proc/$owner" ]; then
            continue
        fi
        log "removing stale bed $bed (owner $owner is gone)"
        if [ -n "$dir" ] && [ -r "$dir/bed.id" ]; then
            cmd_down "$dir"
        else
            local ns
            for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$bed-" || true); do
                kill_namespace "$ns"
            done
            rm -f "$f"
        fi
    done
}

# --- using a bed ----------------------------------------------------------------------------------------------------

anchor_of() {
    local dir="$1" host="$2"
    local sub="h$host"
    [ "$host" = nfs ] && sub=nfs
    [ -r "$dir/$sub/anchor.pid" ] || die "no host $host in $dir"
    cat "$dir/$sub/anchor.pid"
}

cmd_exec() {
    local dir="$1" host="$2"; shift 2
    in_anchor "$(anchor_of "$dir" "$host")" "$@"
}

cmd_link() {
    local dir="$1" host="$2" state="$3" veth="v-h$2"
    [ "$host" = nfs ] && veth=v-nfs
    ip -n "$(cat "$dir/bed.id")-br" link set "$veth" "$state"
}

# Kills a host's libvirtd (SIGKILL, by its pid file: its QEMUs live on) or starts it again inside the same namespaces
# (a new namespace would orphan the running QEMUs), waiting until it answers.
cmd_libvirtd() {
    local dir="$1" host="$2" action="$3" hdir="$1/h$2" anchor pid
    anchor="$(anchor_of "$dir" "$host")"
    case "$action" in
        kill)
            pid="$(cat "$hdir/libvirtd.pid" 2>/dev/null || true)"
            [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
            rm -f "$hdir/libvirtd.pid"
            ;;
        start)
            in_anchor "$anchor" libvirtd -d --listen -p "$hdir/libvirtd.pid"
            await_libvirtd "$anchor" "$host" "$hdir"
            ;;
        *) die "usage: testbed.sh libvirtd DIR HOST kill|start" ;;
    esac
}

# A host that dies at once: every process in its network namespace gets SIGKILL in one go (all were started by the
# bed), except the anchor that holds its namespaces open, so that `down` still finds and removes them.
cmd_crash() {
    local dir="$1" host="$2" bed anchor parent pids
    bed="$(cat "$dir/bed.id")"
    anchor="$(anchor_of "$dir" "$host")"
    parent="$(cat "$dir/h$host/anchor-parent.pid" 2>/dev/null || echo none)"
    pids="$(ip netns pids "$bed-h$host" 2>/dev/null | grep -vx -e "$anchor" -e "$parent" || true)"
    # shellcheck disable=SC2086
    [ -n "$pids" ] && kill -KILL $pids 2>/dev/null || true
    rm -f "$dir/h$host"/libvirtd.pid "$dir/h$host"/virtlogd.pid "$dir/h$host"/virtlockd.pid
    log "host $host crashed (killed: $(echo $pids | wc -w) processes)"
}

# A crashed host boots again: what a reboot clears is cleared (libvirt's runtime state under /run/libvirt: its
# sockets, pid files and the status of the domains that died with the host), and its virtlogd, virtlockd and libvirtd
# start in the same namespaces; its persistent domain definitions stay, shut off. Its Karaf is the caller's to start.
cmd_boot() {
    local dir="$1" host="$2" hdir="$1/h$2" anchor
    anchor="$(anchor_of "$dir" "$host")"
    in_anchor "$anchor" sh -es <<EOF
find /run/libvirt -mindepth 1 -delete
virtlogd -d -p "$hdir/virtlogd.pid"
virtlockd -d -p "$hdir/virtlockd.pid"
libvirtd -d --listen -p "$hdir/libvirtd.pid"
EOF
    await_libvirtd "$anchor" "$host" "$hdir"
    log "host $host booted"
}

# A socat on the machine's loopback whose every connection runs a second socat inside the host's network namespace,
# connected to the host's address: a test outside the bed reaches a host's REST API or SSH without any route or
# interface between the machine and the bed.
cmd_forward() {
    local dir="$1" host="$2" port="$3" local_port="$4" ip
    need socat
    ip="$(host_ip "$host")"
    local anchor
    anchor="$(anchor_of "$dir" "$host")"
    socat "TCP-LISTEN:$local_port,bind=127.0.0.1,reuseaddr,fork" \
        "EXEC:nsenter -t $anchor -n socat STDIO TCP\:$ip\:$port" </dev/null >/dev/null 2>&1 &
    echo $! > "$dir/h$host/forward-$local_port.pid"
    for _ in $(seq 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$local_port") 2>/dev/null && return 0
        sleep 0.1
    done
    die "the forward 127.0.0.1:$local_port -> host $host $ip:$port did not start"
}

case "${1:-}" in
    up) shift; [ $# -ge 2 ] || die "usage: testbed.sh up DIR HOSTS [--no-nfs] [--leases]"; cmd_up "$@" ;;
    down) shift; [ $# -eq 1 ] || die "usage: testbed.sh down DIR"; cmd_down "$1" ;;
    exec) shift; [ $# -ge 3 ] || die "usage: testbed.sh exec DIR HOST CMD..."; cmd_exec "$@" ;;
    virsh) shift; [ $# -ge 2 ] || die "usage: testbed.sh virsh DIR HOST ARGS..."
        d="$1" h="$2"; shift 2; cmd_exec "$d" "$h" virsh -c qemu:///system "$@" ;;
    link) shift; [ $# -eq 3 ] || die "usage: testbed.sh link DIR HOST up|down"; cmd_link "$@" ;;
    forward) shift; [ $# -eq 4 ] || die "usage: testbed.sh forward DIR HOST PORT LOCAL"; cmd_forward "$@" ;;
    libvirtd) shift; [ $# -eq 3 ] || die "usage: testbed.sh libvirtd DIR HOST kill|start"; cmd_libvirtd "$@" ;;
    crash) shift; [ $# -eq 2 ] || die "usage: testbed.sh crash DIR HOST"; cmd_crash "$@" ;;
    boot) shift; [ $# -eq 2 ] || die "usage: testbed.sh boot DIR HOST"; cmd_boot "$@" ;;
    clean-stale) cmd_clean_stale ;;
    *) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
