# Scenarios cannot make confmem sim allocate or run without bound (issue 15):
# memory sized by a field is bounded or allocated as used, the run's work is
# estimated and refused over a budget, and per-step work does not grow with
# the number of actors. Each reproducer also runs under ulimit -v 2000000.
. "$(dirname "$0")/lib.sh"

S="$DATA/scenarios"

# run_limited ARGS...: run with at most 2000000 KiB of address space
# (AddressSanitizer reserves terabytes of shadow: an ASan build runs unlimited).
limit_kib=2000000
ldd "$CONFMEM" 2>/dev/null | grep -q libasan && limit_kib=unlimited
run_limited() {
	check_status_checked
	last_command="(ulimit -v $limit_kib) $*"
	(ulimit -v "$limit_kib" && exec "$CONFMEM" "$@") > "$tmp/run.stdout" 2> "$tmp/run.stderr"
	status=$?
	out=$(cat "$tmp/run.stdout")
	err=$(cat "$tmp/run.stderr")
	status_checked=0
}

# An actor mapping 15 TiB is refused at its field, before any table exists.
for runner in run run_limited; do
	$runner sim "$S/anon-15T.json"
	expect_status 2
	expect_err_line "confmem: $S/anon-15T.json: \$.actors[1].anon: the actors' memory reaches 15.00 TiB here, over the limit of 64.00 GiB (4 times the platform's memory and swap, 4.00 GiB; at least 64 GiB, at most 16 TiB)"
done

# More boot memory than the engine's 2^30 - 16 frames (4 TiB) is refused at the platform,
# before any table exists; a hot-add past it stops the run at its event.
for runner in run run_limited; do
	$runner sim "$S/platform-5T.json"
	expect_status 2
	expect_err_line "confmem: $S/platform-5T.json: \$.platform: 5.00 TiB of boot memory (1342177280 frames), more than the engine simulates: 4.00 TiB (1073741808 frames)"
done
run sim "$S/hotadd-past-4T.json"
expect_status 2
expect_err_line "confmem: $S/hotadd-past-4T.json: the hotadd at 10 ms: 1074003968 frames to simulate, more than the engine's 1073741808 (4 TiB)"

# A vEPC of 4P holds at most the platform's 16M of EPC: it faults that in and gets SIGBUS.
for runner in run run_limited; do
	$runner sim "$S/vepc-4P.json" --json
	expect_status 0
	expect_jq '.actors[0].outcome' failed
done

# rate 1e9 for 1e9 ms: refused with the estimate, unless the budget is raised.
for runner in run run_limited; do
	$runner sim "$S/rate-1e9.json"
	expect_status 2
	expect_err_line "confmem: $S/rate-1e9.json: the run would make about 1.0e18 page events, over the budget of 1e10 (sim --max-events N)"
done
run sim "$S/rate-1e9.json" --max-events 1000
expect_status 2
expect_err_contains "over the budget of 1e3 (sim --max-events N)"
run sim "$S/vepc-4P.json" --max-events 100
expect_status 2
expect_err_contains "the run would make about 4.1e3 page events, over the budget of 1e2"
run sim "$S/vepc-4P.json" --max-events 0
expect_status 2
expect_err_line "confmem: sim: --max-events: expected at least 1, found 0"

# 100 000 actors: a step that kills nothing does not walk every actor (it was quadratic).
jq -n '{platform: "single", duration_ms: 10,
	actors: [range(100000) | {name: "a\(.)", anon: 4096, access: {rate: 1}}]}' > "$tmp/100k-actors.json"
runners="run run_limited"
[ "$limit_kib" = unlimited ] && runners=run
for runner in $runners; do
	SECONDS=0
	$runner sim "$tmp/100k-actors.json" --json
	expect_status 0
	expect_jq '.actors | length' 100000
	expect_jq '[.actors[] | select(.outcome == "running")] | length' 100000
	[ "$SECONDS" -lt 60 ] || fail "100 000 actors took $SECONDS s"
done

finish
