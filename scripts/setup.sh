#!/usr/bin/env bash
# Install what confmem needs to build and test, by Debian package name,
# only when something is missing. Sourced by run.sh and test.sh.
set -euo pipefail

CONFMEM_PACKAGES=(gcc clang libc6-dev make cmake ninja-build pkg-config libjson-c-dev libcmocka-dev libnuma-dev libssl-dev jq python3 chromium sqlite3)

confmem_setup() {
	local missing=()
	for pkg in "${CONFMEM_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		return 0
	fi
	echo "confmem: installing ${missing[*]}" >&2
	local sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		sudo="sudo"
	fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
