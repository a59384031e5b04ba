#!/usr/bin/env bash
# Fetch Debian's 6.12 kernel image for tests/qemu/run.sh, without installing
# it: apt-get download of linux-image-6.12.*-amd64-unsigned (bookworm's
# security suite carries it), unpacked with dpkg-deb -x into
# ${CONFMEM_QEMU_CACHE:-~/.cache/confmem-qemu}/kernel.
#   fetch-kernel.sh [PACKAGE]
# Needs apt with bookworm-security (or bookworm-backports) in its sources.
set -euo pipefail
cache=${CONFMEM_QEMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/confmem-qemu}
package=${1:-}
if [ -z "$package" ]; then
	package=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9.]+\+deb12-amd64-unsigned$' |
		awk '{ print $1 }' | sort -V | tail -1)
fi
[ -n "$package" ] || { echo "no linux-image-6.12*-amd64-unsigned in apt's lists (apt-get update?)" >&2; exit 1; }
mkdir -p "$cache"
cd "$cache"
rm -f ./*.deb
apt-get download "$package"
rm -rf kernel
dpkg-deb -x ./*.deb kernel
ls -1 kernel/boot/vmlinuz-*
