# Shared helpers for the command-line tests: run confmem, check status and output.
# `run ARGS...` keeps stdout in $out and stderr in $err, apart, and its exit
# status in $status; the next run (or finish) fails the test when nothing
# checked that status. JSON is read from $out only.
set -u
: "${CONFMEM:?}" "${SRC:?}" "${DATA:?}"
nr_checks=0
nr_failures=0
out=""
err=""
status=0
status_checked=1
last_command=""

check_status_checked() {
	[ "$status_checked" -eq 1 ] && return
	nr_checks=$((nr_checks + 1))
	fail "nothing checked the exit status of: confmem $last_command"
	status_checked=1
}

# run_prefixed "PREFIX..." ARGS...: run confmem ARGS under a command prefix
# (timeout, a ulimit subshell...), keeping stdout, stderr and status as run does.
run_prefixed() {
	local -a prefix
	read -r -a prefix <<< "$1"
	shift
	check_status_checked
	last_command="$*${prefix[*]:+ (${prefix[*]})}"
	"${prefix[@]}" "$CONFMEM" "$@" > "$tmp/run.stdout" 2> "$tmp/run.stderr"
	status=$?
	out=$(cat "$tmp/run.stdout")
	err=$(cat "$tmp/run.stderr")
	status_checked=0
}

run() {
	run_prefixed "" "$@"
}

fail() {
	echo "FAIL: $*"
	echo "--- last command: confmem $last_command (exit $status)"
	echo "--- stdout:"
	printf '%s\n' "$out" | head -40
	echo "--- stderr:"
	printf '%s\n' "$err" | head -20
	nr_failures=$((nr_failures + 1))
}

expect_status() {
	nr_checks=$((nr_checks + 1))
	status_checked=1
	[ "$status" -eq "$1" ] || fail "expected exit $1, got $status"
}

# The checks below read stdout; the expect_err_* ones read stderr.
expect_line() {
	nr_checks=$((nr_checks + 1))
	printf '%s\n' "$out" | grep -qxF -- "$1" || fail "no line on stdout: $1"
}

expect_contains() {
	nr_checks=$((nr_checks + 1))
	printf '%s\n' "$out" | grep -qF -- "$1" || fail "no text on stdout: $1"
}

expect_last_line() {
	nr_checks=$((nr_checks + 1))
	[ "$(printf '%s\n' "$out" | tail -n 1)" = "$1" ] || fail "last line of stdout is not: $1"
}

expect_err_line() {
	nr_checks=$((nr_checks + 1))
	printf '%s\n' "$err" | grep -qxF -- "$1" || fail "no line on stderr: $1"
}

expect_err_contains() {
	nr_checks=$((nr_checks + 1))
	printf '%s\n' "$err" | grep -qF -- "$1" || fail "no text on stderr: $1"
}

expect_no_err() {
	nr_checks=$((nr_checks + 1))
	[ -z "$err" ] || fail "unexpected text on stderr"
}

# expect_jq FILTER VALUE: jq -r FILTER on stdout prints VALUE
expect_jq() {
	nr_checks=$((nr_checks + 1))
	local got
	got=$(printf '%s\n' "$out" | jq -r "$1" 2>&1) || { fail "jq $1 failed: $got"; return; }
	[ "$got" = "$2" ] || fail "jq $1: expected $2, got $got"
}

finish() {
	check_status_checked
	echo "$((nr_checks - nr_failures)) passed, $nr_failures failed"
	[ "$nr_failures" -eq 0 ]
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
