#!/bin/busybox sh
# shellcheck shell=dash
# The initramfs's /init (tests/qemu/run.sh): print what the kernel decided
# about NUMA and memory tiers between two markers, then power off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo "=== confmem-qemu-begin"
dmesg | grep -E 'Fallback order for Node|Built [0-9]+ zonelists|Demotion targets for Node|memory-tiers|DRAM node|disable default DRAM|read_latency: |acpi/hmat: +Initiator-Target|acpi/hmat: Ignoring'
for t in /sys/bus/memory_tiering/devices/memory_tier*; do
	[ -e "$t/nodelist" ] && echo "${t##*/}: $(cat "$t/nodelist")"
done
for n in /sys/devices/system/node/node[0-9]*; do
	echo "${n##*/} cpus: $(cat "$n/cpulist") distance: $(cat "$n/distance")"
done
# confmem.kmem on the command line: a soft-reserved range (memmap=...%) is
# a device-dax region; give it to kmem, which onlines it, and print what
# the kernel printed meanwhile.
if grep -q confmem.kmem /proc/cmdline; then
	before=$(dmesg | wc -l)
	insmod /lib/modules/dax_hmem.ko
	insmod /lib/modules/kmem.ko
	for d in /sys/bus/dax/devices/dax*; do
		[ -e "$d" ] && echo "${d##*/}" > /sys/bus/dax/drivers/kmem/new_id
	done
	echo "=== confmem-qemu-kmem"
	dmesg | tail -n +$((before + 1)) | grep -E 'Fallback order for Node|Built [0-9]+ zonelists|Demotion targets for Node|kmem|dax'
	for t in /sys/bus/memory_tiering/devices/memory_tier*; do
		[ -e "$t/nodelist" ] && echo "${t##*/}: $(cat "$t/nodelist")"
	done
fi
echo "=== confmem-qemu-end"
poweroff -f
