# Physical packages (sockets): a node's "package" in the platform, the
# report's package count, one TDH.SYS.KEY.CONFIG per package, and the
# round trip through cpuN/topology/physical_package_id.
. "$(dirname "$0")/lib.sh"

# big: eight sockets of two SNC nodes each, not sixteen.
run report --preset big
expect_status 0
expect_contains 'platform "big": 8 packages, 16 nodes, 448 CPUs'
run report --preset big --json
expect_status 0
expect_jq .nr_packages 8
expect_jq '[.nodes[].package] | unique | length' 8
expect_jq '[.nodes[] | select(.package == 3) | .node] | join(",")' "6,7"
run plan --preset big --json
expect_status 0
expect_jq .nr_key_config_calls 8

# default: two packages; its CXL nodes have no CPUs and no package.
run nodes --json
expect_status 0
expect_jq '[.[] | .package // "none"] | map(tostring) | join(",")' "0,1,none,none"

# The table's package column (not shown by default), - where none.
run nodes -o node,package,kind -r -n
expect_status 0
expect_line "0 0 dram"
expect_line "2 - cxl"

# A platform that names no package: each node with CPUs is one for the key
# configuration, and the report does not claim a count it does not know.
jq 'del(.nodes[].package)' "$SRC/examples/big.json" > "$tmp/nopkg.json"
run report --platform "$tmp/nopkg.json"
expect_status 0
nr_checks=$((nr_checks + 1))
grep -q packages <<< "$out" && fail "a package count where no node names its package"
run report --platform "$tmp/nopkg.json" --json
expect_status 0
expect_jq 'has("nr_packages")' false
expect_jq '[.nodes[] | has("package")] | any' false
run plan --platform "$tmp/nopkg.json" --json
expect_status 0
expect_jq .nr_key_config_calls 16

# Bad input: a package on a node without CPUs, out of range, not a number.
jq '.nodes[2].package = 0' "$SRC/examples/default.json" > "$tmp/cxl-pkg.json"
run report --platform "$tmp/cxl-pkg.json"
expect_status 2
expect_err_contains '$.nodes[2].package: a package is the socket of a node'"'"'s CPUs, found package 0 on a node without CPUs'
jq '.nodes[0].package = 4096' "$SRC/examples/default.json" > "$tmp/big-pkg.json"
run report --platform "$tmp/big-pkg.json"
expect_status 2
expect_err_contains '$.nodes[0].package'
expect_err_contains '4095'
jq '.nodes[0].package = "zero"' "$SRC/examples/default.json" > "$tmp/str-pkg.json"
run report --platform "$tmp/str-pkg.json"
expect_status 2
expect_err_contains '$.nodes[0].package'

# Round trip: the export writes physical_package_id for every CPU, the
# live reader takes each node's from its first CPU.
run nodes --preset big --export-sysfs "$tmp/tree"
expect_status 0
nr_checks=$((nr_checks + 1))
[ "$(cat "$tmp/tree/sys/devices/system/cpu/cpu447/topology/physical_package_id")" = 7 ] ||
	fail "cpu447 is not on package 7 in the export"
run nodes --sysroot "$tmp/tree" --json
expect_status 0
expect_jq '[.[].package] | map(tostring) | join(",")' "0,0,1,1,2,2,3,3,4,4,5,5,6,6,7,7"

# A missing physical_package_id: the package is not known, and the report's
# assumptions say which file.
rm "$tmp/tree/sys/devices/system/cpu/cpu28/topology/physical_package_id"
run nodes --sysroot "$tmp/tree" --json
expect_status 0
expect_jq '.[1] | has("package")' false
run report --sysroot "$tmp/tree"
expect_status 0
expect_contains 'cpu28/topology/physical_package_id missing; node 1'"'"'s package not known'
run report --sysroot "$tmp/tree" --json
expect_status 0
expect_jq 'has("nr_packages")' false
finish
