#!/usr/bin/env bash
# Boot a real kernel under QEMU on NUMA/HMAT topologies and compare its
# fallback lines, demotion targets and memory tiers with confmem's.
#   run.sh [-v] [--record] [--confmem PATH] [--kernel VMLINUZ] [TOPOLOGY...]
# TOPOLOGY is a file or a name under tests/qemu/topologies (default: all).
# The kernel is --kernel, else $CONFMEM_QEMU_KERNEL, else the newest
# vmlinuz-6.12* under ${CONFMEM_QEMU_CACHE:-~/.cache/confmem-qemu} (see
# fetch-kernel.sh, which never installs it). --record writes the kernel's
# lines to tests/qemu/expected/NAME.txt; -v shows both sides line by line.
# Exit 0 all agree, 1 some differ or a boot failed, 77 QEMU, busybox or the
# kernel is not available (ctest's SKIP_RETURN_CODE), 2 bad usage.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
confmem=$src/build/confmem kernel=${CONFMEM_QEMU_KERNEL:-} record=0 verbose=0
cache=${CONFMEM_QEMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/confmem-qemu}
topologies=()
while [ $# -gt 0 ]; do
	case "$1" in
	-v) verbose=1 ;;
	--record) record=1 ;;
	--confmem) confmem=$2; shift ;;
	--kernel) kernel=$2; shift ;;
	-*) echo "usage: $0 [-v] [--record] [--confmem PATH] [--kernel VMLINUZ] [TOPOLOGY...]" >&2; exit 2 ;;
	*) if [ -f "$1" ]; then topologies+=("$1"); else topologies+=("$here/topologies/$1.topo"); fi ;;
	esac
	shift
done
[ ${#topologies[@]} -gt 0 ] || topologies=("$here"/topologies/*.topo)

skip() { echo "SKIP: $*"; exit 77; }
qemu=$(command -v qemu-system-x86_64) || skip "qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
busybox=$(command -v busybox) || skip "busybox not found (apt-get install busybox-static)"
ldd "$busybox" > /dev/null 2>&1 && skip "$busybox is dynamically linked; the initramfs needs busybox-static"
if [ -z "$kernel" ]; then
	kernel=$(ls -1 "$cache"/kernel/boot/vmlinuz-6.12* 2> /dev/null | sort -V | tail -1)
fi
[ -n "$kernel" ] && [ -r "$kernel" ] || skip "no 6.12 kernel image (run tests/qemu/fetch-kernel.sh, or set CONFMEM_QEMU_KERNEL)"
[ -x "$confmem" ] || { echo "confmem not built: $confmem" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/bin" "$tmp/root/proc" "$tmp/root/sys" "$tmp/root/dev"
cp "$busybox" "$tmp/root/bin/busybox"
cp "$here/init.sh" "$tmp/root/init"
chmod +x "$tmp/root/init"
# dax_hmem and kmem for the kmem topologies, from the kernel's package when it is there.
modules=$(ls -d "$(dirname "$kernel")"/../lib/modules/*/kernel/drivers/dax 2> /dev/null | head -1)
have_modules=0
if [ -n "$modules" ] && command -v xz > /dev/null; then
	mkdir -p "$tmp/root/lib/modules"
	xz -dc "$modules/hmem/dax_hmem.ko.xz" > "$tmp/root/lib/modules/dax_hmem.ko" &&
		xz -dc "$modules/kmem.ko.xz" > "$tmp/root/lib/modules/kmem.ko" && have_modules=1
fi
(cd "$tmp/root" && find . | "$busybox" cpio -o -H newc 2> /dev/null | gzip -1) > "$tmp/initrd.gz"

# The kernel's lines between the init's markers, without timestamps; those
# printed after kmem onlined memory start with "after kmem: ".
kernel_lines() {
	tr -d '\r' | sed -n '/=== confmem-qemu-begin/,/=== confmem-qemu-end/p' | sed '1d;$d' |
		sed -E 's/^\[ *[0-9]+\.[0-9]+\] //; s/[[:space:]]+$//; s/^(Built [0-9]+ zonelists).*/\1/' |
		awk '/^=== confmem-qemu-kmem/ { after = "after kmem: "; next } { print after $0 }'
}

# shellcheck source=tests/qemu/topo.sh
. "$here/topo.sh"
echo "kernel: $kernel"
failed=0 results=()
for topology in "${topologies[@]}"; do
	name=$(basename "$topology" .topo)
	topo_read "$topology" || exit 2
	if [ -n "$topo_kmem" ] && [ "$have_modules" -eq 0 ]; then
		results+=("$name: skipped (no dax_hmem/kmem modules beside the kernel image)")
		continue
	fi
	mapfile -t args < <(topo_qemu_args)
	# shellcheck disable=SC2046 # each line is a group of words
	timeout 300 "$qemu" -machine q35,hmat="$topo_hmat" -accel tcg $(printf '%s ' "${args[@]}") \
		-kernel "$kernel" -initrd "$tmp/initrd.gz" -append "console=ttyS0 quiet loglevel=1 panic=-1 $(topo_kernel_args)" \
		-nographic -no-reboot < /dev/null > "$tmp/$name.log" 2>&1
	kernel_lines < "$tmp/$name.log" > "$tmp/$name.txt"
	if ! grep -q '^Fallback order' "$tmp/$name.txt"; then
		echo "$name: the guest printed nothing usable; its console:"
		tail -20 "$tmp/$name.log"
		results+=("$name: BOOT FAILED")
		failed=1
		continue
	fi
	[ "$record" -eq 1 ] && cp "$tmp/$name.txt" "$here/expected/$name.txt"
	compare=(bash "$here/compare.sh" "$confmem" "$topology" "$tmp/$name.txt")
	[ "$verbose" -eq 1 ] && compare+=(--side-by-side)
	if "${compare[@]}" > "$tmp/$name.cmp"; then
		results+=("$name: match ($topo_title)")
		[ "$verbose" -eq 1 ] && cat "$tmp/$name.cmp"
	else
		results+=("$name: DIFFERS ($topo_title)")
		cat "$tmp/$name.cmp"
		failed=1
	fi
done
printf '%s\n' "${results[@]}"
exit $failed
