# Shared helpers for the command-line tests: run confmem, check status and output.
set -u
: "${CONFMEM:?}" "${SRC:?}" "${DATA:?}"
nr_checks=0
nr_failures=0
out=""
status=0

run() {
	out=$("$CONFMEM" "$@" 2>&1)
	status=$?
}

fail() {
	echo "FAIL: $*"
	echo "--- output of the last command:"
	printf '%s\n' "$out" | head -40
	nr_failures=$((nr_failures + 1))
}

expect_status() {
	nr_checks=$((nr_checks + 1))
	[ "$status" -eq "$1" ] || fail "expected exit $1, got $status"
}

expect_line() {
	nr_checks=$((nr_checks + 1))
	printf '%s\n' "$out" | grep -qxF -- "$1" || fail "no line: $1"
}

expect_contains() {
	nr_checks=$((nr_checks + 1))
	printf '%s\n' "$out" | grep -qF -- "$1" || fail "no text: $1"
}

expect_last_line() {
	nr_checks=$((nr_checks + 1))
	[ "$(printf '%s\n' "$out" | tail -n 1)" = "$1" ] || fail "last line is not: $1"
}

# expect_jq FILTER VALUE: jq -r FILTER on the output prints VALUE
expect_jq() {
	nr_checks=$((nr_checks + 1))
	local got
	got=$(printf '%s\n' "$out" | jq -r "$1" 2>&1) || { fail "jq $1 failed: $got"; return; }
	[ "$got" = "$2" ] || fail "jq $1: expected $2, got $got"
}

finish() {
	echo "$((nr_checks - nr_failures)) passed, $nr_failures failed"
	[ "$nr_failures" -eq 0 ]
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
