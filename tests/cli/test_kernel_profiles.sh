# Kernel profiles (SPEC 3.9): each log under dmesg/profiles/ was printed by
# one kind of kernel; confmem detects it from the log's own lines and
# prints the same virt/tdx lines that kernel printed, in the same order.
. "$(dirname "$0")/lib.sh"

# The virt/tdx lines the plan models (the log's KeyID and ACPI S3 lines are not planned).
modelled='virt/tdx: (CMR|Module version|Enable Dynamic PAMT|[0-9]+ KB allocated|initialization failed|module initialized|module initialization failed|TDX-Module)'

for profile in mainline-6.8 cmr-print cmr-series mainline-7.1 dpamt; do
	log="$DATA/dmesg/profiles/$profile.log"
	run plan --dmesg "$log"
	case $profile in cmr-print) expect_status 1 ;; *) expect_status 0 ;; esac
	expect_contains "kernel profile: $profile (detected from: line "
	want=$(sed -n 's/^\[[^]]*\] //p' "$log" | grep -E "^$modelled")
	got=$(printf '%s\n' "$out" | grep '^virt/tdx: ')
	nr_checks=$((nr_checks + 1))
	[ "$want" = "$got" ] || fail "$profile: the kernel printed
$want
confmem printed
$got"
	run plan --dmesg "$log" --json
	expect_status "$status"
	expect_jq .kernel "$profile"
done

# #135: the log printed CMRs and still failed on memory-list holes (cmr-print);
# the kernel's two failure lines stand, and every profile is one row.
run plan --dmesg "$DATA/dmesg/tdx135.log"
expect_status 1
expect_contains "kernel profile: cmr-print (detected from: line 125: virt/tdx: initialization failed"
expect_line "virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted."
expect_line "virt/tdx: module initialization failed (-28)"
run plan --dmesg "$DATA/dmesg/tdx135.log" --kernel all --json
expect_status 0
expect_jq '.profiles | map(.kernel) | join(" ")' "mainline-6.8 cmr-print cmr-series mainline-7.1 dpamt"
expect_jq '.profiles[] | select(.kernel == "cmr-series") | "\(.result) \(.pamt_kb)"' "initialized 1050644"
expect_jq '.profiles[] | select(.kernel == "cmr-print") | "\(.result) \(.worst_reserved)"' "reserved_areas_exhausted 17"
run plan --dmesg "$DATA/dmesg/tdx135.log" --kernel all
expect_status 0
expect_line "  cmr-series    initialized                   5         4    1050644"

# A choice on the command line beats the log, and says so.
run plan --dmesg "$DATA/dmesg/tdx135.log" --kernel cmr-series
expect_status 0
expect_line "kernel profile: cmr-series (tdx.kernel)"
expect_last_line "virt/tdx: module initialized"
run plan --dmesg "$DATA/dmesg/tdx135.log" --kernel nonsense
expect_status 2
expect_err_contains "tdx.kernel: expected auto|mainline-6.8|cmr-print|cmr-series|mainline-7.1|dpamt|all, found \"nonsense\""
run plan --preset default --kernel all --tdmr-bin /dev/null
expect_status 2
expect_err_contains "--tdmr-bin needs one kernel profile"

# A mainline log prints no CMR: boot RAM >= 1 MiB is taken as convertible, and
# --cmrs replaces that assumption with the real CMRs.
run report --dmesg "$DATA/dmesg/profiles/mainline-6.8.log"
expect_status 0
expect_contains "assumed: CMRs not in log (this kernel does not print them)"
run plan --dmesg "$DATA/dmesg/profiles/mainline-6.8.log" --cmrs 0x100000-0x80000000 --json
expect_status 1
expect_jq .result config_rejected
expect_jq '.diagnosis | map(select(startswith("memory region")))[0]' "memory region [0x100000000, 0x480000000) of node 0 is not TDX convertible memory: it is boot RAM outside every CMR"
run report --dmesg "$DATA/dmesg/profiles/mainline-6.8.log" --cmrs 0x100000-0x80000000,4G-18G
expect_status 0
nr_checks=$((nr_checks + 1))
printf '%s\n' "$out" | grep -q 'assumed: CMRs' && fail "the assumption is still listed after --cmrs"
# A laptop log has no TDX line: nothing is assumed enabled. Without TDX
# there is nothing to refuse: exit 0, status "disabled", and stderr says so.
run plan --dmesg "$DATA/dmesg/laptop.log" --json
expect_status 0
expect_jq .result disabled
expect_jq .status disabled
expect_jq 'has("error") or has("errno")' false
expect_err_line "confmem: plan: TDX is not enabled on this platform, nothing to plan (status disabled)"
run plan --dmesg "$DATA/dmesg/laptop.log"
expect_status 0
expect_line "TDX: not enabled on this platform: no TDMRs, no PAMT"
expect_err_contains "TDX is not enabled on this platform"
run plan --dmesg "$DATA/dmesg/laptop.log" --kernel all --json
expect_status 0
expect_jq '[.profiles[].status] | unique | join(",")' disabled

# The platform JSON carries the profile and the module's facts; bad values are refused with the path.
printf '%s' '{"nodes":[{"id":0,"memory":[{"start":"1M","size":"1023M"}]}],"tdx":{"cmrs":[{"start":"1M","size":"1023M"}],"kernel":"dpamt","module_version":"2.0.02","pamt_bitmap_entry_bits":2}}' > "$tmp/dpamt.json"
run plan --platform "$tmp/dpamt.json"
expect_status 0
expect_line "kernel profile: dpamt (detected from: the platform's tdx.kernel)"
expect_line "virt/tdx: Module version: 2.0.02"
# 1 GiB TDMR: bitmap 2 bits x 262144 pages = 64 KiB, 2M level 8 KiB, 1G level 4 KiB.
expect_line "virt/tdx: 76 KB allocated for PAMT"
for bad in '"kernel":"linux-2.4"' '"module_version":"v1"' '"pamt_bitmap_entry_bits":0' '"phys_addr_bits":99'; do
	printf '{"nodes":[{"id":0,"memory":[{"start":"1M","size":"1023M"}]}],"tdx":{%s}}' "$bad" > "$tmp/bad.json"
	run plan --platform "$tmp/bad.json"
	expect_status 2
	expect_err_contains "bad.json: \$.tdx"
done

# Reserved areas exhausted at TDMR 0: the later TDMRs were never reached, and say so (not "0 of 16").
run plan --dmesg "$DATA/dmesg/tdx135.log"
expect_status 1
expect_line "    reserved areas: 17 of 16 (too many)"
expect_line "  TDMR 4: [0x3080000000, 0x4080000000) 64.00 GiB"
expect_line "    reserved areas: not reached (initialisation stopped before this TDMR's)"
nr_checks=$((nr_checks + 1))
printf '%s\n' "$out" | grep -q "reserved areas: 0 of" && fail "an unreached TDMR still reads 0 of 16"
finish
