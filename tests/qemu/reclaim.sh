#!/usr/bin/env bash
# Reclaim and memory cgroups against a real 6.12 kernel under QEMU: boot
# the cases under tests/qemu/reclaim, run the same workload in the guest
# and in confmem sim, and compare what each counted.
#   reclaim.sh [-v] [--confmem PATH] [--kernel VMLINUZ] [CASE...]
# CASE is a name under tests/qemu/reclaim (default: all):
#   memcg-demote  a cgroup at memory.max 200M touching 350M, demotion on,
#                 no swap: reclaim demotes all it holds (demoted pages stay
#                 charged), memory.events max in the hundreds, then the OOM
#                 kill; cgroup reclaim stays out of the global pgscan_direct.
#   hotadd-acpi   512 MiB hot-added at run time through the QEMU monitor
#                 (object_add + device_add pc-dimm) to memory-less node 1,
#                 HMAT saying it is slow: the zonelist, policy-zone and
#                 demotion lines in the kernel's order, and node 1's tier.
#   hotadd-acpi-no-hmat  the same without HMAT: 576, tier 4, no demotion.
#   kswapd-share  DRAM 256M + CXL 512M, 320M bound to DRAM, no swap: the
#                 share of the demotions kswapd makes.
# A case's topology is a tests/qemu/topologies file (topo.sh) plus, for a
# hot-add, a line "hotadd NODE MIB".
# Exit 0 all agree, 1 some differ or a boot failed, 77 QEMU, busybox or the
# kernel is not available, 2 bad usage.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
confmem=$src/build/confmem kernel=${CONFMEM_QEMU_KERNEL:-} verbose=0
cache=${CONFMEM_QEMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/confmem-qemu}
cases=()
while [ $# -gt 0 ]; do
	case "$1" in
	-v) verbose=1 ;;
	--confmem) confmem=$2; shift ;;
	--kernel) kernel=$2; shift ;;
	-*) echo "usage: $0 [-v] [--confmem PATH] [--kernel VMLINUZ] [CASE...]" >&2; exit 2 ;;
	*) cases+=("$1") ;;
	esac
	shift
