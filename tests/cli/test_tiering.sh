# Demotion targets (SPEC 7) on the example of mm/memory-tiers.c, both models.
. "$(dirname "$0")/lib.sh"

ex="$SRC/examples/memory-tiers-example.json"
for model in tiers distance; do
	run nodes --platform "$ex" --json --set tiering.model=$model
	expect_status 0
	expect_jq '[.[] | .demotion_targets | map(tostring) | join(",")] | join(";")' "2;3;;"
done
run nodes --platform "$ex" --json
expect_status 0
expect_jq '[.[] | .tier] | map(tostring) | join(",")' "4,4,22,22"
expect_jq '[.[] | .adistance] | map(tostring) | join(",")' "576,576,2880,2880"
expect_jq '.[0].fallback_targets | map(tostring) | join(",")' "2,3"
run report --platform "$ex"
expect_status 0
expect_line "  Demotion targets for Node 0: preferred: 2, fallback: 2-3"
expect_line "  Demotion targets for Node 3: null"
expect_line "  Fallback order for Node 2: 2 0 3 1"
run nodes --platform "$ex" --set tiering.model=sideways
expect_status 2

# What a 6.12 kernel printed under QEMU for each topology of tests/qemu
# (recorded by tests/qemu/run.sh --record): confmem must print the same
# fallback, HMAT reference and demotion lines and the same memory tiers.
nr_recorded=0
for kernel in "$SRC"/tests/qemu/expected/*.txt; do
	name=$(basename "$kernel" .txt)
	nr_checks=$((nr_checks + 1))
	nr_recorded=$((nr_recorded + 1))
	if ! diff=$(bash "$SRC/tests/qemu/compare.sh" "$CONFMEM" "$SRC/tests/qemu/topologies/$name.topo" "$kernel" 2>&1); then
		last_command="(tests/qemu/compare.sh $name)"
		out=$diff
		fail "confmem differs from the kernel's recorded lines for $name"
	fi
done
nr_checks=$((nr_checks + 1))
((nr_recorded >= 12)) || fail "only $nr_recorded recorded kernel topologies"
finish
