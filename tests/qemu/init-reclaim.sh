#!/bin/busybox sh
# shellcheck shell=dash
# The initramfs's /init for tests/qemu/reclaim.sh: run the workload the
# command line names (confmem.case=memcg), print what the kernel counted
# between two markers, then power off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /sys/fs/cgroup
mount -t cgroup2 none /sys/fs/cgroup
echo "=== confmem-qemu-begin"
# A cgroup at memory.max 200M in which dd fills a 350M buffer from /dev/zero
# (busybox dd allocates a buffer of bs bytes): every page is touched once.
memcg_case() {
	cg=/sys/fs/cgroup/job
	echo +memory > /sys/fs/cgroup/cgroup.subtree_control
	mkdir $cg
	echo 200M > $cg/memory.max
	echo 1 > /sys/kernel/mm/numa/demotion_enabled
	sh -c "echo \$\$ > $cg/cgroup.procs; exec dd if=/dev/zero of=/dev/null bs=350M count=1"
	echo "dd exit: $?"
	sed -n 's/^\(pgscan\|pgsteal\|pgdemote_direct\|pgdemote_kswapd\)\(_direct\|_kswapd\)\{0,1\} /memory.stat &/p' $cg/memory.stat
	sed 's/^/memory.events /' $cg/memory.events
	grep -E '^(pgscan_direct|pgsteal_direct|pgscan_kswapd|pgsteal_kswapd|pgscan_anon|pgsteal_anon|pgdemote_direct|pgdemote_kswapd|pgmigrate_success) ' /proc/vmstat |
		sed 's/^/vmstat /'
	for n in 0 1; do
		grep -E '^pgdemote_(direct|kswapd) ' /sys/devices/system/node/node$n/vmstat | sed "s/^/node$n /"
	done
}
# The host hot-adds memory to node 1 through the QEMU monitor once it sees
# the ready marker (memhp_default_state=online onlines it): print what the
# kernel printed meanwhile, and the tiers.
hotadd_case() {
	before=$(dmesg | wc -l)
	echo "=== confmem-qemu-ready"
	i=0
	while [ $i -lt 300 ]; do
		case "$(cat /sys/devices/system/node/has_memory)" in
		*1*) break ;;
		esac
		sleep 1
		i=$((i + 1))
	done
	sleep 2
	dmesg | tail -n +$((before + 1)) | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' |
		grep -E '^(Fallback order for Node|Built [0-9]+ zonelists|Policy zone|Demotion targets for Node)'
	for t in /sys/bus/memory_tiering/devices/memory_tier*; do
		[ -e "$t/nodelist" ] && echo "${t##*/}: $(cat "$t/nodelist")"
	done
}
# 320M filled by dd in a cpuset bound to node 0 (cpuset.mems=0, as
# MPOL_BIND would), no swap: how much is demoted, and by whom.
kswapd_case() {
	cg=/sys/fs/cgroup/bound
	echo +cpuset > /sys/fs/cgroup/cgroup.subtree_control
	mkdir $cg
	echo 0 > $cg/cpuset.mems
	echo 1 > /sys/kernel/mm/numa/demotion_enabled
	sh -c "echo \$\$ > $cg/cgroup.procs; exec dd if=/dev/zero of=/dev/null bs=320M count=1"
	echo "dd exit: $?"
	grep -E '^(pgdemote_direct|pgdemote_kswapd|pgscan_direct|pgscan_kswapd|allocstall_normal|allocstall_dma32) ' /proc/vmstat |
		sed 's/^/vmstat /'
}
case "$(cat /proc/cmdline)" in
*confmem.case=memcg*) memcg_case ;;
*confmem.case=kswapd*) kswapd_case ;;
*confmem.case=hotadd*) hotadd_case ;;
esac
echo "=== confmem-qemu-end"
poweroff -f
