# nodes --node LIST and --kind KIND, as lsmem's and numactl's users expect:
# the rows of the table (with -o/-n/-r too), of --json and the nodes of
# --nodemask are those of the nodes both name. A node the platform does not
# have is bad input naming the nodes there are; an unknown kind is bad
# input listing the kinds; a filter no node passes is a header alone (text)
# or an empty array (JSON), exit 0. The default preset: nodes 0-1 DRAM with
# CPUs, 2-3 CXL memory only.
. "$(dirname "$0")/lib.sh"

# Columns are as wide as their widest cell among the rows shown.
header="node cpus kind memory crypto_capable tdx_memory pamt tier demotion"

# nr_lines N: stdout has N lines.
expect_nr_lines() {
	nr_checks=$((nr_checks + 1))
	local got
	got=$(printf '%s' "$out" | grep -c '')
	[ "$got" -eq "$1" ] || fail "expected $1 lines on stdout, got $got"
}

run nodes --json
expect_status 0
all=$out

# --- --node: a subset, in the platform's order, each row as it is unfiltered ---
run nodes --node 2,0
expect_status 0
expect_no_err
expect_nr_lines 3
expect_line "node cpus kind     memory crypto_capable tdx_memory     pamt tier demotion"
expect_line "   0 0-31 dram 255.71 GiB              1 255.71 GiB 1.00 GiB 4    -"
expect_line "   2 -    cxl         0 B              0        0 B      0 B -    -"
run nodes --node 1-3 --json
expect_status 0
expect_jq 'map(.node) | join(",")' "1,2,3"
nr_checks=$((nr_checks + 1))
[ "$(printf '%s\n' "$out" | jq -c '.[0]')" = "$(printf '%s\n' "$all" | jq -c '.[1]')" ] ||
	fail "--node 1-3: node 1's row differs from the unfiltered one"

# --- --kind cxl: the CXL nodes only ---
run nodes --kind cxl
expect_status 0
expect_nr_lines 3
expect_contains "   3 -    cxl"
nr_checks=$((nr_checks + 1))
[ "$(printf '%s\n' "$out" | tail -n +2 | awk '{print $3}' | sort -u)" = cxl ] ||
	fail "--kind cxl: a row of another kind"
run nodes --kind cxl --json
expect_status 0
expect_jq 'map(.node) | join(",")' "2,3"
expect_jq 'map(.kind) | unique | join(",")' "cxl"
run nodes --kind dram --json -u
expect_status 0
expect_jq 'map(.node) | join(",")' "0,1"
expect_jq '.[0].memory_bytes' "255.71 GiB (274.57 GB)"

# --- both: the nodes of LIST that are of KIND ---
run nodes --node 0,2 --kind cxl
expect_status 0
expect_nr_lines 2
expect_contains "   2 -    cxl"
run nodes --node 0-2 --kind cxl --json
expect_status 0
expect_jq 'map(.node) | join(",")' "2"
# --kind given twice: the last one counts, as any option's value.
run nodes --kind cxl --kind dram --json
expect_status 0
expect_jq 'map(.node) | join(",")' "0,1"

# --- the table options with the filters ---
run nodes -o kind,node -n -r --kind dram
expect_status 0
expect_nr_lines 2
expect_line "dram 0"
expect_line "dram 1"
run nodes -o node,memory -b -n --node 1
expect_status 0
expect_line "1 $(printf '%s\n' "$all" | jq '.[1].memory_bytes')"
expect_nr_lines 1
run nodes --preset big -o node -r --node 3-5,15
expect_status 0
expect_nr_lines 5
expect_last_line "15"

# --- --nodemask: its nodes among the chosen ones ---
run nodes --nodemask all --kind cxl
expect_status 0
expect_line "2-3"
run nodes --nodemask capable --node 1-3 --json
expect_status 0
expect_jq .list "1"
expect_jq '.nodes | join(",")' "1"

# --- a filter no node passes: the header alone, an empty array, exit 0 ---
run nodes --kind hbm
expect_status 0
expect_no_err
expect_nr_lines 1
expect_line "$header"
run nodes --kind hbm -n
expect_status 0
expect_nr_lines 0
run nodes --node 0 --kind cxl --json
expect_status 0
expect_no_err
expect_jq 'type' "array"
expect_jq 'length' "0"

# --- bad input: a node the platform does not have, a list that is not one, an unknown kind ---
run nodes --node 7
expect_status 2
expect_err_line "confmem: --node: node 7 is not in the platform, which has nodes 0-3"
expect_nr_lines 0
run nodes --node 1,5-6 --json
expect_status 2
expect_err_line "confmem: --node: nodes 5-6 are not in the platform, which has nodes 0-3"
expect_nr_lines 0
run nodes --preset single --node 1
expect_status 2
expect_err_line "confmem: --node: node 1 is not in the platform, which has node 0"
run nodes --node 1-x
expect_status 2
expect_err_contains 'expected node ids 0..63 in list syntax (e.g. 0-1,4), found "1-x"'
run nodes --kind nvme
expect_status 2
expect_err_line 'confmem: --kind: expected dram, pmem, cxl or hbm, found "nvme"'
expect_nr_lines 0
run nodes --kind
expect_status 2
expect_err_line "confmem: option --kind needs one of dram|pmem|cxl|hbm"
# A fleet is many platforms: the filters take one.
run nodes --dmesg "$DATA/dmesg/tdx135.log" --dmesg "$DATA/dmesg/tdx385.log" --kind dram
expect_status 2
expect_err_contains "--node and --kind take one platform, not a fleet"

# --- --help names both, --kind with the kinds of the name table ---
run nodes --help
expect_status 0
expect_contains "  --node LIST "
expect_contains "  --kind dram|pmem|cxl|hbm"
finish
