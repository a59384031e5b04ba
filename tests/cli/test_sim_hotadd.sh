# Run-time hot-add as 6.12 prints it (SPEC 5, 7): 512 MiB to memory-less
# node 1, HMAT saying it is slow. At add_memory() only node 1's zonelist is
# built (it is not online yet); when the first block comes online every
# zonelist is rebuilt with CPUs mapped, then the demotion targets once.
. "$(dirname "$0")/lib.sh"

ex="$SRC/examples/hotadd-acpi-hmat.json"

# The kernel's lines, in the kernel's order (Debian 6.12 under QEMU).
kernel_lines() {
	cat <<'LINES'
Fallback order for Node 1: 0
Built 1 zonelists
Policy zone: Normal
Fallback order for Node 0: 0 1
Fallback order for Node 1: 1 0
Built 2 zonelists
Policy zone: Normal
Demotion targets for Node 0: preferred: 1, fallback: 1
Demotion targets for Node 1: null
LINES
}

# The trace's kernel lines at @1 ms, without the time stamps and the Total pages figure.
trace_lines() {
	sed -nE "s/^\[ *$1 ms\] //p" "$2" | grep -E '^(Fallback order|Built|Policy zone|Demotion targets)' |
		sed -E 's/^(Built [0-9]+ zonelists).*/\1/'
}

run sim "$ex" --check --trace "$tmp/trace.log"
expect_status 0
nr_checks=$((nr_checks + 1))
diff <(kernel_lines) <(trace_lines 10 "$tmp/trace.log") > "$tmp/diff" || fail "hot-add lines differ: $(cat "$tmp/diff")"

# memory_tier35 from HMAT; without HMAT data, ACPI memory is DRAM's 576 (tier 4): no demotion.
run sim "$ex" --json
expect_status 0
expect_jq '[.expect[] | .passed] | all' true
jq 'del(.platform.nodes[].hmat) | .expect = [{"counter": "node1.adistance", "op": "==", "value": 576},
    {"counter": "node0.nr_demotion_targets", "op": "==", "value": 0}]' "$ex" > "$tmp/nohmat.json"
run sim "$tmp/nohmat.json" --trace "$tmp/nohmat.log"
expect_status 0
expect_contains "pass: node1.adistance == 576"
expect_contains "pass: node0.nr_demotion_targets == 0"
nr_checks=$((nr_checks + 1))
grep -q 'Demotion targets for Node 0: null' "$tmp/nohmat.log" || fail "node 0 should demote nowhere"

# Onlined through device-dax/kmem without HMAT data: 2880 (memory_tier22).
jq 'del(.platform.nodes[].hmat) | .events[0].via = "kmem" |
    .expect = [{"counter": "node1.adistance", "op": "==", "value": 2880}]' "$ex" > "$tmp/kmem.json"
run sim "$tmp/kmem.json"
expect_status 0
expect_contains "pass: node1.adistance == 2880"

# Left offline: the add-time lines only, no memory, no demotion.
jq '.events[0].online = "offline" | .expect = [{"counter": "node1.present_pages", "op": "==", "value": 0}]' \
	"$ex" > "$tmp/offline.json"
run sim "$tmp/offline.json" --trace "$tmp/offline.log"
expect_status 0
expect_contains "pass: node1.present_pages == 0"
nr_checks=$((nr_checks + 1))
diff <(kernel_lines | head -3) <(trace_lines 10 "$tmp/offline.log") > "$tmp/diff" ||
	fail "an offline add prints only the add-time lines: $(cat "$tmp/diff")"

# online_movable changes only the zone.
jq '.events[0].online = "online_movable"' "$ex" > "$tmp/movable.json"
run sim "$tmp/movable.json" --trace "$tmp/movable.log"
expect_status 0
nr_checks=$((nr_checks + 1))
diff <(kernel_lines) <(trace_lines 10 "$tmp/movable.log") > "$tmp/diff" || fail "online_movable lines differ"
nr_checks=$((nr_checks + 1))
grep -q 'ZONE_MOVABLE' "$tmp/movable.log" || fail "the event's result names the zone"

# A bad `via` is refused with the choices.
jq '.events[0].via = "dimm"' "$ex" > "$tmp/bad.json"
run sim "$tmp/bad.json"
expect_status 2
expect_err_contains 'acpi'
finish
