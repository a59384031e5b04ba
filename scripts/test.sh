#!/usr/bin/env bash
# Build confmem and run every test four times: a normal build, a build
# with AddressSanitizer and UndefinedBehaviorSanitizer, a Release (-O3)
# build and a clang build, each with -Werror. Ends with "N passed, N
# failed" over all runs.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/setup.sh"
confmem_setup || exit 1
set +e	# setup.sh sets -e; a failing build or test must not stop the count
jobs=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0
for variant in build build-asan build-release build-clang; do
	case "$variant" in
	build) opts=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
	build-asan) opts=(-DCONFMEM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug) ;;
	build-release) opts=(-DCMAKE_BUILD_TYPE=Release) ;;
	build-clang) opts=(-DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
	esac
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
