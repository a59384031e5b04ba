# The live reader says what it could not find, and advises root only where
# root would help: on this machine, when not root already; a --sysroot
# tree is a copy, so the advice is to copy what is missing.
. "$(dirname "$0")/lib.sh"

run nodes --export-sysfs "$tmp/good"
expect_status 0

# A sysroot that is not there, or is a file.
run report --sysroot "$tmp/none"
expect_status 2
expect_err_contains "$tmp/none: expected a directory holding a copy of the machine's proc/iomem and sys/devices/system, found none: No such file or directory"
touch "$tmp/file"
run report --sysroot "$tmp/file"
expect_status 2
expect_err_contains "$tmp/file: expected a directory holding a copy of the machine's proc/iomem and sys/devices/system, found a file"

# Neither /proc/iomem nor memory blocks (nor the nodes' links to them): both named, and what to copy.
cp -r "$tmp/good" "$tmp/bare"
rm -r "$tmp/bare/proc/iomem" "$tmp/bare/sys/devices/system/memory" "$tmp/bare/sys/devices/system/node/"node*/memory[0-9]*
run report --sysroot "$tmp/bare"
expect_status 2
expect_err_contains "no memory found: $tmp/bare/proc/iomem: cannot read: No such file or directory, and $tmp/bare/sys/devices/system/memory is missing; copy both from the machine (as root, so that /proc/iomem shows its addresses)"
nr_checks=$((nr_checks + 1))
grep -q "run as root" <<< "$err" && fail "a sysroot copy is told to run as root"

# Addresses hidden (as a reader without CAP_SYS_ADMIN sees them) and a memory directory without blocks.
cp -r "$tmp/good" "$tmp/hidden"
sed -i 's/^\( *\)[0-9a-f]*-[0-9a-f]* :/\100000000-00000000 :/' "$tmp/hidden/proc/iomem"
rm -r "$tmp/hidden/sys/devices/system/memory/"memory[0-9]* "$tmp/hidden/sys/devices/system/node/"node*/memory[0-9]*
run report --sysroot "$tmp/hidden"
expect_status 2
expect_err_contains "no memory found: $tmp/hidden/proc/iomem: addresses are hidden (all zero): the kernel shows them only to a process with CAP_SYS_ADMIN, and $tmp/hidden/sys/devices/system/memory lists no memory blocks; copy both"

# Hidden addresses with the blocks there: the blocks are used, and the note says why.
cp -r "$tmp/good" "$tmp/blocks"
sed -i 's/^\( *\)[0-9a-f]*-[0-9a-f]* :/\100000000-00000000 :/' "$tmp/blocks/proc/iomem"
run report --sysroot "$tmp/blocks"
expect_status 0
expect_contains "$tmp/blocks/proc/iomem addresses hidden (copied without CAP_SYS_ADMIN); RAM taken from memory blocks in /sys (block granularity)"
finish
