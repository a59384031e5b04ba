#!/usr/bin/env bash
# Compare what confmem prints for a topology with what a 6.12 kernel printed
# for it (the lines run.sh recorded under tests/qemu/expected/).
#   compare.sh CONFMEM TOPOLOGY.topo KERNEL-LINES [--side-by-side]
# Compared, in order: the boot "Fallback order for Node N:" lines, the
# memory-tiers lines about the HMAT reference, "Demotion targets for Node
# N:", then memory_tierN: NODELIST for every tier; for a kmem topology also
# the demotion lines printed when kmem onlined the node's memory, against
# confmem sim's on a hot-add of the same range. Exit 0 when they agree,
# 1 with a diff (kernel -, confmem +) when not, 2 on bad input.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/qemu/topo.sh
. "$here/topo.sh"
confmem=$1 topology=$2 kernel=$3 mode=${4:-}
[ -x "$confmem" ] && [ -f "$topology" ] && [ -f "$kernel" ] || { echo "usage: $0 CONFMEM TOPO KERNEL" >&2; exit 2; }
name=$(basename "$topology" .topo)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The comparable lines of a kernel log, or of confmem's log (same words).
comparable() {
	grep -E '^(Fallback order for Node|memory-tiers: |DRAM node [0-9]+\.$|  performance of |    read_latency: |  disable default DRAM|Demotion targets for Node|memory_tier[0-9]+: )' |
		sed 's/[[:space:]]*$//'
}

# memory_tierN: LIST lines from "node N: memory_tierK" lines, in tier order.
tier_lines() {
	awk '
	function flush(tier,   list, i, n, first, prev) {
		n = split(nodes[tier], ids, " ")
		list = ""; first = -1
		for (i = 1; i <= n + 1; i++) {
			if (i <= n && first >= 0 && ids[i] == prev + 1) { prev = ids[i]; continue }
			if (first >= 0)
				list = list (list == "" ? "" : ",") (first == prev ? first : first "-" prev)
			if (i <= n) { first = ids[i]; prev = ids[i] }
		}
		printf "memory_tier%d: %s\n", tier, list
	}
	match($0, /^  node [0-9]+: memory_tier[0-9]+/) {
		split(substr($0, RSTART, RLENGTH), f, /[ :]+|memory_tier/)
		node = f[3]; tier = f[5] + 0
		nodes[tier] = nodes[tier] (nodes[tier] == "" ? "" : " ") node
		seen[tier] = 1
	}
	END { n = 0; for (t in seen) order[n++] = t + 0
	      for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (order[j] < order[i]) { x = order[i]; order[i] = order[j]; order[j] = x }
	      for (i = 0; i < n; i++) flush(order[i]) }'
}

topo_read "$topology" || exit 2
topo_platform_json "qemu-$name" > "$tmp/platform.json"
if ! "$confmem" report --platform "$tmp/platform.json" > "$tmp/report.txt" 2> "$tmp/report.err"; then
	echo "$name: confmem report failed:" >&2
	cat "$tmp/report.err" >&2
	exit 2
fi
sed -n '/^Memory tiers and demotion/,/^$/p' "$tmp/report.txt" | sed 's/^  //' | comparable > "$tmp/confmem.txt"
tier_lines < "$tmp/report.txt" >> "$tmp/confmem.txt"
grep -v '^after kmem: ' "$kernel" > "$tmp/kernel-boot.txt"
{ comparable < "$tmp/kernel-boot.txt" | grep -v '^memory_tier'
  grep '^memory_tier' "$tmp/kernel-boot.txt" | sort -t: -k1.12n
  sed -n 's/^after kmem: \(Demotion targets\)/\1/p' "$kernel" | sed 's/^/after kmem: /'; } > "$tmp/kernel.txt"
if [ -n "$topo_kmem" ]; then
	topo_kmem_scenario "$tmp/platform.json" > "$tmp/scenario.json"
	if ! "$confmem" sim "$tmp/scenario.json" --trace "$tmp/trace.txt" > /dev/null 2> "$tmp/sim.err"; then
		echo "$name: confmem sim failed:" >&2
		cat "$tmp/sim.err" >&2
		exit 2
	fi
	sed -n 's/^\[ *[0-9]* ms\] \(Demotion targets\)/after kmem: \1/p' "$tmp/trace.txt" >> "$tmp/confmem.txt"
fi

if [ "$mode" = --side-by-side ]; then
	echo "== $name: $topo_title"
	paste -d'|' <(sed 's/^/kernel:  /' "$tmp/kernel.txt") <(sed 's/^/confmem: /' "$tmp/confmem.txt") |
		awk -F'|' '{ k = $1; c = $2; sub(/^kernel:  /, "", k); sub(/^confmem: /, "", c);
			    printf "%s %-58s | %s\n", (k == c ? " " : "!"), k, c }'
fi
if ! diff -u --label "kernel 6.12 ($name)" --label "confmem ($name)" "$tmp/kernel.txt" "$tmp/confmem.txt"; then
	exit 1
fi
exit 0
