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
finish
