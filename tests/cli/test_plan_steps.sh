# plan -v: the steps of the TDX initialisation in the kernel's order, each
# with its numbers, up to the one that failed; --json -v carries them as
# steps[]. hotplug -v sums the per-block lines up in one line, -vv prints them.
. "$(dirname "$0")/lib.sh"

# steps_of: the step names of plan -v's text on stdout, one line, in order.
steps_of() {
	printf '%s\n' "$out" | sed -n '/^Steps, as the kernel runs them:$/,/^[^ ]/p' |
		awk '/^  [a-z_]+ / { printf "%s%s", sep, $1; sep = " " } END { print "" }'
}

expect_steps() {
	nr_checks=$((nr_checks + 1))
	[ "$(steps_of)" = "$1" ] || fail "steps: expected \"$1\", found \"$(steps_of)\""
}

all_steps="cmrs memlist tdmrs pamt reserved config key_config tdmr_init"

# Default preset: every step, done, in the kernel's order, with its numbers.
run plan -v
expect_status 0
expect_steps "$all_steps"
expect_line "  cmrs        3 CMRs, 511.74 GiB, in ascending order"
expect_line "  tdmrs       3 TDMRs of 64, 512.00 GiB in 1 GiB units, cover the 4 regions"
expect_line "  pamt        3 blocks (4K, 2M, 1G levels), 2101260 KB (2.00 GiB), on nodes 0-1, the lowest at 0x100000000"
expect_line "  reserved    6 areas in 3 TDMRs, at most 3 of 16 in one, holes from the memory list"
expect_line "  key_config  TDH.SYS.KEY.CONFIG: 2 calls, one per package"
nr_checks=$((nr_checks + 1))
printf '%s\n' "$out" | grep -q "failed" && fail "a step failed on the default preset"
# The steps come after the module's line and before the kernel's lines.
nr_checks=$((nr_checks + 1))
[ "$(printf '%s\n' "$out" | awk '/^Module: / { print "module" } /^Steps, / { print "steps" } /^virt\/tdx: / { print "log" }' |
     uniq | tr '\n' ' ')" = "module steps log " ] || fail "the steps are not between the module's line and the kernel's lines"

# Without -v: no steps in the text or the JSON; -vv shows them as -v does.
run plan
expect_status 0
nr_checks=$((nr_checks + 1))
printf '%s\n' "$out" | grep -q "^Steps" && fail "steps shown without -v"
run plan --json
expect_status 0
expect_jq 'has("steps")' false
run plan -vv
expect_status 0
expect_steps "$all_steps"

# --json -v: the same steps, in order, with their numbers.
run plan --json -v
expect_status 0
expect_jq '[.steps[].step] | join(" ")' "$all_steps"
expect_jq '[.steps[].outcome] | unique | join(" ")' done
expect_jq '.steps[0].nr_cmrs' 3
expect_jq '.steps[1].nr_regions' 4
expect_jq '.steps[1].bytes' 549444386816
expect_jq '.steps[2] | "\(.nr_tdmrs) \(.max_tdmrs) \(.nr_regions_uncovered)"' "3 64 0"
expect_jq '.steps[3] | "\(.nr_blocks) \(.bytes == 2101260 * 1024) \(.nr_nodes)"' "3 true 2"
expect_jq '.steps[4] | "\(.nr_reserved) \(.max_reserved_per_tdmr) \(.most_reserved) \(.nr_tdmrs_reached)"' "6 16 3 3"
expect_jq '.steps[6].nr_calls' 2
expect_jq '.steps[7].nr_calls == .nr_tdmr_init_calls' true
expect_jq '.steps[0].text' "3 CMRs, 511.74 GiB, in ascending order"
run plan --json -v -u
expect_status 0
expect_jq '.steps[1].bytes' "511.71 GiB (549.44 GB)"

# Reserved areas exhausted (canonical/tdx#135): stops at reserved, failed, the later TDMRs never reached.
run plan --dmesg "$DATA/dmesg/tdx135.log" -v
expect_status 1
expect_steps "cmrs memlist tdmrs pamt reserved"
expect_line "  reserved    failed: TDMR 0 [0x0, 0x80000000) needs 17 of 16 reserved areas; 4 TDMRs after it never reached"
run plan --dmesg "$DATA/dmesg/tdx135.log" --json -v
expect_status 1
expect_jq '[.steps[].outcome] | join(" ")' "done done done done failed"
expect_jq '.steps[4] | "\(.most_reserved) \(.nr_tdmrs_reached)"' "17 1"

