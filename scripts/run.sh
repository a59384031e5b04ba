#!/usr/bin/env bash
# Build confmem and run it: with no arguments, the report of the built-in
# default platform. Arguments are passed to confmem.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/setup.sh"
confmem_setup
cmake -S "$top" -B "$top/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$top/build" confmem-cli >/dev/null
exec "$top/build/confmem" "$@"
