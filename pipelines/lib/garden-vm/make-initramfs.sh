#!/usr/bin/env bash
# Assembles the garden VM's initramfs: an armhf userland (busybox-static, glibc for the
# dynamically linked iptables), the kernel's netfilter modules, the compiled garden packages at
# their BOSH paths (/var/vcap/packages/<name>), a raw:// rootfs and the probe; /init from init.sh.
# usage: make-initramfs.sh <out dir> <kernel deb> <busybox-static deb> <libc6 deb> <packages dir>
#        <probe binary> [rootfs tar]
# Writes <out dir>/vmlinuz and <out dir>/initrd.gz. Every input is a file the caller pinned.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out=$(mkdir -p "$1" && cd "$1" && pwd) kernel_deb=$2 busybox_deb=$3 libc_deb=$4 packages=$5 probe=$6 rootfs_tar=${7:-}
for f in "$kernel_deb" "$busybox_deb" "$libc_deb" "$probe"; do
  [ -f "$f" ] || { echo "make-initramfs.sh: $f: no such file (fix: fetch it first)" >&2; exit 2; }
done
for p in guardian runc tar iptables garden-idmapper; do
  [ -d "$packages/$p" ] || { echo "make-initramfs.sh: $packages/$p: compiled package missing (fix: compile garden-runc's $p for armhf)" >&2; exit 2; }
done

rm -rf "$out/root" "$out/kernel"; mkdir -p "$out/root" "$out/kernel"
root="$out/root"
dpkg-deb -x "$kernel_deb" "$out/kernel"
kver="$(ls "$out/kernel/lib/modules")"
cp "$out/kernel/boot/vmlinuz-$kver" "$out/vmlinuz"

mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,run,tmp,var/gdn/depot,var/vcap/packages,usr/bin,lib/modules/"$kver"}
dpkg-deb -x "$busybox_deb" "$out/bb"; cp "$out/bb/bin/busybox" "$root/bin/busybox"; rm -rf "$out/bb"
dpkg-deb -x "$libc_deb" "$out/libc"; cp -a "$out/libc/lib" "$root/"; cp -a "$out/libc/usr/lib" "$root/usr/" 2>/dev/null || true; rm -rf "$out/libc"

# netfilter (iptables: gdn's global chains) and what it depends on; the kernel loads more on demand
km="$out/kernel/lib/modules/$kver"
for d in kernel/net/netfilter kernel/net/ipv4/netfilter kernel/net/ipv6/netfilter kernel/lib kernel/crypto; do
  [ -d "$km/$d" ] && mkdir -p "$root/lib/modules/$kver/$(dirname "$d")" && cp -a "$km/$d" "$root/lib/modules/$kver/$d"
done
cp "$km"/modules.order "$km"/modules.builtin "$root/lib/modules/$kver/"

for p in guardian runc tar iptables garden-idmapper; do cp -a "$packages/$p" "$root/var/vcap/packages/$p"; done
cp "$probe" "$root/usr/bin/se-garden-probe"

# the containers' rootfs: the given tarball, else busybox-static alone (+ /etc/passwd for nstar)
mkdir -p "$root/rootfs"
if [ -n "$rootfs_tar" ]; then
  tar -xf "$rootfs_tar" -C "$root/rootfs" --exclude='./dev/*' 2>/dev/null || tar -xf "$rootfs_tar" -C "$root/rootfs"
else
  mkdir -p "$root/rootfs"/{bin,etc,tmp,root,proc,sys,dev}
  chmod 1777 "$root/rootfs/tmp"
  cp "$root/bin/busybox" "$root/rootfs/bin/busybox"
  for a in sh uname cat ls echo sleep id; do ln -s busybox "$root/rootfs/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/rootfs/etc/passwd"
  printf 'root:x:0:\n' > "$root/rootfs/etc/group"
fi

# util-linux's mountpoint (a stemcell has it; busybox-static has no such applet): gdn's cgroup
# starter asks `mountpoint -q <dir>`. Exit 0 when <dir> is a mount point, as util-linux's does.
cat > "$root/bin/mountpoint" <<'SHIM'
#!/bin/sh
q=; [ "$1" = -q ] && { q=1; shift; }
d="$(cd "$1" 2>/dev/null && pwd -P)" || { [ -n "$q" ] || echo "$1: No such file or directory" >&2; exit 1; }
if awk -v d="$d" '$5 == d { found = 1 } END { exit !found }' /proc/self/mountinfo; then [ -n "$q" ] || echo "$1 is a mountpoint"; exit 0; fi
[ -n "$q" ] || echo "$1 is not a mountpoint"; exit 32
SHIM
chmod 0755 "$root/bin/mountpoint"
cp "$here/init.sh" "$root/init"; chmod 0755 "$root/init"
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet | gzip -1 > "$out/initrd.gz")
rm -rf "$root" "$out/kernel"
echo "$out/initrd.gz $(du -h "$out/initrd.gz" | cut -f1) kernel $kver"
