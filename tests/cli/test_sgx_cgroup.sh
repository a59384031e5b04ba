# The kernel's EPC cgroup selftest, translated (SPEC 8.5): outcomes read
# from sim --json actors[].outcome, misc.current of every non-root cgroup
# 0 at the end, invariants checked after every millisecond.
. "$(dirname "$0")/lib.sh"

outcomes() {
	run sim "$SRC/examples/$1.json" --json --check
	expect_status 0
	expect_jq '[.cgroups[] | select(.path != "/") | .misc.sgx_epc.current] | map(select(. != 0)) | length' 0
}

outcomes sgx-cgroup-small
expect_jq '[.actors[].outcome] | join(",")' failed
outcomes sgx-cgroup-large4
expect_jq '[.actors[] | select(.outcome == "exited")] | length >= 1' true
outcomes sgx-cgroup-large5
expect_jq '[.actors[] | select(.outcome == "failed")] | length >= 1' true
outcomes sgx-cgroup-larger8
expect_jq '[.actors[].outcome] | unique | join(",")' exited
outcomes sgx-cgroup-larger8-kill
expect_jq '[.actors[1:][].outcome] | unique | join(",")' exited
expect_jq '.actors[0].outcome' killed
outcomes sgx-cgroup-memcg
expect_jq '[.actors[].outcome] | unique | join(",")' failed
expect_jq '[.cgroups[] | select(.path == "/sgx") | .memory.events.oom_kill] | .[0] > 0' true
outcomes sgx-vepc
expect_jq '.actors[1].outcome' failed
expect_jq '.cgroups[0].misc.sgx_epc.capacity' 16777216
expect_jq '.sgx.counters.sgx_sigbus' 1
# misc.max written at run time is not preemptive and the limit holds afterwards.
jq '.events = [{"at_ms": 100, "kind": "cgroup_write", "cgroup": "/sgx", "file": "misc.max", "value": "64K"}] | .expect = []' \
	"$SRC/examples/sgx-cgroup-larger8.json" > "$tmp/lower.json"
run sim "$tmp/lower.json" --json --check
expect_status 0
expect_jq '[.cgroups[] | select(.path == "/sgx") | .misc.sgx_epc.max] | .[0]' 65536
finish