done
if [ ${#cases[@]} -eq 0 ]; then
	for f in "$here"/reclaim/*.topo; do cases+=("$(basename "$f" .topo)"); done
fi

skip() { echo "SKIP: $*"; exit 77; }
qemu=$(command -v qemu-system-x86_64) || skip "qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
busybox=$(command -v busybox) || skip "busybox not found (apt-get install busybox-static)"
ldd "$busybox" > /dev/null 2>&1 && skip "$busybox is dynamically linked; the initramfs needs busybox-static"
[ -n "$kernel" ] || kernel=$(ls -1 "$cache"/kernel/boot/vmlinuz-6.12* 2> /dev/null | sort -V | tail -1)
[ -n "$kernel" ] && [ -r "$kernel" ] || skip "no 6.12 kernel image (run tests/qemu/fetch-kernel.sh, or set CONFMEM_QEMU_KERNEL)"
command -v jq > /dev/null || skip "jq not found"
[ -x "$confmem" ] || { echo "confmem not built: $confmem" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/bin" "$tmp/root/proc" "$tmp/root/sys" "$tmp/root/dev"
cp "$busybox" "$tmp/root/bin/busybox"
cp "$here/init-reclaim.sh" "$tmp/root/init"
chmod +x "$tmp/root/init"
(cd "$tmp/root" && find . | "$busybox" cpio -o -H newc 2> /dev/null | gzip -1) > "$tmp/initrd.gz"

# shellcheck source=tests/qemu/topo.sh
. "$here/topo.sh"

# Boot the topology with confmem.case=NAME (the name up to its first dash);
# for a hot-add, room for DIMMs, a monitor socket, and the DIMM plugged in
# once the guest is ready. The guest's lines between the markers.
boot() {
	local name=$1 log=$tmp/$1.log hotadd=$2 node mib pid
	mapfile -t args < <(topo_qemu_args)
	[ -n "$hotadd" ] && args[0]="${args[0]/M /M,slots=2,maxmem=4G }"
	# shellcheck disable=SC2046 # each line is a group of words
	timeout 600 "$qemu" -machine q35,hmat="$topo_hmat" -accel tcg $(printf '%s ' "${args[@]}") \
		-kernel "$kernel" -initrd "$tmp/initrd.gz" -monitor "unix:$tmp/monitor,server,nowait" \
		-append "console=ttyS0 quiet loglevel=1 panic=-1 memhp_default_state=online confmem.case=${name%%-*}" \
		-nographic -no-reboot < /dev/null > "$log" 2>&1 &
	pid=$!
	if [ -n "$hotadd" ]; then
		read -r node mib <<< "$hotadd"
		wait_for_line "$log" confmem-qemu-ready &&
			monitor "object_add memory-backend-ram,id=hp1,size=${mib}M" \
				"device_add pc-dimm,id=dimm1,memdev=hp1,node=$node"
	fi
	wait "$pid"
	tr -d '\r' < "$log" | sed -n '/=== confmem-qemu-begin/,/=== confmem-qemu-end/p' | sed '1d;$d' |
		grep -v '^=== confmem-qemu-ready' | sed -E 's/[[:space:]]+$//; s/^(Built [0-9]+ zonelists).*/\1/'
}

wait_for_line() {
	local i
	for ((i = 0; i < 300; i++)); do
		grep -q "$2" "$1" 2> /dev/null && return 0
		sleep 1
	done
	return 1
}

# Send QEMU monitor commands (HMP) to the guest's monitor socket.
monitor() {
	python3 - "$tmp/monitor" "$@" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
for command in sys.argv[2:]:
    s.sendall((command + "\n").encode())
    time.sleep(1)
s.close()
PY
}

# The guest's value of "PREFIX NAME VALUE" lines.
kernel_value() { awk -v k="$1" '$0 ~ "^" k " " { print $NF; exit }' "$tmp/kernel.txt"; }

# The same workload in confmem: the topology's platform, /job at 200M, 350M touched once from node 0.
memcg_scenario() {
	topo_platform_json "$1" > "$tmp/platform.json"
	jq -n --slurpfile p "$tmp/platform.json" '{
	  platform: $p[0], seed: 1, duration_ms: 200,
	  config: { demotion_enabled: true, swap_bytes: 0 },
	  cgroups: [ { path: "/job", "memory.max": "200M" } ],
	  actors: [ { name: "dd", cgroup: "/job", node: 0, anon: "350M", run_ms: 150,
	              access: { pattern: "sequential", rate: 4096 } } ] }'
}

# confmem's figures under the guest's names.
memcg_confmem_lines() {
	jq -r '(.cgroups[] | select(.path == "/job") | .memory) as $m |
	  "task outcome \(.actors[0].outcome)",
	  "memory.stat pgdemote_direct \($m.stat.pgdemote_direct)",
	  "memory.stat pgscan \($m.stat.pgscan)",
	  "memory.stat pgsteal \($m.stat.pgsteal)",
	  "memory.events max \($m.events.max)",
	  "memory.events oom_kill \($m.events.oom_kill)",
	  "vmstat pgscan_direct \(.counters.pgscan_direct)",
	  "vmstat pgsteal_direct \(.counters.pgsteal_direct)",
	  "vmstat pgmigrate_success \(.counters.pgmigrate_success)",
	  "node0 pgdemote_direct \(.nodes[0].counters.pgdemote_direct)",
	  "node1 pgdemote_direct \(.nodes[1].counters.pgdemote_direct)"' "$1"
}

# Both sides: killed after demoting at least 90% of the 51200 pages held,
# max events in the hundreds, nothing in the global direct counters, the
# demotions on node 0.
memcg_agree() {
	local file=$1 held=51200
	awk -v held=$held '
	{ v[$1 " " $2] = $NF }
	END {
		bad = 0
		if (v["memory.stat pgdemote_direct"] * 10 < held * 9) { print "  pgdemote_direct below 90% of what it held"; bad = 1 }
		if (v["memory.events max"] < 100 || v["memory.events max"] >= 1000) { print "  memory.events max not in the hundreds"; bad = 1 }
		if (v["memory.events oom_kill"] != 1) { print "  not one OOM kill"; bad = 1 }
		if (v["vmstat pgscan_direct"] != 0 || v["vmstat pgsteal_direct"] != 0) { print "  cgroup reclaim in the global direct counters"; bad = 1 }
		if (v["node0 pgdemote_direct"] != v["memory.stat pgdemote_direct"] || v["node1 pgdemote_direct"] != 0) { print "  demotions not on node 0"; bad = 1 }
		exit bad
	}' "$file"
}

