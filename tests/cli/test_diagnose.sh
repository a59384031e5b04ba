# confmem diagnose --dmesg FILE: each known failure from its hand-written
# log, the real hosts' logs, the plan comparison, partial logs and bad input.
# Exit 0 initialised (or nothing failed), 1 an error finding, 2 bad input.
. "$(dirname "$0")/lib.sh"

LOGS="$DATA/dmesg/diagnose"

# Every failure id from its own log, and nothing else.
for id in tdx-disabled-by-bios module-not-loaded module-too-old sys-init-failed no-rbp-mod tdmrs-exhausted \
	reserved-areas-exhausted pamt-no-memory memory-outside-cmrs config-rejected; do
	run diagnose --dmesg "$LOGS/$id.log" --json
	expect_status 1
	expect_jq '[.findings[].id] | join(",")' "$id"
	expect_jq '.findings[0].severity' error
	expect_jq '.findings[0].evidence | length > 0' true
	expect_jq '.findings[0].fix | length > 0' true
	expect_no_err
done
run diagnose --dmesg "$LOGS/initialized.log" --json
expect_status 0
expect_jq '[.findings[].id] | join(",")' initialized
expect_jq '.findings[0].severity' info
expect_jq .initialized true
expect_jq .plan.pamt_kb 8396820
# A mismatch is always beside the verdict it compares with.
run diagnose --dmesg "$LOGS/plan-mismatch.log" --json
expect_status 0
expect_jq '[.findings[].id] | join(",")' initialized,plan-mismatch
expect_jq '.findings[1].severity' warning

# The kernel's words decoded: leaf names, status names and classes, the field in RDX.
run diagnose --dmesg "$LOGS/module-too-old.log"
expect_status 1
expect_contains "TDH.SYS.RD (leaf 0x22) failed with 0xc0000c0000000000 (TDX_METADATA_FIELD_ID_INCORRECT, class: metadata access) reading the metadata field 0x0a00000300000008 (TDX_FEATURES0)"
expect_line "    line 6: [   28.510000] virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc0000c0000000000"
run diagnose --dmesg "$LOGS/sys-init-failed.log" --json
expect_status 1
expect_jq '.findings[0].explanation | contains("TDH.SYS.INIT (leaf 0x21)")' true
expect_jq '.findings[0].explanation | contains("TDX_INCOMPATIBLE_SEAM_CAPABILITIES")' true
run diagnose --dmesg "$LOGS/memory-outside-cmrs.log" --json
expect_status 1
expect_jq '.findings[0].explanation | contains("TDX_TDMR_OUTSIDE_CMRS")' true
run diagnose --dmesg "$LOGS/no-rbp-mod.log" --json
expect_status 1
expect_jq .kernel_profile mainline-7.1
expect_jq .module.version 1.5.01

# canonical/tdx#135: reserved areas exhausted, with the CMR-holes fix the plan finds.
run diagnose --dmesg "$DATA/dmesg/tdx135.log" --json
expect_status 1
expect_jq '[.findings[].id] | join(",")' reserved-areas-exhausted
expect_jq .kernel_profile cmr-print
expect_jq '.findings[0].fix | contains("with CMR-based holes (kernels carrying that series) TDMR [0x0, 0x80000000) needs 2 reserved areas: TDX would initialise")' true
expect_jq .module.version 1.5
expect_jq .plan.status error
run diagnose --dmesg "$DATA/dmesg/tdx135.log"
expect_status 1
expect_line "error: reserved-areas-exhausted"
expect_line "    line 125: [   32.108010] virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted."

# canonical/tdx#385: the log stops before the verdict; the plan predicts it, and says so.
run diagnose --dmesg "$DATA/dmesg/tdx385.log" --json
expect_status 0
expect_jq '[.findings[].id] | join(",")' initialized
expect_jq '[.findings[] | select(.id == "plan-mismatch")] | length' 0
expect_jq '.findings[0].explanation | contains("Predicted")' true
expect_jq '.missing | map(select(startswith("no verdict line"))) | length' 1

# One KB more PAMT than the plan: a mismatch naming both numbers.
sed 's/ 8396820 KB allocated for PAMT/ 8396819 KB allocated for PAMT/' "$LOGS/initialized.log" > "$tmp/edited.log"
run diagnose --dmesg "$tmp/edited.log" --json
expect_status 0
expect_jq '[.findings[].id] | join(",")' initialized,plan-mismatch
expect_jq '.findings[1].explanation | contains("the kernel printed 8396819 KB allocated for PAMT, the plan has 8396820 KB")' true
expect_jq '.findings[1].evidence[0].line' 32
# The kernel's verdict against the plan's.
sed 's/virt\/tdx: module initialized/virt\/tdx: initialization failed: TDMRs exhausted.\n&/; s/virt\/tdx: module initialized/virt\/tdx: module initialization failed (-28)/' \
	"$LOGS/initialized.log" | grep -v "KB allocated" > "$tmp/verdict.log"
