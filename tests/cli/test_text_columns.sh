# Text tables keep their columns whatever the widths: node ids of two digits
# and long CPU lists in report, long actor names and counter names in sim.
. "$(dirname "$0")/lib.sh"

# same_column NAME REGEX: in $out's lines matching REGEX, the first match of
# the word after the pattern starts at one offset.
same_column() {
	local name=$1 lines=$2 word=$3 offsets
	offsets=$(grep -E "$lines" <<< "$out" | awk -v w="$word" '{ print index($0, w) }' | sort -u)
	nr_checks=$((nr_checks + 1))
	[ -n "$offsets" ] && [ "$(wc -l <<< "$offsets")" -eq 1 ] ||
		fail "$name: '$word' starts at offsets $(tr '\n' ' ' <<< "$offsets")"
}

jq '.nodes[0].cpus = "0-31,128-130,200-203"' "$SRC/examples/default.json" > "$tmp/longcpu.json"
run report --platform "$tmp/longcpu.json"
expect_status 0
expect_contains "  node 0: cpus 0-31,128-130,200-203 dram"
same_column "long CPU list" "^  node [0-9]: cpus" " dram | cxl "
same_column "long CPU list" "^  node [0-9]: cpus" "crypto_capable="
same_column "tdx_memory yes/no" "^  node [0-9]: cpus" "PAMT"

run report --preset big
expect_status 0
same_column "two-digit node ids" "^  node +[0-9]+: cpus" "cpus"
same_column "two-digit node ids" "^  node +[0-9]+: cpus" "crypto_capable="

jq '.actors[0].name = "a-rather-long-database-name" | del(.expect)' \
	"$SRC/examples/tiering-dram-cxl-demote.json" > "$tmp/longname.json"
run sim "$tmp/longname.json" --quiet
expect_status 0
expect_contains "  a-rather-long-database-name exited   (ran its time)"
# Counter values in one column after the longest name (pgpromote_candidate).
nr_checks=$((nr_checks + 1))
offsets=$(sed -n '/^counters:/,/^$/p' <<< "$out" | grep -E '^  [a-z_]+ +[0-9]+$' |
	awk '{ match($0, /[0-9]+$/); print RSTART }' | sort -u)
[ "$(wc -l <<< "$offsets")" -eq 1 ] || fail "counter values start at offsets $(tr '\n' ' ' <<< "$offsets")"
expect_line "  pgpromote_candidate 0"
finish
