# confmem exec's memory policies, as numactl sets them: bind (--capable-only,
# --node), --interleave LIST|capable, --preferred NODE, one at a time; --show
# prints the policy and its nodes. examples/single.json has one node, node 0,
# and it is capable, so the policies apply on a machine with node 0 only.
. "$(dirname "$0")/lib.sh"

single="$SRC/examples/single.json"

# expect_numa_maps_policy WORD: every mapping of the command on stdout shows the policy WORD.
expect_numa_maps_policy() {
	nr_checks=$((nr_checks + 1))
	local nr_mappings nr_with_word
	nr_mappings=$(printf '%s\n' "$out" | grep -c ' kernelpagesize_kB=' || true)
	nr_with_word=$(printf '%s\n' "$out" | grep ' kernelpagesize_kB=' | grep -cF " $1 " || true)
	((nr_mappings > 0 && nr_with_word == nr_mappings)) ||
		fail "$nr_with_word of $nr_mappings mappings in numa_maps show $1"
}

# --show alone: the policy and its nodes on stdout, nothing run, nothing on stderr.
run exec --show --interleave capable --platform "$single"
expect_status 0
expect_no_err
expect_line "policy: interleave"
expect_line "nodes: 0"
expect_line "platform selection: 0"
expect_contains "machine nodes: "
run exec --show --preferred 0 --platform "$single"
expect_status 0
expect_line "policy: preferred"
expect_line "nodes: 0"
run exec --show --capable-only --platform "$single"
expect_status 0
expect_line "policy: bind"
expect_line "nodes: 0"
# The default platform's capable nodes are 0-1: the selection is theirs, the nodes those of them here.
run exec --show --interleave capable
expect_status 0
expect_line "platform selection: $("$CONFMEM" nodes --nodemask capable)"
show_nodes=$(printf '%s\n' "$out" | sed -n 's/^nodes: //p')

# --show with a command: the policy first, then the command runs under it.
run exec --show --preferred 0 --platform "$single" -- echo ran
expect_status 0
nr_checks=$((nr_checks + 1))
[ "$(printf '%s\n' "$out" | head -n 1)" = "policy: preferred" ] || fail "--show does not print before COMMAND runs"
expect_last_line "ran"

if [ -r /proc/self/numa_maps ]; then
	# The policy words of /proc/PID/numa_maps: interleave:N, prefer:N, bind:N.
	run exec --interleave capable --platform "$single" -- cat /proc/self/numa_maps
	expect_status 0
	expect_numa_maps_policy "interleave:0"
	run exec --interleave 0 -- cat /proc/self/numa_maps
	expect_status 0
	expect_numa_maps_policy "interleave:0"
	run exec --interleave capable -- cat /proc/self/numa_maps
	expect_status 0
	expect_numa_maps_policy "interleave:$show_nodes"
	run exec --preferred 0 --platform "$single" -- cat /proc/self/numa_maps
	expect_status 0
	expect_numa_maps_policy "prefer:0"
	run exec --node 0 --platform "$single" -- cat /proc/self/numa_maps
	expect_status 0
	expect_numa_maps_policy "bind:0"
else
	echo "skip: this kernel has no /proc/self/numa_maps"
fi
run exec -v --interleave capable --platform "$single" -- true
expect_status 0
expect_err_line "confmem: exec: memory interleaved over node 0"
run exec -v --preferred 0 --platform "$single" -- true
expect_status 0
expect_err_line "confmem: exec: memory preferred on node 0"

# One policy: bind, interleave and preferred exclude each other, as numactl's do (exit 2, both named).
run exec --capable-only --interleave capable -- true
expect_status 2
expect_err_contains "--capable-only and --interleave are mutually exclusive"
run exec --node 0 --interleave 0 -- true
expect_status 2
expect_err_contains "--node and --interleave are mutually exclusive"
run exec --node 0 --preferred 0 -- true
expect_status 2
expect_err_contains "--node and --preferred are mutually exclusive"
run exec --capable-only --preferred 0 --show
expect_status 2
expect_err_contains "--capable-only and --preferred are mutually exclusive"
run exec --interleave 0 --preferred 0 -- true
expect_status 2
expect_err_contains "--interleave and --preferred are mutually exclusive"
run exec --show
expect_status 2
expect_err_contains "exec: expected a memory policy"
expect_err_contains "found none"
run exec --interleave 0
expect_status 2
expect_err_contains "expected -- COMMAND [ARGS...] or --show"

# Values: a node list or capable; one node id.
run exec --interleave cpu -- true
expect_status 2
expect_err_line 'confmem: --interleave: expected capable or node ids 0..63 in list syntax (e.g. 0-1,4), found "cpu"'
run exec --preferred 0-1 -- true
expect_status 2
expect_err_line 'confmem: --preferred: expected one node id 0..63, found "0-1"'
run exec --preferred 64 -- true
expect_status 2
expect_err_contains 'found "64"'
run exec --preferred "" -- true
expect_status 2
expect_err_contains 'found ""'

# The nodes are chosen as for bind: in the platform, then on this machine (exit 1, with --show too).
run exec --preferred 2 --platform "$single" -- true
expect_status 1
expect_err_contains "the nodes given are not in the platform"
run exec --show --interleave 2-3
expect_status 1
expect_err_contains "nodes 2-3 of the platform do not exist on this machine"
nr_checks=$((nr_checks + 1))
[ -z "$out" ] || fail "a refused --show prints a policy"
run report --dump-platform
expect_status 0
printf '%s\n' "$out" | jq '.tdx.enabled = false' > "$tmp/notdx.json"
run exec --interleave capable --platform "$tmp/notdx.json" -- true
expect_status 1
expect_err_contains "no encryption-capable node"
finish
