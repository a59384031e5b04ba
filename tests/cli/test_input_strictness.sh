# Input that is not what it claims is refused at once with exit 2 and a
# message naming the file, the field's path or the option (issue 15):
# non-regular files, inputs past their limit, duplicate JSON keys, numbers
# out of range, malformed option values and sysfs entry names.
. "$(dirname "$0")/lib.sh"

# run, bounded: killed after 5 seconds (a hang fails, status 124) and
# limited to 2 GB of address space (reading without a bound fails). An
# AddressSanitizer build reserves terabytes of shadow memory at start and
# cannot run under ulimit -v: it runs with the timeout only.
memory_limit=2000000
(ulimit -v "$memory_limit"; exec "$CONFMEM" presets) > /dev/null 2>&1 || memory_limit=unlimited
run_bounded() {
	check_status_checked
	last_command="$* (timeout 5, ulimit -v $memory_limit)"
	(ulimit -v "$memory_limit"; exec timeout 5 "$CONFMEM" "$@") > "$tmp/run.stdout" 2> "$tmp/run.stderr"
	status=$?
	out=$(cat "$tmp/run.stdout")
	err=$(cat "$tmp/run.stderr")
	status_checked=0
}

# ---- files that are not regular files ----

# A FIFO nobody writes to: opening it for reading would block forever.
mkfifo "$tmp/fifo"
for option in --platform --dmesg; do
	run_bounded plan "$option" "$tmp/fifo"
	expect_status 2
	expect_err_line "confmem: $tmp/fifo: not a regular file"
done
run_bounded sim "$tmp/fifo"
expect_status 2
expect_err_line "confmem: $tmp/fifo: not a regular file"
run_bounded sgx measure "$tmp/fifo"
expect_status 2
expect_err_contains "$tmp/fifo: not a regular file"
# A scenario naming a FIFO as its platform.
printf '{"platform": "%s", "duration_ms": 1}\n' "$tmp/fifo" > "$tmp/fifo-platform.json"
run_bounded sim "$tmp/fifo-platform.json"
expect_status 2
expect_err_contains "$tmp/fifo: not a regular file"

# Devices and directories.
run_bounded plan --dmesg /dev/zero
expect_status 2
expect_err_line "confmem: /dev/zero: not a regular file"
run_bounded plan --platform /dev/null
expect_status 2
expect_err_line "confmem: /dev/null: not a regular file"
run_bounded plan --platform "$DATA/json"
expect_status 2
expect_err_line "confmem: $DATA/json: not a regular file"

# /dev/stdin is read when it is a regular file (a redirect), refused when a pipe.
check_status_checked
last_command="nodes --dmesg /dev/stdin < tdx135.log"
"$CONFMEM" nodes --dmesg /dev/stdin < "$DATA/dmesg/tdx135.log" > "$tmp/run.stdout" 2> "$tmp/run.stderr"
status=$?
status_checked=0
expect_status 0
last_command="plan --dmesg /dev/stdin (a pipe)"
cat "$DATA/dmesg/tdx135.log" | timeout 5 "$CONFMEM" plan --dmesg /dev/stdin > "$tmp/run.stdout" 2> "$tmp/run.stderr"
status=$?
err=$(cat "$tmp/run.stderr")
status_checked=0
expect_status 2
expect_err_line "confmem: /dev/stdin: not a regular file"

# ---- inputs past their limit (sparse files: no disk used) ----

truncate -s $(((64 << 20) + 1)) "$tmp/huge.log"
run_bounded plan --dmesg "$tmp/huge.log"
expect_status 2
expect_err_line "confmem: $tmp/huge.log: file is larger than the limit of 64 MiB"
truncate -s $(((256 << 20) + 1)) "$tmp/huge.json"
run_bounded plan --platform "$tmp/huge.json"
expect_status 2
expect_err_line "confmem: $tmp/huge.json: file is larger than the limit of 256 MiB"

# ---- duplicate JSON keys: json-c would keep the last, so "id": 0, "id": 1 read as node 1 ----

run nodes --platform "$DATA/json/duplicate_id.json"
expect_status 2
expect_err_line "confmem: $DATA/json/duplicate_id.json: \$.nodes[0]: field \"id\" given twice (line 4); a field may appear once in an object"
run nodes --platform "$DATA/json/duplicate_escaped_key.json"
expect_status 2
expect_err_line "confmem: $DATA/json/duplicate_escaped_key.json: \$.nodes[0].memory[0]: field \"start\" given twice (lines 5 and 6); a field may appear once in an object"
run sim "$DATA/json/duplicate_scenario_seed.json"
expect_status 2
expect_err_line "confmem: $DATA/json/duplicate_scenario_seed.json: \$: field \"seed\" given twice (lines 3 and 5); a field may appear once in an object"
run sgx measure "$DATA/json/duplicate_enclave_measure.json"
expect_status 2
expect_err_contains "$DATA/json/duplicate_enclave_measure.json: \$.pages[0]: field \"measure\" given twice (line 5)"

