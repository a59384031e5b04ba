# A scenario's "expect": errors name the JSON path $.expect[N] and the
# field; an unknown counter lists every valid name, and that list is the
# table of docs/scenarios.md.
. "$(dirname "$0")/lib.sh"

# write_scenario FILE EXPECT...: a small run with the given expectations.
write_scenario() {
	local file=$1 list
	shift
	printf -v list '%s,' "$@"
	cat > "$file" <<JSON
{"platform": "default", "duration_ms": 10,
 "cgroups": [{"path": "/a"}],
 "actors": [{"name": "p", "cgroup": "/a", "anon": "1M", "access": {"rate": 10}}],
 "expect": [${list%,}]}
JSON
}

ok='{"actor": "p", "outcome": "running"}'

# An unknown counter at $.expect[1]: exit 2, the path and field, the name, and the valid names.
write_scenario "$tmp/unknown.json" "$ok" '{"counter": "pgdemote_kswpad", "op": ">", "value": 0}'
run sim "$tmp/unknown.json" --json
expect_status 2
[ -z "$out" ] || fail "stdout not empty on bad input"
expect_err_contains "unknown.json: \$.expect[1].counter: unknown counter \"pgdemote_kswpad\" (valid names"
for name in pgdemote_kswapd swap_used_pages actors_killed td_pages_added sgx_ewb nodeN.free_pages nodeN.VMSTAT \
	cgroup:PATH.memory.current cgroup:PATH.memory.stat.pgscan cgroup:PATH.misc.sgx_epc.peak \
	cgroup:PATH.misc.tdx.current; do
	expect_err_contains " $name,"
done
nr_errors=$(printf '%s\n' "$err" | grep -c .)
((nr_errors == 1)) || fail "expected one line on stderr, found $nr_errors"

# Names of the list whose node or cgroup the run does not have: the reason, no list.
write_scenario "$tmp/node.json" '{"counter": "node9.free_pages", "op": "==", "value": 0}'
run sim "$tmp/node.json"
expect_status 2
expect_err_contains "node.json: \$.expect[0].counter: counter \"node9.free_pages\": no such node in this run (nodes 0-"
write_scenario "$tmp/cgroup.json" "$ok" "$ok" '{"counter": "cgroup:/b.memory.current", "op": "==", "value": 0}'
run sim "$tmp/cgroup.json"
expect_status 2
expect_err_contains "cgroup.json: \$.expect[2].counter: counter \"cgroup:/b.memory.current\": no such cgroup"
# The same names on what the run has are fine.
write_scenario "$tmp/known.json" '{"counter": "node0.free_pages", "op": ">", "value": 0}' \
	'{"counter": "cgroup:/a.memory.peak", "op": "==", "value": "400K"}' '{"counter": "cgroup:/.memory.current", "op": ">=", "value": 0}'
run sim "$tmp/known.json" --json
expect_status 0
expect_jq '.expect | length' 3

# An EPC counter on a platform without EPC (tests/data/scenarios/platform-small.json has none).
write_scenario "$tmp/sgx.json" '{"counter": "sgx_ewb", "op": "==", "value": 0}'
sed -i "s|\"platform\": \"default\"|\"platform\": \"$DATA/scenarios/platform-small.json\"|" "$tmp/sgx.json"
run sim "$tmp/sgx.json"
expect_status 2
expect_err_contains "sgx.json: \$.expect[0].counter: counter \"sgx_ewb\": the platform has no EPC"

# Wrong types and values name the member of $.expect[N].
write_scenario "$tmp/type.json" "$ok" '{"counter": 5, "op": ">", "value": 0}'
run sim "$tmp/type.json"
expect_status 2
expect_err_contains "type.json: \$.expect[1].counter: expected a string"
write_scenario "$tmp/op.json" "$ok" "$ok" '{"counter": "pgalloc", "op": 1, "value": 0}'
run sim "$tmp/op.json"
expect_status 2
expect_err_contains "op.json: \$.expect[2].op: expected"
write_scenario "$tmp/value.json" '{"counter": "pgalloc", "op": ">", "value": "lots"}'
run sim "$tmp/value.json"
expect_status 2
expect_err_contains "value.json: \$.expect[0].value: expected"
write_scenario "$tmp/charset.json" "$ok" '{"counter": "pg alloc", "op": ">", "value": 0}'
run sim "$tmp/charset.json"
expect_status 2
expect_err_contains "charset.json: \$.expect[1].counter: expected a counter name of 1..127 characters"
write_scenario "$tmp/both.json" "$ok" '{"counter": "pgalloc", "actor": "p"}'
run sim "$tmp/both.json"
expect_status 2
expect_err_contains "both.json: \$.expect[1]: expected exactly one of"
write_scenario "$tmp/field.json" '{"counter": "pgalloc", "op": ">", "value": 0, "vaule": 1}'
run sim "$tmp/field.json"
expect_status 2
expect_err_contains "field.json: \$.expect[0]: unknown field \"vaule\""

# docs/scenarios.md's table of counter names is the engine's list, in its order.
run sim "$tmp/unknown.json"
expect_status 2
printf '%s\n' "$err" | sed -n 's/.*(valid names, docs\/scenarios.md: \(.*\))$/\1/p' | sed 's/, /\n/g' > "$tmp/engine.txt"
awk '/^<!-- counters -->$/ { table = 1; next }
	table && /^$/ { exit }
	table && /^\| `/ { split($0, col, "|"); name = col[2]; gsub(/[ `]/, "", name); print name }' \
	"$SRC/docs/scenarios.md" > "$tmp/docs.txt"
nr_checks=$((nr_checks + 1))
nr_names=$(wc -l < "$tmp/engine.txt")
((nr_names > 100)) || fail "the engine's list has $nr_names names"
nr_checks=$((nr_checks + 1))
diff -u "$tmp/docs.txt" "$tmp/engine.txt" > "$tmp/names.diff" ||
	fail "docs/scenarios.md's counter table (-) and the engine's names (+) differ: $(cat "$tmp/names.diff")"

finish
