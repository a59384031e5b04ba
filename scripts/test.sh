#!/usr/bin/env bash
# Build confmem and run every test twice: a normal build, then a build
# with AddressSanitizer and UndefinedBehaviorSanitizer. Ends with
# "N passed, N failed" over both runs.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/setup.sh"
confmem_setup || exit 1
jobs=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0
for variant in build build-asan; do
	opts=()
	[ "$variant" = build-asan ] && opts=(-DCONFMEM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
	echo "== $variant"
	if ! cmake -S "$top" -B "$top/$variant" -G Ninja "${opts[@]}" >/dev/null ||
	   ! ninja -C "$top/$variant"; then
		echo "build failed: $variant"
		failed=$((failed + 1))
		continue
	fi
	log=$(mktemp)
	(cd "$top/$variant" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j "$jobs") | tee "$log"
	total=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2/p' "$log")
	nfail=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1/p' "$log")
	rm -f "$log"
	if [ -z "$total" ]; then
		failed=$((failed + 1))
		continue
	fi
	passed=$((passed + total - nfail))
	failed=$((failed + nfail))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
