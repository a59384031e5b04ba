# TD guests on TDX memory (SPEC 9, issue 11): every example runs with its
# expectations and the invariants checked after every millisecond; the
# outcomes, messages and per-guest figures read from sim --json.
. "$(dirname "$0")/lib.sh"

td_sim() {
	run sim "$SRC/examples/$1.json" --json --check
	expect_status 0
	expect_jq '.expect | map(.passed) | all' true
}

# A mixed host: the CXL nodes are onlined as non-TDX memory. bind 0-3 dies at the
# first AUG on a CXL node, with the node and the fix named.
run nodes --preset default --nodemask capable
expect_status 0
capable=$out
[ "$capable" = "0-1" ] || { nr_checks=$((nr_checks + 1)); fail "capable nodemask: expected 0-1, got $capable"; }
td_sim td-mixed-kill
expect_jq '.actors[0].outcome' killed
expect_jq '.actors[0].reason' "td1: TDH.MEM.PAGE.AUG refused 0x10000000000: node 2 is not TDX memory (crypto_capable=0); bind the guest to nodes $capable"
expect_jq '[.actors[0].td.private_bytes_per_node[].node] | map(tostring) | join(",")' 0
# The same guest bound to what `nodes --nodemask capable` prints runs to the end.
[ "$(jq -r '.actors[0].gmem_policy.nodes' "$SRC/examples/td-mixed-bind.json")" = "$capable" ] ||
	{ nr_checks=$((nr_checks + 1)); fail "td-mixed-bind.json is not bound to the capable nodemask"; }
td_sim td-mixed-bind
expect_jq '.actors[0].outcome' exited
expect_jq '.actors[0].td.refusals' 0
expect_jq '[.actors[0].td.private_bytes_per_node[].node] | map(tostring) | join(",")' 0,1
# tdx.add_failure=retry: every refused page is placed again on a capable node.
td_sim td-mixed-retry
expect_jq '.actors[0].outcome' exited
expect_jq '.actors[0].td.retries > 0 and .actors[0].td.retries == .actors[0].td.refusals' true
expect_jq '[.actors[0].td.private_bytes_per_node[].node] | map(tostring) | join(",")' 0,1

# Under pressure with demotion on, the process's pages are demoted and the TD's
# private pages all stay where they were put (--check proves none moved or swapped).
td_sim td-no-demote
expect_jq '.counters.pgdemote_kswapd + .counters.pgdemote_direct > 0' true
expect_jq '.actors[0].td.private_bytes_per_node | map("\(.node)=\(.bytes)") | join(",")' 0=402653184
expect_jq '.actors[0].swapped_bytes' 0

# Registration refuses a devdax region on a CXL node and a hugetlb backing that would be split.
td_sim td-registration
expect_jq '[.actors[] | select(.outcome == "failed") | .td.pages_added] | join(",")' 0,0
expect_jq '.actors[0].reason | test("^dax: KVM_SET_USER_MEMORY_REGION refused: the device-dax region on node 2 is not TDX memory")' true
expect_jq '.actors[1].reason | test("^huge: KVM_SET_USER_MEMORY_REGION refused: hugetlbfs-backed")' true
expect_jq '.actors[2].td | [.splits, .converted_to_shared, .converted_to_private] | join(",")' 1,1,2

# KeyIDs: [16, 21) leaves 4 for guests; the fifth TD cannot start. misc tdx max 2: the third cannot.
td_sim td-keyids
expect_jq '[.actors[].outcome] | join(",")' running,running,running,running,failed
expect_jq '.actors[4].reason' "td5: cannot start: no free private KeyID (all 4 guest KeyIDs in use; KVM_TDX_INIT_VM fails with -ENOSPC)"
expect_jq '[.actors[0:4][].td.keyid] | join(",")' 17,18,19,20
td_sim td-misc-cgroup
expect_jq '.actors[2].reason' "td3: cannot start: misc cgroup /tds is at its tdx limit (misc.max tdx 2, misc.events tdx.max 1; KVM_TDX_INIT_VM fails with -EBUSY)"
# The misc controller's files of the tdx resource, as the cgroup shows them.
expect_jq '.cgroups[] | select(.path == "/tds") | .misc.tdx | "\(.max) \(.current) \(.events.max) \(.events_local.max)"' "2 2 1 1"
expect_jq '.cgroups[] | select(.path == "/") | .misc.tdx.capacity' 47

# Dynamic PAMT grows with the private 2 MiB ranges and returns to init's figure.
run sim "$SRC/examples/td-dpamt.json" --trace "$tmp/dpamt.log"
expect_status 0
nr_checks=$((nr_checks + 1))
grep -q 'td1: private memory all accepted; PAMT now [0-9]* KB (init 84 KB + Dynamic PAMT [1-9][0-9]* KB)' "$tmp/dpamt.log" ||
	fail "no PAMT growth in the trace"
nr_checks=$((nr_checks + 1))
grep -q 'td2: private memory gone; PAMT now 84 KB (init 84 KB + Dynamic PAMT 0 KB)' "$tmp/dpamt.log" ||
	fail "PAMT did not return to init's figure"

# Bad TD input: exit 2 with the JSON path and what was expected.
bad() {
	jq "$1" "$SRC/examples/td-keyids.json" > "$tmp/bad.json"
	run sim "$tmp/bad.json"
	expect_status 2
	expect_err_contains "$2"
}
bad 'del(.actors[0].private)' '$.actors[0]: missing field "private"'
bad '.actors[0].backing = "devdax"' '$.actors[0]: "backing": "devdax" needs "devdax_node"'
bad '.actors[0].devdax_node = 1' '$.actors[0].devdax_node: only for "backing": "devdax"'
bad '.actors[0].conversions = [{"at_ms": 5, "to": "shared", "size": "4K"}, {"at_ms": 2, "to": "private", "size": "4K"}]' \
	'$.actors[0].conversions[1].at_ms: conversions must be in time order'
bad '.actors[0].conversions = [{"at_ms": 5, "to": "elsewhere", "size": "4K"}]' '$.actors[0].conversions[0].to'
bad '.cgroups = [{"path": "/t", "misc.max": {"tdx": -1}}]' '$.cgroups[0].misc.max.tdx'
bad '.platform.tdx.keyids = {"start": 16, "end": 17}' 'keyids'

# The KeyID range round-trips through the platform JSON and is read from a boot log.
run report --dmesg "$DATA/dmesg/journal.log" --dump-platform
expect_status 0
expect_jq '.tdx.keyids | [.start, .end] | join(",")' 32,64
finish