run diagnose --dmesg "$tmp/verdict.log" --json
expect_status 1
expect_jq '[.findings[].id] | join(",")' tdmrs-exhausted,plan-mismatch
expect_jq '.findings[1].explanation | contains("the kernel'"'"'s log shows tdmrs-exhausted, the plan ends with \"module initialized\"")' true

# A TDMR-limit warning the plan does not print, and another failing TDMR.
sed 's/^\(.*\)virt\/tdx: module initialized/\1virt\/tdx: consumed TDMRs reaching limit: 61 used out of 64\n&/' \
	"$LOGS/initialized.log" > "$tmp/warning.log"
run diagnose --dmesg "$tmp/warning.log" --json
expect_status 0
expect_jq '[.findings[].id] | join(",")' initialized,plan-mismatch
expect_jq '.findings[1].explanation | contains("TDMR warning: the kernel printed \"consumed TDMRs reaching limit: 61 used out of 64\", the plan has none.")' true
sed 's/TDMR \[0x0, 0x80000000): reserved areas exhausted/TDMR [0x80000000, 0x100000000): reserved areas exhausted/' \
	"$DATA/dmesg/tdx135.log" > "$tmp/other-tdmr.log"
run diagnose --dmesg "$tmp/other-tdmr.log" --json
expect_status 1
expect_jq '[.findings[].id] | join(",")' reserved-areas-exhausted,plan-mismatch
expect_jq '.findings[1].explanation | contains("Failing TDMR: the kernel printed the line above, the plan \"initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted.\"")' true

# Partial logs: diagnosed from what is there, saying what is missing.
run diagnose --dmesg "$DATA/dmesg/laptop.log" --json
expect_status 0
expect_jq '.findings | length' 0
expect_jq '.missing | map(select(startswith("no virt/tdx lines"))) | length' 1
run diagnose --dmesg "$DATA/dmesg/laptop.log"
expect_status 0
expect_line "what the log lacks:"
run diagnose --dmesg "$LOGS/guest.log" --json
expect_status 0
expect_jq '.findings | length' 0
expect_jq '.missing[0] | contains("TD guest")' true
run diagnose --dmesg "$LOGS/reserved-areas-exhausted.log" --json
expect_status 1
expect_jq '.plan == null' true
expect_jq '.missing | map(select(startswith("no BIOS-e820"))) | length' 1
run diagnose --dmesg "$DATA/dmesg/journal.log" --json -u
expect_status 0
expect_jq .findings[0].id initialized
expect_jq .module.version 2.0.08

# Bad input: exit 2 with the file (and line).
printf 'virt/tdx: module initialized\nabc\0def\n' > "$tmp/binary.log"
run diagnose --dmesg "$tmp/binary.log"
expect_status 2
expect_err_contains "$tmp/binary.log:2: a NUL byte"
{ echo "virt/tdx: module initialized"; head -c 9000 /dev/zero | tr '\0' x; echo; } > "$tmp/long.log"
run diagnose --dmesg "$tmp/long.log"
expect_status 2
expect_err_contains "$tmp/long.log:2: a line longer than 8192 bytes"
mkdir "$tmp/empty"
run diagnose --dmesg "$tmp/empty"	# a directory is a fleet (docs/fleets.md); an empty one is bad input
expect_status 2
expect_err_contains "--dmesg: no boot logs in $tmp/empty"
mkfifo "$tmp/fifo"
run_prefixed "timeout 5" diagnose --dmesg "$tmp/fifo"
expect_status 2
expect_err_contains "$tmp/fifo: not a regular file"
run diagnose --dmesg "$DATA/dmesg/bad_e820.log"
expect_status 2
expect_err_contains "bad_e820.log:7:"
run diagnose
expect_status 2
expect_err_contains "give --dmesg FILE"
run diagnose --dmesg "$tmp/absent.log"
expect_status 2
expect_err_contains "$tmp/absent.log"

# Two detectors of the kernel profile: the platform reader's (logs with an
# e820 map) and diagnose's own for logs without one. Without its e820 lines,
# every log must get the profile the full log gets.
for log in "$DATA"/dmesg/*.log "$DATA"/dmesg/profiles/*.log "$DATA"/dmesg/diagnose/*.log; do
	grep -q 'BIOS-e820:' "$log" || continue
	grep -q 'virt/tdx:' "$log" || continue
	run plan --dmesg "$log" --json
	[ "$status" -eq 2 ] && { expect_status 2; continue; }
	expect_status "$status"
	want=$(printf '%s' "$out" | jq -r .kernel)
	grep -v 'BIOS-e820:' "$log" > "$tmp/no-e820.log"
	run diagnose --dmesg "$tmp/no-e820.log" --json
	expect_status "$status"
	expect_jq .kernel_profile "$want"
done
finish
