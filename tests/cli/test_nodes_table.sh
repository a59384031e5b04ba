# nodes' table with lsmem's options: -o/--output COLUMNS (in that order),
# -n/--noheadings, -r/--raw, -b/--bytes; columns as wide as their widest
# cell, so a long CPU list keeps the others in line.
. "$(dirname "$0")/lib.sh"

run nodes
expect_status 0
expect_line "node cpus  kind     memory crypto_capable tdx_memory     pamt tier demotion"
expect_line "   0 0-31  dram 255.71 GiB              1 255.71 GiB 1.00 GiB 4    -"

run nodes -o kind,node --noheadings
expect_status 0
expect_line "dram 0"
nr_checks=$((nr_checks + 1))
[ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ] || fail "-n: expected 4 rows and no header"

# -r: one space between cells, blanks inside a cell as \x20: every line splits into the same columns.
run nodes -r
expect_status 0
expect_line "0 0-31 dram 255.71\x20GiB 1 255.71\x20GiB 1.00\x20GiB 4 -"
nr_checks=$((nr_checks + 1))
[ "$(printf '%s\n' "$out" | awk '{print NF}' | sort -u)" = 9 ] || fail "-r: rows with other than 9 cells"

# -b: sizes in bytes, the numbers --json gives.
run nodes -o node,memory,pamt -b -n -r
expect_status 0
json=$("$CONFMEM" nodes --json)
expect_line "0 $(printf '%s\n' "$json" | jq '.[0].memory_bytes') $(printf '%s\n' "$json" | jq '.[0].pamt_bytes')"

# Columns not shown by default, numactl -H's distances among them.
run nodes -o node,distances,adistance,fallback
expect_status 0
expect_line "   0 10 21 14 24       576 -"

# A long CPU list: the next column starts at the same place on every line.
run report --dump-platform
expect_status 0
cpus=$(seq 0 2 200 | paste -sd,)
printf '%s\n' "$out" | jq --arg cpus "$cpus" '.nodes[1].cpus = $cpus' > "$tmp/longcpus.json"
run nodes --platform "$tmp/longcpus.json" -o node,cpus,kind
expect_status 0
nr_checks=$((nr_checks + 1))
[ "$(printf '%s\n' "$out" | awk '{print index($0, $3)}' | sort -u | wc -l)" -eq 1 ] ||
	fail "the kind column moves with the CPU list"

# Bad input: an unknown column, or a table option where no table is printed.
run nodes -o node,nosuch
expect_status 2
expect_err_line 'confmem: --output: unknown column "nosuch" (the columns are listed by --help)'
run nodes -o node --json
expect_status 2
expect_err_contains "--json prints every field"
run nodes -n --nodemask capable
expect_status 2
run nodes --help
expect_status 0
expect_contains "  distances         the SLIT row (numactl -H)"
# report prints numactl -H's distance matrix, and its JSON the same numbers.
run report
expect_status 0
expect_line "node distances:"
expect_line "node   0   1   2   3"
expect_line "  2:  14  24  10  26"
run report --json
expect_status 0
expect_jq '.distances[2] | join(" ")' "14 24 10 26"
finish