# ---- option values ----

for cmrs in ',,,' '' '0x100000-0x80000000,' ',0x100000-0x80000000' '0x100000-0x80000000,,4G-8G'; do
	run report --live --sysroot "$DATA/sysroot/two-socket" --cmrs "$cmrs"
	expect_status 2
	expect_err_line "confmem: --cmrs: expected START-END items separated by commas, found an empty item in \"$cmrs\""
done
run report --live --sysroot "$DATA/sysroot/two-socket" --cmrs 0x100000-0x80000000,4G-1028G
expect_status 0
for seed in 1K 64G -1 '' ' 1' 0x 18446744073709551616; do
	run sim "$SRC/examples/events.json" --seed "$seed"
	expect_status 2
	expect_err_line "confmem: --seed: expected an unsigned 64-bit integer (decimal or 0x-hex), found \"$seed\""
done
for seed in 99:99 0x10:16 010:10 18446744073709551615:18446744073709551615; do
	run sim "$SRC/examples/events.json" --seed "${seed%%:*}" --json
	expect_status 0
	expect_line "  \"seed\": ${seed##*:},"	# not jq: it reads 2^64 - 1 as a double
done

# ---- sysfs: names and numbers as written ----

cp -r "$DATA/sysroot/two-socket" "$tmp/far"
echo "4294967306 10 30" > "$tmp/far/sys/devices/system/node/node1/distance"
run nodes --live --sysroot "$tmp/far"
expect_status 2
expect_err_line "confmem: $tmp/far/sys/devices/system/node/node1/distance: expected a distance of 11..255 to another node in column 1, found 4294967306"
cp -r "$DATA/sysroot/two-socket" "$tmp/names"
mkdir "$tmp/names/sys/devices/system/node/node99999"
run nodes --live --sysroot "$tmp/names"
expect_status 2
expect_err_line "confmem: $tmp/names/sys/devices/system/node/node99999: expected node ids 0..63, found 99999"
rmdir "$tmp/names/sys/devices/system/node/node99999"
touch "$tmp/names/sys/devices/system/node/node0/memory99999999999999999999"
run nodes --live --sysroot "$tmp/names"
expect_status 2
expect_err_line "confmem: $tmp/names/sys/devices/system/node/node0/memory99999999999999999999: expected memoryN with N a block number below 2^64 without leading zeros, found 99999999999999999999"

# ---- time: arrays grow geometrically (one element at a time was quadratic under ASan) ----

# 40 000 /proc/iomem lines took 16 s under ASan when each entry was a realloc.
cp -r "$DATA/sysroot/nonuma" "$tmp/iomem40k"
awk 'BEGIN { for (i = 0; i < 20000; i++) {	# from 0x500000000, in 32-bit arithmetic
	a = i * 8192
	printf "5%08x-5%08x : System RAM\n5%08x-5%08x : Reserved\n", a, a + 4095, a + 4096, a + 8191 } }' \
	>> "$tmp/iomem40k/proc/iomem"
run nodes --live --sysroot "$DATA/sysroot/nonuma" --json
expect_status 0
base_bytes=$(printf '%s\n' "$out" | jq '.[0].memory_bytes')
run_bounded nodes --live --sysroot "$tmp/iomem40k" --json
expect_status 0
expect_jq '.[0].memory_bytes' "$((base_bytes + 20000 * 4096))"
# Planning it: 20 000 holes exhaust the reserved areas; the CMR-based
# alternative has TDMRs with no area at all, once a qsort() of no array.
run_bounded plan --live --sysroot "$tmp/iomem40k" --cmrs 0-0x600000000 --json
expect_status 1
expect_jq '.result' reserved_areas_exhausted

# A CPU list of thousands of CPUs is never cut (it was at 4094 characters).
cpus=$(seq -s, 0 2 8190)
jq --arg c "$cpus" '.nodes[0].cpus = $c' "$SRC/examples/single.json" > "$tmp/longcpus.json"
run nodes --platform "$tmp/longcpus.json" --json
expect_status 0
expect_jq '.[0].cpus' "$cpus"
run nodes --platform "$tmp/longcpus.json"
expect_status 0
expect_contains "$cpus"
run nodes --platform "$tmp/longcpus.json" --export-sysfs "$tmp/longcpus-sys"
expect_status 0
nr_checks=$((nr_checks + 1))
[ "$(cat "$tmp/longcpus-sys/sys/devices/system/node/node0/cpulist")" = "$cpus" ] || fail "the exported cpulist is cut"

finish
