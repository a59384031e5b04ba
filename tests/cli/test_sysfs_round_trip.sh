# nodes --export-sysfs DIR writes DIR/sys and DIR/proc/iomem as the kernel
# does, and --live --sysroot DIR reads back the same platform: the e820
# map, the memory block size, each node with memory (CPUs, RAM), the
# distances between them and, given the same CMRs, the same TDX plan and
# node capabilities. What the kernel's files do not show is not compared
# (docs/json.md, README): HMAT figures, EPC addresses, and the node of a
# hot-add window that has no memory blocks yet (the reader makes a new
# memory-only node for it, as it would on a real machine).
. "$(dirname "$0")/lib.sh"

# cmrs_of PLATFORM.json: its CMRs as --cmrs START-END,...
cmrs_of() {
	jq -r '[.tdx.cmrs[] | "\(.start)-\(.size)"] | join(",")' "$1" | tr ',' '\n' |
		while IFS=- read -r start size; do printf '%s-0x%x\n' "$start" "$((start + size))"; done | paste -sd,
}

round_trip() {
	local name=$1 source=("${@:2}") dir="$tmp/$1" cmrs=()
	run report "${source[@]}" --dump-platform
	expect_status 0
	printf '%s\n' "$out" > "$tmp/$name.json"
	run nodes "${source[@]}" --export-sysfs "$dir"
	expect_status 0
	expect_line "sysfs tree written under $dir"
	nr_checks=$((nr_checks + 1))
	[ -f "$dir/proc/iomem" ] && [ -f "$dir/sys/devices/system/memory/block_size_bytes" ] ||
		fail "$name: no proc/iomem or sys/devices/system/memory in the export"
	# Without TDX (no CMRs) the tree is read without --cmrs: TDX is not enabled either way.
	[ "$(jq '.tdx.cmrs | length' "$tmp/$name.json")" -gt 0 ] && cmrs=(--cmrs "$(cmrs_of "$tmp/$name.json")")
	run report --live --sysroot "$dir" "${cmrs[@]}" --dump-platform
	expect_status 0
	printf '%s\n' "$out" > "$tmp/$name.live.json"

	# The memory map, the block size, the nodes with memory and their distances.
	local same='{e820, memory_block_size, tdx: {cmrs: (.tdx.cmrs // [])},
		nodes: [.nodes[] | select(.memory | length > 0) | {id, cpus, memory}],
		windows: [.hotplug[]? | {start, size, convertible}]}'
	nr_checks=$((nr_checks + 1))
	diff <(jq -S "$same" "$tmp/$name.json") <(jq -S "$same" "$tmp/$name.live.json") > "$tmp/diff" ||
		fail "$name: the platform read back differs: $(head -20 "$tmp/diff")"
	local distances='[.nodes | map(select(.memory | length > 0) | .id)] as [$ids] | . as $p |
		[$ids[] as $i | [$ids[] as $j | $p.distances[$i][$j]]]'
	nr_checks=$((nr_checks + 1))
	[ "$(jq -c "$distances" "$tmp/$name.json")" = "$(jq -c "$distances" "$tmp/$name.live.json")" ] ||
		fail "$name: distances between the nodes with memory differ"

	# The same plan and the same capability per node with memory.
	run plan --platform "$tmp/$name.json" --json
	local plan=$out plan_status=$status
	status_checked=1	# compared below: the tree read back must end the same way
	run plan --live --sysroot "$dir" "${cmrs[@]}" --json
	expect_status "$plan_status"
	nr_checks=$((nr_checks + 1))
	[ "$(printf '%s\n' "$plan" | jq -c 'del(.kernel_detected_from)')" = "$(printf '%s\n' "$out" | jq -c 'del(.kernel_detected_from)')" ] ||
		fail "$name: the plan of the tree read back differs"
	local caps='[.[] | select(.memory_bytes > 0) | {node, cpus, memory_bytes, crypto_capable, tdx_memory_bytes, pamt_bytes}]'
	run nodes --platform "$tmp/$name.json" --json
	expect_status 0
	local nodes
	nodes=$(printf '%s\n' "$out" | jq -c "$caps")
	run nodes --live --sysroot "$dir" "${cmrs[@]}" --json
	expect_status 0
	expect_jq "$caps | tojson" "$nodes"
}

round_trip default --preset default
round_trip single --preset single
round_trip big --preset big
round_trip mixed --preset mixed
round_trip tiers --platform "$SRC/examples/memory-tiers-example.json"

# The iomem names are the kernel's (the reader's own table).
expect_contains_file() {
	nr_checks=$((nr_checks + 1))
	grep -qxF -- "$2" "$1" || fail "$1 has no line: $2"
}
expect_contains_file "$tmp/default/proc/iomem" "00100000-69ffffff : System RAM"
expect_contains_file "$tmp/default/proc/iomem" "6a000000-6a7fffff : ACPI Tables"
expect_contains_file "$tmp/default/proc/iomem" "10000000000-11fffffffff : Soft Reserved"
# --sysroot DIR alone reads the tree as --live --sysroot DIR does (lsmem's habit).
run nodes --sysroot "$tmp/single" --json
expect_status 0
nr_checks=$((nr_checks + 1))
[ "$out" = "$("$CONFMEM" nodes --live --sysroot "$tmp/single" --json)" ] || fail "--sysroot alone differs from --live --sysroot"
run nodes --sysroot "$tmp/single" --preset single
expect_status 2
expect_err_contains "give one platform source"
finish
