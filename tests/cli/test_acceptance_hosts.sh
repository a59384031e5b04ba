# The issue's acceptance hosts, end to end through the command line.
. "$(dirname "$0")/lib.sh"

# confmem with no arguments: the default preset's report, ending with the module.
run
expect_status 0
expect_last_line "virt/tdx: module initialized"
run report
expect_status 0
expect_last_line "virt/tdx: module initialized"

# canonical/tdx#135: memory list holes exhaust TDMR 0's reserved areas.
run --dmesg "$DATA/dmesg/tdx135.log"
expect_status 1
expect_line "virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted."
expect_line "virt/tdx: module initialization failed (-28)"
nr_checks=$((nr_checks + 1))
printf '%s\n' "$out" | grep -A1 -xF "virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted." |
	tail -n 1 | grep -qxF "virt/tdx: module initialization failed (-28)" || fail "failure lines out of order"
expect_contains "with CMR-based holes (kernels carrying that series) TDMR [0x0, 0x80000000) needs 2 reserved areas: TDX would initialise"
run plan --dmesg "$DATA/dmesg/tdx135.log" --json
expect_status 1
expect_jq .status error
expect_jq .error "initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted."
run plan --dmesg "$DATA/dmesg/tdx135.log" --holes cmr
expect_status 0
expect_last_line "virt/tdx: module initialized"

# canonical/tdx#385: three CMRs, 3 TDMRs, the PAMT that host printed.
run plan --dmesg "$DATA/dmesg/tdx385.log"
expect_status 0
expect_line "virt/tdx: 8396820 KB allocated for PAMT"
run plan --dmesg "$DATA/dmesg/tdx385.log" --json
expect_status 0
expect_jq .nr_tdmrs 3
expect_jq .pamt_kb 8396820
finish