# The hot-add in confmem: the topology's platform with every node's HMAT
# data and a hot-plug window at 4 GiB (where QEMU puts the DIMM) on NODE,
# added at 1 ms; node NODE's memory tier expected as the kernel's.
hotadd_scenario() {
	local node=$2 mib=$3 tier=$4
	topo_platform_json "$1" > "$tmp/platform.json"
	local perf=() i
	for ((i = 0; i < topo_nr; i++)); do perf+=("${topo_perf[i]}"); done
	jq --arg perf "${perf[*]}" --argjson node "$node" --argjson size $((mib << 20)) --argjson tier "$tier" '
	  ($perf | split(" ")) as $p |
	  .nodes |= [.[] | . as $n | ($p[$n.id] | split(",") | map(tonumber)) as $v |
	    if ($v | length) == 4 then .hmat = { read_latency_ns: $v[0], write_latency_ns: $v[1],
	      read_bandwidth_mbps: $v[2], write_bandwidth_mbps: $v[3] } else . end] |
	  .hotplug = [ { start: "4G", size: $size, node: $node, convertible: false } ] |
	  { platform: ., seed: 1, duration_ms: 2,
	    events: [ { at_ms: 1, kind: "hotadd", start: "4G", size: $size, via: "acpi" } ],
	    expect: [ { counter: "node\($node).memory_tier", op: "==", value: $tier } ] }' "$tmp/platform.json"
}

hotadd_compare() {
	local name=$1 node mib tier
	read -r node mib <<< "$2"
	grep -E '^(Fallback order|Built|Policy zone|Demotion targets)' "$tmp/kernel.txt" > "$tmp/kernel.lines"
	tier=$(sed -nE "s/^memory_tier([0-9]+): .*\b$node\b.*/\1/p" "$tmp/kernel.txt" | head -1)
	if [ ! -s "$tmp/kernel.lines" ] || [ -z "$tier" ]; then
		boot_failed "$name"
		return
	fi
	hotadd_scenario "$name" "$node" "$mib" "$tier" > "$tmp/scenario.json"
	"$confmem" sim "$tmp/scenario.json" --trace "$tmp/trace.log" > "$tmp/confmem.out" ||
		{ verdict "$name" bad; return; }
	sed -nE 's/^\[ *1 ms\] //p' "$tmp/trace.log" | grep -E '^(Fallback order|Built|Policy zone|Demotion targets)' |
		sed -E 's/^(Built [0-9]+ zonelists).*/\1/' > "$tmp/confmem.lines"
	[ "$verbose" -eq 1 ] && { echo "$name: kernel | confmem"; paste -d'|' "$tmp/kernel.lines" "$tmp/confmem.lines"; }
	if diff -u --label kernel --label confmem "$tmp/kernel.lines" "$tmp/confmem.lines" > "$tmp/diff" &&
		grep -q "^  pass: node$node.memory_tier" "$tmp/confmem.out"; then
		verdict "$name" ok "memory_tier$tier"
	else
		cat "$tmp/diff"
		grep 'node.*memory_tier' "$tmp/confmem.out"
		verdict "$name" bad
	fi
}

# The guest printed nothing a comparison can use: say so with its console.
boot_failed() {
	echo "$1: the guest printed nothing usable; its console:"
	tail -20 "$tmp/$1.log"
	results+=("$1: BOOT FAILED")
	failed=1
}

verdict() {
	if [ "$2" = ok ]; then results+=("$1: match ($topo_title${3:+; $3})"); else results+=("$1: DIFFERS ($topo_title)"); failed=1; fi
}

