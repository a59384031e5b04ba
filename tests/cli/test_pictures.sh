# Pictures without a browser (SPEC 11): the SVG and HTML files' structure,
# counted in the files themselves; determinism; sizes; the text and JSON
# on stdout unchanged by asking for a picture; no progress line when
# stderr is not a terminal. tests/browser/ opens the same files in Chromium.
. "$(dirname "$0")/lib.sh"

# count FILE PATTERN: how many times the fixed string PATTERN occurs in FILE.
count() {
	grep -oF -- "$2" "$1" | wc -l
}

# expect_count FILE PATTERN N
expect_count() {
	nr_checks=$((nr_checks + 1))
	local n
	n=$(count "$1" "$2")
	[ "$n" -eq "$3" ] || fail "$(basename "$1"): expected $3 of '$2', found $n"
}

# A file that stands alone: no network, no external script, font or image; elements closed.
expect_self_contained() {
	nr_checks=$((nr_checks + 1))
	if grep -E -q '(src|href)="(https?:)?//|@import|url\(["'\'']?https?:' "$1"; then
		fail "$(basename "$1"): refers to something outside the file"
	fi
	expect_count "$1" "<svg" "$(count "$1" "</svg>")"
	expect_count "$1" "<text" "$(count "$1" "</text>")"
	expect_count "$1" "<title>" "$(count "$1" "</title>")"
	nr_checks=$((nr_checks + 1))
	[ "$(stat -c %s "$1")" -lt 2000000 ] || fail "$(basename "$1"): 2 MB or more"
}

# canonical/tdx#135: TDMR 0 has 17 reserved areas of 16; the 17th is drawn over the limit.
run plan --dmesg "$DATA/dmesg/tdx135.log" --svg "$tmp/135.svg"
expect_status 1
plan_text=$out
expect_count "$tmp/135.svg" 'data-tdmr="0" data-area=' 17
expect_count "$tmp/135.svg" 'class="rsvd over"' 1
# In the map and in its own panel.
expect_count "$tmp/135.svg" 'class="tdmr fail"' 2
expect_count "$tmp/135.svg" '<?xml version="1.0"' 1
expect_count "$tmp/135.svg" 'reserved_areas_exhausted' 1
expect_self_contained "$tmp/135.svg"
nr_checks=$((nr_checks + 1))
grep -q 'with CMR-based holes' "$tmp/135.svg" || fail "135.svg: the advice is not beside the map"
# The text on stdout is the same with and without the picture.
run plan --dmesg "$DATA/dmesg/tdx135.log"
expect_status 1
nr_checks=$((nr_checks + 1))
[ "$out" = "$plan_text" ] || fail "plan's text changed with --svg"
run plan --dmesg "$DATA/dmesg/tdx135.log" --html "$tmp/135.html"
expect_status 1
expect_count "$tmp/135.html" 'data-tdmr="0" data-area=' 17
expect_self_contained "$tmp/135.html"

# The default preset: the address map and the NUMA graph; JSON unchanged by --html.
run report --json
expect_status 0
json=$out
run report --json --html "$tmp/default.html"
expect_status 0
nr_checks=$((nr_checks + 1))
[ "$out" = "$json" ] || fail "report's JSON changed with --html"
expect_count "$tmp/default.html" '<svg class="picture" data-picture="address_map"' 1
expect_count "$tmp/default.html" '<svg class="picture" data-picture="numa"' 1
expect_count "$tmp/default.html" 'class="numa-node"' 4
expect_count "$tmp/default.html" 'class="epc"' 2
expect_count "$tmp/default.html" 'class="hotadd"' 2
# Three TDMRs, each with reserved areas: in the map and in a panel of its own.
expect_count "$tmp/default.html" 'class="tdmr"' 6
expect_count "$tmp/default.html" '<pre id="report-text">' 1
expect_self_contained "$tmp/default.html"

# Tiers and demotion arrows: 0 -> 2 and 1 -> 3 preferred.
run nodes --platform "$SRC/examples/memory-tiers-example.json" --svg "$tmp/tiers.svg"
expect_status 0
expect_count "$tmp/tiers.svg" 'class="numa-node"' 4
expect_count "$tmp/tiers.svg" 'class="pref" data-from="0" data-to="2"' 1
expect_count "$tmp/tiers.svg" 'class="pref" data-from="1" data-to="3"' 1
expect_self_contained "$tmp/tiers.svg"
run nodes --nodemask capable --svg "$tmp/no.svg"
expect_status 2
expect_err_contains "--svg draws the table of nodes"

