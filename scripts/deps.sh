#!/usr/bin/env bash
# Installs what building, running and testing Skiff needs on Debian 12, with apt-get.
# Idempotent: packages already installed are not fetched again.
set -euo pipefail

PACKAGES=(openjdk-17-jdk-headless maven curl ca-certificates procps iproute2
    # hypervisor: libvirt 9 + QEMU 7.2 (guests run under TCG here, see FACTS.md)
    libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils dnsmasq-base
    # scripts/build-test-guest.sh: kernel + busybox initramfs on a syslinux FAT disk, NoCloud seed ISOs
    cpio kmod gzip syslinux syslinux-common mtools dosfstools genisoimage
    # GuestOpsIT: checks the guest's SHA-512 crypt hash of a reset password with openssl passwd -6
    openssl
    # the system tests drive the shell over SSH: OpenSSH's client and ssh-keygen, sshpass for password sign-ins
    openssh-client sshpass
    # itests MediaIT: a bootable El Torito ISO (isolinux.bin; ldlinux.c32 comes with syslinux-common)
    isolinux
    # plugins-examples/profile-uefi: UEFI firmware (OVMF) and its descriptors for libvirt's firmware="efi"
    ovmf
    # the multi-host test bed (scripts/testbed.sh): an NFS server (nfs-ganesha, VFS FSAL) with rpcbind, QEMU's
    # userspace NFS client (block-nfs in qemu-block-extra), libnfs tools, socat to reach a host's ports from loopback
    nfs-ganesha nfs-ganesha-vfs rpcbind qemu-block-extra libnfs-utils socat
    # the portal: noVNC from the npm registry at build time (npm ships with nodejs here); browser tests in Debian's headless Chromium
    nodejs chromium chromium-driver)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "skiff: installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    # Other scripts may be running apt at the same time: wait for the dpkg lock instead of failing.
    $SUDO apt-get -o DPkg::Lock::Timeout=600 update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
fi

# The portal build runs npm: Debian's nodejs ships it separately (NodeSource's nodejs includes it).
if ! command -v npm >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "skiff: installing npm"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends npm
fi

# Maven must run on Java 17.
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"17'; then
    for d in /usr/lib/jvm/java-17-openjdk-*; do
        [ -x "$d/bin/java" ] && echo "$d" && exit 0
    done
fi
echo "${JAVA_HOME:-}"