# The module rejects the TDMRs (mixed: RAM outside the CMRs): stops at config.
run plan --preset mixed -v
expect_status 1
expect_steps "cmrs memlist tdmrs pamt reserved config"
expect_contains "  config      failed: TDH.SYS.CONFIG rejected the 4 TDMRs: 0xc0000a0200000003: TDX_TDMR_OUTSIDE_CMRS"

# Holes from the CMRs: that kernel refuses the non-convertible RAM before any TDMR.
run plan --preset mixed --holes cmr -v
expect_status 1
expect_steps "cmrs memlist convertible"
expect_line "  convertible failed: memory region [0x1900000000, 0x2000000000) is not TDX convertible memory."

# tdx.mixed=exclude: the convertible step drops the piece outside, then every step runs.
run plan --preset mixed --set tdx.mixed=exclude --json -v
expect_status 0
expect_jq '[.steps[].step] | join(" ")' "cmrs memlist convertible tdmrs pamt reserved config key_config tdmr_init"
expect_jq '.steps[2] | "\(.nr_regions) \(.nr_excluded) \(.excluded_bytes)"' "3 1 30064771072"

# TDMRs exhausted: the memory no TDMR reached.
run report --dump-platform
expect_status 0
printf '%s\n' "$out" | jq '.tdx.max_tdmrs = 2' > "$tmp/two-tdmrs.json"
run plan --platform "$tmp/two-tdmrs.json" -v
expect_status 1
expect_steps "cmrs memlist tdmrs"
expect_line "  tdmrs       failed: all 2 TDMRs used; 1 region (256.00 GiB) from 0x4100000000 never reached a TDMR"
run plan --platform "$tmp/two-tdmrs.json" --json -v
expect_status 1
expect_jq '.steps[2] | "\(.outcome) \(.nr_tdmrs) \(.nr_regions_uncovered) \(.uncovered_bytes)"' "failed 2 1 274877906944"

# No room for a PAMT block: stops at pamt, with the blocks allocated before.
run plan --platform "$DATA/json/pamt_no_stride_fits.json" -v
expect_status 1
expect_steps "cmrs memlist tdmrs pamt"
expect_contains "  pamt        failed: 1 of 2 blocks allocated"

# Without TDX nothing runs: no step.
printf '%s\n' "$(cat "$tmp/two-tdmrs.json")" | jq '.tdx.enabled = false' > "$tmp/notdx.json"
run plan --platform "$tmp/notdx.json" --json -v
expect_status 0
expect_jq '.steps | length' 0

# Every plan object carries them at -v: report's tdx.
run report --json -v
expect_status 0
expect_jq '[.tdx.steps[].step] | join(" ")' "$all_steps"

# hotplug notifier: 512 per-block lines at -vv, one line for them at -v, none without.
summary="512 memory blocks (128 MiB each): 512 refused onlining with -EPERM, the first [mem 0x10000000000-0x10007ffffff]: not TDX memory (the TDX memory notifier)"
run hotplug 1T 64G --mode notifier
expect_status 1
nr_checks=$((nr_checks + 1))
printf '%s\n' "$out" | grep -q -e "online_pages" -e "memory blocks (128 MiB each)" && fail "block lines without -v"
run hotplug 1T 64G --mode notifier -v
expect_status 1
expect_line "$summary"
nr_checks=$((nr_checks + 1))
printf '%s\n' "$out" | grep -q "online_pages" && fail "per-block lines at -v"
nr_checks=$((nr_checks + 1))
[ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] || fail "expected the summary and the verdict at -v"
run hotplug 1T 64G --mode notifier -vv
expect_status 1
expect_line "online_pages [mem 0x10000000000-0x10007ffffff] failed"
expect_line "online_pages [mem 0x10ff8000000-0x10fffffffff] failed"
expect_line "$summary"
nr_checks=$((nr_checks + 1))
[ "$(printf '%s\n' "$out" | grep -c "^online_pages ")" -eq 512 ] || fail "expected 512 per-block lines at -vv"
# The JSON lists every block's line whatever the -v.
run hotplug 1T 64G --mode notifier --json
expect_status 1
expect_jq '.log | length' 512
# Accepted blocks: one line at -v too.
run hotplug 1T 64G --set tdx.mixed=exclude -v
expect_status 0
expect_line "512 memory blocks onlined (128 MiB each): all accepted"
run hotplug 1T 64G --set tdx.mixed=exclude
expect_status 0
nr_checks=$((nr_checks + 1))
printf '%s\n' "$out" | grep -q "all accepted" && fail "the blocks' line without -v"
# A range refused whole onlines nothing: no blocks' line.
run hotplug 1T 64G -v
expect_status 1
nr_checks=$((nr_checks + 1))
printf '%s\n' "$out" | grep -q "memory blocks (" && fail "a blocks' line for a range refused whole"
finish