memcg_compare() {
	local name=$1 side state=ok a b v
	grep -q '^memory.stat ' "$tmp/kernel.txt" || { boot_failed "$name"; return; }
	[ "$(kernel_value 'dd exit:')" = 137 ] && echo "task outcome killed" >> "$tmp/kernel.txt"
	memcg_scenario "$name" > "$tmp/scenario.json"
	"$confmem" sim "$tmp/scenario.json" --json > "$tmp/confmem.json" || { verdict "$name" bad; return; }
	memcg_confmem_lines "$tmp/confmem.json" > "$tmp/confmem.txt"
	if [ "$verbose" -eq 1 ]; then
		echo "$name: kernel | confmem"
		while read -r a b v; do
			printf '  %-32s %10s %10s\n' "$a $b" "$(kernel_value "$a $b")" "$v"
		done < "$tmp/confmem.txt"
	fi
	for side in kernel confmem; do
		grep -q '^task outcome killed' "$tmp/$side.txt" || { echo "  $side: the task was not killed"; state=bad; }
		memcg_agree "$tmp/$side.txt" | sed "s/^/$side:/" | grep . && state=bad
	done
	verdict "$name" "$state"
}

# 320M bound to node 0 in confmem (the guest binds with cpuset.mems).
kswapd_scenario() {
	topo_platform_json "$1" > "$tmp/platform.json"
	jq -n --slurpfile p "$tmp/platform.json" '{
	  platform: $p[0], seed: 1, duration_ms: 200,
	  config: { demotion_enabled: true, swap_bytes: 0 },
	  actors: [ { name: "dd", node: 0, policy: { mode: "bind", nodes: "0" }, anon: "320M", run_ms: 150,
	              access: { pattern: "sequential", rate: 4096 } } ] }'
}

# kswapd's share of the demotions, in percent, from "pgdemote_kswapd K" and "pgdemote_direct D".
kswapd_share() { awk '{ v[$1] = $2 } END { t = v["pgdemote_kswapd"] + v["pgdemote_direct"]; printf "%d %d\n", t, t ? 100 * v["pgdemote_kswapd"] / t : 0 }'; }

# The kernel's share varies from run to run (48-86% seen, single-threaded
# TCG sharing the host); both sides must land between 40% and 90%. The
# totals differ: the guest's own kernel and page cache live in node 0 too.
kswapd_compare() {
	local name=$1 kernel_share confmem_share state=ok
	grep -q '^vmstat pgdemote_kswapd ' "$tmp/kernel.txt" || { boot_failed "$name"; return; }
	kswapd_scenario "$name" > "$tmp/scenario.json"
	"$confmem" sim "$tmp/scenario.json" --json > "$tmp/confmem.json" || { verdict "$name" bad; return; }
	kernel_share=$(sed -n 's/^vmstat //p' "$tmp/kernel.txt" | kswapd_share)
	confmem_share=$(jq -r '.counters | "pgdemote_kswapd \(.pgdemote_kswapd)\npgdemote_direct \(.pgdemote_direct)"' \
		"$tmp/confmem.json" | kswapd_share)
	[ "$verbose" -eq 1 ] && printf '%s: demoted, kswapd %%: kernel %s, confmem %s\n' "$name" "$kernel_share" "$confmem_share"
	for share in "$kernel_share" "$confmem_share"; do
		read -r total pct <<< "$share"
		[ "$total" -gt 0 ] && [ "$pct" -ge 40 ] && [ "$pct" -le 90 ] || state=bad
	done
	verdict "$name" "$state" "kswapd ${kernel_share#* }% of ${kernel_share% *} in the kernel, ${confmem_share#* }% of ${confmem_share% *} in confmem"
}

echo "kernel: $kernel"
failed=0 results=()
for name in "${cases[@]}"; do
	topology=$here/reclaim/$name.topo
	[ -f "$topology" ] || { echo "no case $name" >&2; exit 2; }
	grep -v '^hotadd ' "$topology" > "$tmp/$name.topo"	# topo.sh knows no hot-add
	topo_read "$tmp/$name.topo" || exit 2
	hotadd=$(sed -n 's/^hotadd //p' "$topology")
	boot "$name" "$hotadd" > "$tmp/kernel.txt"
	case "${name%%-*}" in
	hotadd) hotadd_compare "$name" "$hotadd" ;;
	memcg) memcg_compare "$name" ;;
	kswapd) kswapd_compare "$name" ;;
	*) echo "$name: no comparison for this kind of case" >&2; exit 2 ;;
	esac
done
printf '%s\n' "${results[@]}"
exit $failed
