# Hot-add verdicts (SPEC 5) on the default preset's CXL windows.
. "$(dirname "$0")/lib.sh"

# check mode (default): one message, -EINVAL, exit 1.
run hotplug 1T 64G
expect_status 1
expect_line "virt/tdx: Reject hot-adding memory range: 0x10000000000-0x11000000000 for TDX compatibility."
nr_checks=$((nr_checks + 1))
[ "$(printf '%s\n' "$out" | grep -c "Reject hot-adding")" -eq 1 ] || fail "expected exactly one reject message"
run hotplug 1T 64G --json
expect_status 1
expect_jq .outcome rejected
expect_jq .errno -22
expect_jq .nr_blocks 512
expect_jq .node 2

# notifier mode: added, every one of the 512 blocks refused with EPERM.
run hotplug 1T 64G --mode notifier --json
expect_status 1
expect_jq .outcome blocks_refused
expect_jq .errno -1
expect_jq .nr_blocks_failed 512
run hotplug 1T 64G --mode notifier
expect_status 1
expect_contains "onlining was refused for 512 of 512 memory blocks"
nr_checks=$((nr_checks + 1))
printf '%s\n' "$out" | grep -q "online_pages" && fail "debug lines shown without -v"
run hotplug 1T 64G --mode notifier -vv
expect_status 1
expect_line "online_pages [mem 0x10000000000-0x10007ffffff] failed"

# devdax: accepted, for ordinary VMs only.
run hotplug 1T 64G --mode devdax --json
expect_status 0
expect_jq .outcome device_dax

# tdx.mixed=exclude: accepted as non-TDX memory; the node is not capable.
run hotplug 1T 64G --set tdx.mixed=exclude --json
expect_status 0
expect_jq .outcome online_non_tdx
expect_jq .crypto_capable_after false

# Without TDX every add succeeds.
run report --dump-platform
expect_status 0
printf '%s\n' "$out" | jq '.tdx.enabled = false' > "$tmp/notdx.json"
run hotplug 1T 64G --platform "$tmp/notdx.json" --json
expect_status 0
expect_jq .outcome online

# Bad requests: exit 2 with the reason.
run hotplug 1T 1000
expect_status 2
expect_err_contains "multiples of the memory block size"
run hotplug 0x100000000 128M
expect_status 2
expect_err_contains "overlaps boot RAM"
run hotplug 3T 128M
expect_status 2
expect_err_contains "no hot-plug window"
run hotplug 3T 128M --new-node --json
expect_status 1
expect_jq .node 4
expect_jq .new_node true
run hotplug 1T
expect_status 2
# --node N for a node the platform does not have and no window names: said, exit 2.
run hotplug 1T 64G --node 9
expect_status 2
expect_err_line "confmem: hotplug: --node 9: the platform has no node 9 and no hot-add window names it (its nodes: 0-3); --new-node adds the range on a new node"
finish
