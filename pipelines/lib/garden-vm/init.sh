#!/bin/busybox sh
# /init of the garden VM. Stage 1 (PID 1 on the initramfs): the initramfs root cannot be
# pivot_root'ed away from, and runc pivot_roots into every container, so copy the userland into
# a tmpfs and switch_root there. Stage 2: modules, gdn setup, gdn server, the probe; every phase
# prints "SE-PHASE <name> <uptime s>" on the console for the host to time.
/bin/busybox mkdir -p /proc && /bin/busybox mount -t proc proc /proc
phase() { echo "SE-PHASE $1 $(/bin/busybox cut -d' ' -f1 /proc/uptime)"; }
if [ "$1" != stage2 ]; then
  /bin/busybox --install -s /bin 2>/dev/null
  phase init
  mkdir -p /newroot && mount -t tmpfs -o size=1800m tmpfs /newroot
  for d in $(ls -A / | grep -v -e '^newroot$' -e '^proc$'); do cp -a "/$d" /newroot/; done
  mkdir -p /newroot/proc
  umount /proc
  exec switch_root /newroot /init stage2
fi
export PATH=/sbin:/bin:/usr/sbin:/usr/bin:/var/vcap/packages/guardian/bin
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm && mount -t devpts devpts /dev/pts && mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
ln -sf /bin/busybox /sbin/modprobe
depmod
echo /sbin/modprobe > /proc/sys/kernel/modprobe
for m in ip_tables iptable_filter iptable_nat xt_comment xt_conntrack xt_tcpudp xt_mark xt_LOG xt_multiport xt_iprange ipt_REJECT; do modprobe "$m" 2>/dev/null || echo "modprobe $m failed"; done
ip link set lo up
phase boot
P=/var/vcap/packages
# An unprivileged container's root is the host's maximus id (idmapper; 2147483647 on 32-bit): its
# raw:// rootfs must belong to that id, as grootfs would lay it out. The privileged one uses /rootfs.
root_id="$($P/garden-idmapper/bin/maximus)"
echo "SE-MAXIMUS $root_id"
cp -a /rootfs /rootfs-unprivileged && chown -R "$root_id:$root_id" /rootfs-unprivileged
gdn setup > /run/gdn-setup.log 2>&1 || { echo "gdn setup failed"; tail -5 /run/gdn-setup.log; }
phase setup
gdn server \
  --bind-socket=/run/garden.sock --depot=/var/gdn/depot \
  --runtime-plugin=$P/runc/bin/runc --dadoo-bin=$P/guardian/bin/dadoo --init-bin=$P/guardian/bin/init \
  --nstar-bin=$P/guardian/bin/nstar --tar-bin=$P/tar/tar \
  --iptables-bin=$P/iptables/sbin/iptables --iptables-restore-bin=$P/iptables/sbin/iptables-restore \
  --network-plugin=/bin/true --external-ip=10.0.2.15 --log-level=error > /run/gdn.log 2>&1 &
/usr/bin/se-garden-probe --socket=/run/garden.sock --rootfs=/rootfs --rootfs-unprivileged=/rootfs-unprivileged --cycles="$(sed -n 's/.*se.cycles=\([0-9]*\).*/\1/p' /proc/cmdline | grep . || echo 1)"
rc=$?
phase probe
if [ $rc != 0 ]; then echo "--- gdn log (last 30 lines)"; tail -30 /run/gdn.log; fi
echo "SE-DONE $rc"
sync
poweroff -f
