# confmem module-config --tdmr-info FILE --cmrs LIST: TDMR_INFO arrays run
# through the emulated module. Exit 0 accepted, 1 rejected, 2 bad input;
# JSON "status" is "0x" and 16 hex digits.
. "$(dirname "$0")/lib.sh"

# le64 VALUE: the printf escapes of a little-endian u64.
le64() {
	local hex i out=""
	hex=$(printf '%016x' "$1")
	for ((i = 14; i >= 0; i -= 2)); do out+="\\x${hex:i:2}"; done
	printf '%s' "$out"
}

# entry FILE BASE SIZE PAMT_1G_BASE PAMT_1G_SIZE PAMT_2M_BASE PAMT_2M_SIZE PAMT_4K_BASE PAMT_4K_SIZE [OFFSET SIZE]...
# appends one 1024-byte TDMR_INFO entry (16 reserved slots, the rest zero).
entry() {
	local file=$1 fields="" n=0
	shift
	for v in "$@"; do fields+=$(le64 "$v"); n=$((n + 8)); done
	# shellcheck disable=SC2059
	printf "$fields" >> "$file"
	head -c $((1024 - n)) /dev/zero >> "$file"
}

G=$((1 << 30)) M=$((1 << 20))
# A valid TDMR [1G, 3G): its PAMT block at 1G (4K 8 MiB, 2M 16 KiB, 1G 4 KiB), reserved.
p4k=$G p2m=$((G + 8 * M)) p1g=$((G + 8 * M + 16384)) block=$((8 * M + 16384 + 4096))
tdmr0=($G $((2 * G)) $p1g 4096 $p2m 16384 $p4k $((8 * M)))

entry "$tmp/one.bin" "${tdmr0[@]}" 0 $block
run module-config --tdmr-info "$tmp/one.bin" --cmrs 1G-3G --json
expect_status 0
expect_jq .status 0x0000000000000000
expect_jq .accepted true
expect_jq '.tdmrs[0].reserved | length' 1
run module-config --tdmr-info "$tmp/one.bin" --cmrs 1G-3G
expect_status 0
expect_line "TDH.SYS.CONFIG: 0x0000000000000000 (accepted)"
expect_no_err

# TDMR 1 starts at 1 GiB + 2 MiB, inside TDMR 0 and not aligned: the order is checked first.
cp "$tmp/one.bin" "$tmp/order.bin"
entry "$tmp/order.bin" $((G + 2 * M)) $G 0 4096 0 4096 0 4096
run module-config --tdmr-info "$tmp/order.bin" --cmrs 1G-3G --json
expect_status 1
expect_jq .status 0xc0000a0100000001
expect_jq .detail "TDX_NON_ORDERED_TDMR: TDMR 1 [0x40200000, 0x80200000) starts below the end of the TDMR before it"

# Reserved slots [(0,0), (0,0x1000), ...]: the null slot's index.
entry "$tmp/null.bin" "${tdmr0[@]}" 0 0 0 4096
run module-config --tdmr-info "$tmp/null.bin" --cmrs 1G-3G --json
expect_status 1
expect_jq .status 0xc0000a2100000000
expect_jq '.tdmrs[0].reserved[0].size' 0
run module-config --tdmr-info "$tmp/null.bin" --cmrs 1G-3G
expect_status 1
expect_line "TDH.SYS.CONFIG: 0xc0000a2100000000 (rejected)"
expect_contains "reserved area 0 of TDMR 0 [0x40000000, 0xc0000000) is null (size 0) but area 1 is not"

# The PAMT not reserved: it sits on TDMR 0's own memory.
entry "$tmp/unreserved.bin" "${tdmr0[@]}"
run module-config --tdmr-info "$tmp/unreserved.bin" --cmrs 1G-3G --json
expect_status 1
expect_jq .status 0xc0000a1200000000

# --max-reserved sets the entry size: up to 32 areas fit 1024 bytes, 33 need 1536.
run module-config --tdmr-info "$tmp/one.bin" --cmrs 1G-3G --max-reserved 32 --json
expect_status 0
run module-config --tdmr-info "$tmp/one.bin" --cmrs 1G-3G --max-reserved 33
expect_status 2
expect_err_contains "one.bin: 1024 bytes is not a whole number of 1536-byte TDMR_INFO entries (max_reserved_per_tdmr 33)"

# Round trip: what plan writes, the module accepts with the plan's CMRs.
run plan --preset default --tdmr-bin "$tmp/plan.bin" --json
expect_status 0
cmrs=$(printf '%s\n' "$out" | jq -r '[.cmrs[] | "\(.base)-\(.base + .size)"] | join(",")')
nr=$(printf '%s\n' "$out" | jq -r .nr_tdmrs)
run module-config --tdmr-info "$tmp/plan.bin" --cmrs "$cmrs" --json
expect_status 0
expect_jq .status 0x0000000000000000
expect_jq .nr_tdmrs "$nr"
for preset in single big mixed; do
	run plan --preset $preset --set tdx.mixed=exclude --tdmr-bin "$tmp/$preset.bin" --json
	expect_status 0
	cmrs=$(printf '%s\n' "$out" | jq -r '[.cmrs[] | "\(.base)-\(.base + .size)"] | join(",")')
	run module-config --tdmr-info "$tmp/$preset.bin" --cmrs "$cmrs" --json
	expect_status 0
done

# Bad input: exit 2 with the reason.
head -c 1000 "$tmp/one.bin" > "$tmp/short.bin"
run module-config --tdmr-info "$tmp/short.bin" --cmrs 1G-3G
expect_status 2
expect_err_contains "short.bin: 1000 bytes is not a whole number of 1024-byte TDMR_INFO entries"
: > "$tmp/empty.bin"
run module-config --tdmr-info "$tmp/empty.bin" --cmrs 1G-3G
expect_status 2
expect_err_contains "empty.bin: empty: a TDMR_INFO array holds at least one 1024-byte entry"
head -c $((1025 * 1024)) /dev/zero > "$tmp/big.bin"
run module-config --tdmr-info "$tmp/big.bin" --cmrs 1G-3G
expect_status 2
expect_err_contains "big.bin: file is larger than the limit of 1 MiB"
run module-config --tdmr-info "$tmp/missing.bin" --cmrs 1G-3G
expect_status 2
expect_err_contains "missing.bin: cannot open: No such file or directory"
run module-config --tdmr-info "$tmp/one.bin"
expect_status 2
expect_err_contains "give --tdmr-info FILE and --cmrs LIST"
run module-config --tdmr-info "$tmp/one.bin" --cmrs 2G-3G,1G-2G
expect_status 2
expect_err_contains "--cmrs: Firmware bug: CMRs not in address ascending order."
run module-config --tdmr-info "$tmp/one.bin" --cmrs 1G-3G --max-reserved 0
expect_status 2
expect_err_contains "--max-reserved: expected 1..65536, found 0"
# 65 entries: the module's own limit (max_tdmrs 64), not bad input.
for _ in $(seq 65); do cat "$tmp/one.bin"; done > "$tmp/many.bin"
run module-config --tdmr-info "$tmp/many.bin" --cmrs 1G-3G --json
expect_status 1
expect_jq .status 0xc000010000000002

# A FIFO is refused at once, never read (it would block until a writer came).
mkfifo "$tmp/fifo.bin"
run_prefixed "timeout 5" module-config --tdmr-info "$tmp/fifo.bin" --cmrs 1G-3G
expect_status 2
expect_err_contains "fifo.bin: not a regular file"

finish
