# sim --set KEY=VALUE overrides a knob of the scenario's "config" for one
# run, after the file is read; a bad knob is bad input before anything runs.
. "$(dirname "$0")/lib.sh"

scenario="$SRC/examples/tiering-dram-cxl-demote.json"
run sim "$scenario" --json
expect_status 0
expect_jq '.counters.pgdemote_kswapd > 0' true

# demotion_enabled=0 over the file's true: nothing is demoted, the expectations fail (exit 1).
run sim "$scenario" --set demotion_enabled=0 --json
expect_status 1
expect_jq .status failed
expect_jq .counters.pgdemote_kswapd 0
expect_jq '[.expect[] | select(.expect == "pgdemote_kswapd > 0")][0].passed' false

# Given twice, the last one wins, as in the file's order of knobs.
run sim "$scenario" --set demotion_enabled=0 --set demotion_enabled=1 --json
expect_status 0
expect_jq '.counters.pgdemote_kswapd > 0' true

# A swap device where the file has none: the same run now swaps instead of being killed.
run sim "$scenario" --set demotion_enabled=0 --set swap_bytes=8G --json
expect_jq '.swap.total_bytes' 8589934592
expect_status 1

run sim "$scenario" --set no.such.knob=1
expect_status 2
expect_err_contains "no.such.knob: unknown configuration knob"
run sim "$scenario" --set demotion_enabled=maybe
expect_status 2
expect_err_contains "demotion_enabled"
run sim "$scenario" --set demotion_enabled
expect_status 2

# The summary counts the expectations, and --check says the invariants held.
run sim "$scenario" --set demotion_enabled=0
expect_status 1
expect_line "expect: 1 of 4 passed"
run sim "$scenario" --check
expect_status 0
expect_line "expect: 4 of 4 passed"
expect_line "invariants (--check): checked after each of the 400 simulated ms and after each event; all held"

# A platform file given as the scenario says so.
run sim "$SRC/examples/default.json"
expect_status 2
expect_err_contains "examples/default.json is a platform file, not a scenario"
finish
