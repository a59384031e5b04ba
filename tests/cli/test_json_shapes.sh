# The JSON contracts of plan and nodes (SPEC 2), raw and --human.
. "$(dirname "$0")/lib.sh"

run plan --json
expect_status 0
expect_jq '.status' ok
expect_jq 'has("error")' false
expect_jq '.nr_tdmrs' 3
expect_jq '.tdmrs | length' 3
expect_jq '.tdmrs[0] | [has("base"), has("size"), has("node"), has("pamt_4k"), has("pamt_2m"), has("pamt_1g"), has("reserved")] | all' true
expect_jq '.tdmrs[1].pamt_4k | keys | join(",")' base,size
expect_jq '.tdmrs[0].reserved[0] | keys | join(",")' offset,size
expect_jq '.tdmrs[0].base | type' number
expect_jq '.cmrs | length' 3
expect_jq '.tdx_memory[0].base' 1048576
expect_jq '[.tdmrs[] | .pamt_4k.size + .pamt_2m.size + .pamt_1g.size] | add / 1024' "$(printf '%s\n' "$out" | jq .pamt_kb)"
run plan --json -u
expect_status 0
expect_jq '.tdmrs[1].base' 0x100000000
expect_jq '.tdmrs[0].size' "2.00 GiB (2.15 GB)"

run nodes --json
expect_status 0
expect_jq 'length' 4
expect_jq '.[0] | keys | map(select(. == "node" or . == "cpus" or . == "kind" or . == "memory_bytes" or . == "crypto_capable" or . == "tdx_memory" or . == "demotion_targets")) | length' 7
expect_jq '[.[].crypto_capable] | join(",")' true,true,false,false
expect_jq '.[2].kind' cxl
expect_jq '.[2].cpus' ""
expect_jq '.[1].cpus' 32-63
run nodes --nodemask capable
expect_status 0
expect_last_line "0-1"
run nodes --preset mixed --nodemask capable
expect_status 0
expect_last_line "0"
finish
