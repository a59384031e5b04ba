# PAMT placement (SPEC 3.5): the kernel's alloc_contig_pages() walk, and lowest-fit by name.
. "$(dirname "$0")/lib.sh"

# One node, RAM [1M, 1G): ZONE_DMA32 is tried before ZONE_DMA, its first candidate is 16 MiB.
run plan --platform "$DATA/json/pamt_dma32_before_dma.json" --json
expect_status 0
expect_jq '.tdmrs[0].pamt_4k.base' $((0x1000000))
expect_jq '.tdmrs[0].nr_reserved' 2
expect_jq .pamt_kb 4108
run plan --platform "$DATA/json/pamt_dma32_before_dma.json" --set tdx.pamt_placement=lowest-fit --json
expect_status 0
expect_jq '.tdmrs[0].pamt_4k.base' $((0x100000))

# Node 0 has 2 MiB: its PAMT follows node 0's boot zonelist (0 1 2, no CPU penalty at boot).
run plan --platform "$DATA/json/pamt_zonelist_fallback.json" --json
expect_status 0
expect_jq '[.tdmrs[].pamt_4k.base] | map(tostring) | join(" ")' "$((0x100000000)) $((0x100403000)) $((0x200000000))"
expect_jq '[.tdmrs[].node] | map(tostring) | join(" ")' "1 1 2"
expect_jq .pamt_kb 12324

# No candidate of the 2 GiB TDMR's grid fits node 0's 12 MiB: -ENOMEM; lowest-fit packs it.
run plan --platform "$DATA/json/pamt_no_stride_fits.json"
expect_status 1
expect_line "diagnosis: TDMR [0x100000000, 0x180000000): no free TDX memory for its 8212 KB PAMT on node 0 or any other node."
expect_line "virt/tdx: module initialization failed (-12)"
run plan --platform "$DATA/json/pamt_no_stride_fits.json" --set tdx.pamt_placement=lowest-fit
expect_status 0
expect_line "virt/tdx: 12320 KB allocated for PAMT"
expect_last_line "virt/tdx: module initialized"

# The knob takes only the placements' names.
run plan --platform "$DATA/json/pamt_dma32_before_dma.json" --set tdx.pamt_placement=best-fit
expect_status 2
finish