# A simulation: one free-pages line per node, the rates, the root cgroup; the same bytes twice.
ex="$SRC/examples/tiering-dram-cxl-demote.json"
run sim "$ex" --html "$tmp/sim1.html"
expect_status 0
expect_no_err
run sim "$ex" --html "$tmp/sim2.html" --quiet
expect_status 0
nr_checks=$((nr_checks + 1))
cmp -s "$tmp/sim1.html" "$tmp/sim2.html" || fail "two runs with the same seed drew different pictures"
expect_count "$tmp/sim1.html" 'class="line free"' 2
expect_count "$tmp/sim1.html" 'data-rate="demotion"' 1
expect_count "$tmp/sim1.html" 'memory.current against memory.max' 1
expect_self_contained "$tmp/sim1.html"
run plan --dmesg "$DATA/dmesg/tdx135.log" --svg "$tmp/again.svg"
expect_status 1
nr_checks=$((nr_checks + 1))
cmp -s "$tmp/135.svg" "$tmp/again.svg" || fail "two plans drew different pictures"

# SGX (the EPC cgroup selftest's "larger than the limit, kill" case): EPC against misc.max, the kill marked.
run sim "$SRC/examples/sgx-cgroup-larger8-kill.json" --html "$tmp/sgx.html"
expect_status 0
expect_count "$tmp/sgx.html" 'misc.current sgx_epc against misc.max' 2
expect_count "$tmp/sgx.html" '<g class="mark" data-kind="kill">' 1
expect_count "$tmp/sgx.html" '<g class="mark" data-kind="killed">' 1
expect_self_contained "$tmp/sgx.html"

# TD guests: one panel with their private memory, refusals and Dynamic PAMT over time.
run sim "$SRC/examples/td-dpamt.json" --html "$tmp/td.html"
expect_status 0
expect_count "$tmp/td.html" 'class="line td-private"' 1
expect_count "$tmp/td.html" 'class="line td-dpamt"' 1
run sim "$SRC/examples/tiering-dram-cxl-demote.json" --html "$tmp/no-td.html"
expect_status 0
expect_count "$tmp/no-td.html" 'class="line td-private"' 0

# Progress: a line rewritten in place on a terminal (script(1) gives one), none with --quiet.
# Skipped, with a message, where no pseudo-terminal can be made (a chroot without /dev/pts).
if ! command -v script > /dev/null || ! script -qec true /dev/null > /dev/null 2>&1; then
	echo "SKIP: progress on a terminal: script(1) cannot make a pseudo-terminal here"
else
	# Long enough (about 0.7 s of CPU in a release build) for several 200 ms progress intervals.
	jq '.duration_ms = 100000 | .actors[0].run_ms = 100000' "$ex" > "$tmp/long.json"
	nr_checks=$((nr_checks + 1))
	script -qec "$CONFMEM sim $tmp/long.json > /dev/null" "$tmp/tty.log" > /dev/null ||
		fail "sim on a terminal failed"
	nr_checks=$((nr_checks + 1))
	grep -q $'\rsim: [0-9]* of 100000 ms simulated' "$tmp/tty.log" || fail "no progress line on a terminal"
	nr_checks=$((nr_checks + 1))
	script -qec "$CONFMEM sim $tmp/long.json --quiet > /dev/null" "$tmp/quiet.log" > /dev/null ||
		fail "sim --quiet on a terminal failed"
	nr_checks=$((nr_checks + 1))
	grep -q 'ms simulated' "$tmp/quiet.log" && fail "a progress line with --quiet"
fi

# A long run is downsampled: 20 000 ms in samples 50 ms apart (at most 400, and the end).
jq '.duration_ms = 20000 | .actors[0].run_ms = 20000' "$ex" > "$tmp/long.json"
run sim "$tmp/long.json" --html "$tmp/long.html"
expect_status 0
expect_count "$tmp/long.html" 'sampled every 50 ms of simulated time (401 samples)' 1
expect_self_contained "$tmp/long.html"

# Written as --trace is: nothing left behind when the directory does not exist.
run plan --svg "$tmp/missing/x.svg"
expect_status 2
expect_err_contains "--svg: $tmp/missing/x.svg"
finish
