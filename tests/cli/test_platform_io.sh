# Platform sources through the command line: presets, dump round trip,
# examples/, bad input (exit 2 with file and line or JSON path).
. "$(dirname "$0")/lib.sh"

run presets
expect_status 0
for p in default single big mixed; do
	expect_contains "$p"
	nr_checks=$((nr_checks + 1))
	"$CONFMEM" report --preset "$p" --dump-platform > "$tmp/$p.json" || fail "$p: --dump-platform failed"
	nr_checks=$((nr_checks + 1))
	"$CONFMEM" report --platform "$tmp/$p.json" --dump-platform > "$tmp/$p.again.json" ||
		fail "$p: dump does not load back"
	cmp -s "$tmp/$p.json" "$tmp/$p.again.json" || fail "$p: dump of the loaded dump differs"
	nr_checks=$((nr_checks + 1))
	cmp -s "$tmp/$p.json" "$SRC/examples/$p.json" || fail "examples/$p.json is not the dump of preset $p"
done

run --preset nosuch
expect_status 2
expect_err_contains 'unknown preset "nosuch"'
run --platform "$tmp/missing.json"
expect_status 2
expect_err_contains "missing.json"
printf '{"nodes": [\n  {"id": 0, "cpus": "0", "kind": "dram",\n   "memory": [{"start": "0x100000", "size": "0x1000"}]},\n' > "$tmp/trunc.json"
run --platform "$tmp/trunc.json"
expect_status 2
expect_err_contains "trunc.json:"
jq '.nodes[0].memory[1].start = "64Q"' "$tmp/default.json" > "$tmp/badsize.json"
run --platform "$tmp/badsize.json"
expect_status 2
expect_err_contains '$.nodes[0].memory[1].start'
jq '.tdx.cmrs[0].start = "0x100010"' "$tmp/default.json" > "$tmp/badcmr.json"
run --platform "$tmp/badcmr.json"
expect_status 2
expect_err_contains '$.tdx.cmrs[0]'
run --dmesg "$DATA/dmesg/no_e820.log"
expect_status 2
expect_err_contains "no_e820.log"
run --dmesg "$DATA/dmesg/bad_e820.log"
expect_status 2
expect_err_contains "bad_e820.log:"
run plan --set tdx.mixed=sometimes
expect_status 2
expect_err_contains "tdx.mixed: expected strict|exclude"
run plan --frobnicate
expect_status 2
run nodes --tdmr-bin "$tmp/x"
expect_status 2
expect_err_contains "does not apply"

# --tdmr-bin: 1024 bytes per TDMR, the kernel's layout.
run plan --tdmr-bin "$tmp/tdmr.bin"
expect_status 0
nr_checks=$((nr_checks + 1))
[ "$(stat -c %s "$tmp/tdmr.bin")" -eq 3072 ] || fail "TDMR_INFO array is not 3 x 1024 bytes"

# --export-sysfs: the kernel's file formats.
run nodes --export-sysfs "$tmp/sys"
expect_status 0
nr_checks=$((nr_checks + 1))
[ "$(cat "$tmp/sys/sys/devices/system/node/node0/crypto_capable")" = 1 ] || fail "node0 crypto_capable"
[ "$(cat "$tmp/sys/sys/devices/system/node/node2/crypto_capable")" = 0 ] || fail "node2 crypto_capable"
[ "$(cat "$tmp/sys/sys/devices/system/node/node1/cpulist")" = 32-63 ] || fail "node1 cpulist"
[ "$(cat "$tmp/sys/sys/devices/system/node/node0/distance")" = "10 21 14 24" ] || fail "node0 distance"
[ "$(cat "$tmp/sys/sys/devices/system/memory/block_size_bytes")" = 8000000 ] || fail "block_size_bytes"
[ "$(cat "$tmp/sys/sys/devices/system/memory/memory32/phys_index")" = 00000020 ] || fail "phys_index"
[ -e "$tmp/sys/sys/devices/system/node/node0/memory32" ] || fail "node0/memory32 link"
finish
