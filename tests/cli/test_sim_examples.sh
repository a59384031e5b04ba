# Every example scenario runs with its expectations, invariants checked
# after every simulated millisecond; the JSON contract; determinism.
. "$(dirname "$0")/lib.sh"

for f in "$SRC"/examples/*.json; do
	jq -e 'has("duration_ms")' "$f" >/dev/null 2>&1 || continue	# platforms, not scenarios
	run sim "$f" --check --trace "$tmp/trace.log"
	expect_status 0
	nr_checks=$((nr_checks + 1))
	printf '%s\n' "$out" | grep -q "FAIL" && fail "$(basename "$f"): an expectation failed"
done

# The hot-add with TDX in check mode logs exactly one message; the trace shows it.
run sim "$SRC/examples/cxl-hotadd-tdx-check.json" --trace "$tmp/check.log"
expect_status 0
nr_checks=$((nr_checks + 1))
[ "$(grep -c 'virt/tdx: Reject hot-adding memory range: 0x1000000000-0x1080000000 for TDX compatibility.' "$tmp/check.log")" -eq 1 ] ||
	fail "expected one reject message in the trace"
# Without TDX the same add changes node 0's demotion targets.
run sim "$SRC/examples/cxl-hotadd.json" --trace "$tmp/hotadd.log"
expect_status 0
nr_checks=$((nr_checks + 1))
grep -q 'Demotion targets for Node 0: preferred: 1, fallback: 1' "$tmp/hotadd.log" || fail "no new demotion targets in the trace"

# sim --json: the contract, and the same seed gives the same bytes.
ex="$SRC/examples/tiering-dram-cxl-demote.json"
nr_checks=$((nr_checks + 1))
"$CONFMEM" sim "$ex" --json > "$tmp/a.json" || fail "sim --json failed"
nr_checks=$((nr_checks + 1))
"$CONFMEM" sim "$ex" --json > "$tmp/b.json" || fail "sim --json failed"
nr_checks=$((nr_checks + 1))
cmp -s "$tmp/a.json" "$tmp/b.json" || fail "two runs with the same seed differ"
out=$(cat "$tmp/a.json")
expect_jq '[has("counters"), has("nodes"), has("cgroups"), has("actors"), has("events")] | all' true
expect_jq '.actors[0] | [.name, .kind, .outcome] | join(",")' "db,process,exited"
expect_jq '.counters | [has("pgdemote_kswapd"), has("pgdemote_direct"), has("pgsteal_kswapd"), has("pgsteal_direct"), has("pgscan_kswapd"), has("pswpout"), has("pgmigrate_success"), has("pgmigrate_fail")] | all' true
expect_jq '.nodes[0] | [has("counters"), has("free_pages"), has("used_pages"), has("watermarks")] | all' true
expect_jq '.nodes[0].demotion_targets | map(tostring) | join(",")' 1
expect_jq '.cgroups[0].path' /
nr_checks=$((nr_checks + 1))
"$CONFMEM" sim "$ex" --json --seed 99 > "$tmp/c.json" || fail "sim --json --seed 99 failed"
nr_checks=$((nr_checks + 1))
[ "$(jq .seed "$tmp/c.json")" = 99 ] || fail "--seed not applied"

# Promotion only with tiering.promotion: the same run without it promotes nothing.
jq '.config["tiering.promotion"] = false | .expect = []' "$SRC/examples/tiering-promotion.json" > "$tmp/nopromo.json"
run sim "$tmp/nopromo.json" --json
expect_status 0
expect_jq '.counters.pgpromote_success' 0
expect_jq '.counters.numa_hint_faults' 0

# NUMA balancing scans only default-policy tasks: a bound task is never promoted.
jq '.actors[1].policy = {"mode": "bind", "nodes": "0-1"} | .expect = []' "$SRC/examples/tiering-promotion.json" > "$tmp/bindpromo.json"
run sim "$tmp/bindpromo.json" --json
expect_status 0
expect_jq '.counters.pgpromote_success' 0

# A range already online cannot be hot-added again (-EEXIST), and boot-only knobs cannot change at run time.
jq '.events += [{"at_ms": 120, "kind": "hotadd", "start": "64G", "size": "1G"}] | .expect = []' \
	"$SRC/examples/cxl-hotadd.json" > "$tmp/dup.json"
run sim "$tmp/dup.json" --json
expect_status 0
expect_jq '.hotplug.online_blocks' 16
expect_jq '[.events[] | select(.result | test("cannot be added \\(-EEXIST\\)"))] | length' 1
jq '.events = [{"at_ms": 5, "kind": "set", "key": "swap_bytes", "value": "1G"}]' \
	"$SRC/examples/tiering-dram-cxl-oom.json" > "$tmp/setswap.json"
run sim "$tmp/setswap.json"
expect_status 2
expect_err_contains "swap_bytes is fixed at boot"

# A failed expectation is exit 1; an unknown counter is bad input (exit 2).
jq '.expect = [{"counter": "pgdemote_kswapd", "op": "==", "value": 0}]' "$ex" > "$tmp/fails.json"
run sim "$tmp/fails.json"
expect_status 1
expect_contains "FAIL: pgdemote_kswapd == 0"
jq '.expect = [{"counter": "pgdemote_sideways", "op": "==", "value": 0}]' "$ex" > "$tmp/unknown.json"
run sim "$tmp/unknown.json"
expect_status 2
expect_err_contains 'unknown counter "pgdemote_sideways"'
run sim
expect_status 2
finish
