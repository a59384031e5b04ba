# Fleets (SPEC 14): plan, nodes and diagnose over many boot logs in one
# process, JSON Lines in input order, a bad log on its own line, -j N.
. "$(dirname "$0")/lib.sh"

fleet="$tmp/fleet"
mkdir -p "$fleet/sub"
for f in tdx135 tdx385 journal laptop bad_e820; do cp "$DATA/dmesg/$f.log" "$fleet/$f.log"; done
for f in "$DATA"/dmesg/profiles/*.log; do cp "$f" "$fleet/profile-$(basename "$f")"; done
cp "$DATA/dmesg/tdx385.log" "$fleet/sub/ignored.log"	# subdirectories are not hosts
touch "$fleet/.hidden"
nr=$(find "$fleet" -maxdepth 1 -type f -name '*.log' | wc -l)

run plan --dmesg "$fleet"
expect_status 2		# the worst host: bad_e820.log is bad input
nr_checks=$((nr_checks + 1))
[ "$(printf '%s\n' "$out" | wc -l)" -eq "$nr" ] || fail "expected $nr lines"
expect_err_line "confmem plan: $nr hosts: 7 ok, 2 refused, 1 bad input"
# Each host's exit_status is what plan exits with for that log alone (laptop.log: no TDX, 0).
for f in "$fleet"/*.log; do
	nr_checks=$((nr_checks + 1))
	"$CONFMEM" plan --dmesg "$f" > /dev/null 2>&1
	alone=$?
	line=$(printf '%s\n' "$out" | grep -F "\"path\":\"$f\"")
	[ "$(printf '%s' "$line" | jq -r .exit_status)" = "$alone" ] || fail "$(basename "$f"): exit_status differs from plan alone ($alone)"
done
nr_checks=$((nr_checks + 1))
got=$(printf '%s\n' "$out" | jq -r .path | xargs -n1 basename | tr '\n' ' ')
want=$(cd "$fleet" && ls *.log | tr '\n' ' ')
[ "$got" = "$want" ] || fail "paths not in input order: $got"
nr_checks=$((nr_checks + 1))
line=$(printf '%s\n' "$out" | grep '/bad_e820.log"')
[ "$(printf '%s' "$line" | jq -r '"\(.exit_status) \(.error)"')" = "2 $fleet/bad_e820.log:7: BIOS-e820 line: expected ']' after the end address" ] ||
	fail "bad log line: $line"
nr_checks=$((nr_checks + 1))
[ "$(printf '%s\n' "$out" | grep '/tdx135.log"' | jq -r '"\(.exit_status) \(.plan.kernel) \(.plan.result)"')" = \
  "1 cmr-print reserved_areas_exhausted" ] || fail "tdx135 line"

# -j 2 gives the same lines; so do repeated --dmesg and paths on stdin.
serial=$out
run plan --dmesg "$fleet" -j 2
expect_status 2
nr_checks=$((nr_checks + 1))
[ "$out" = "$serial" ] || fail "-j 2 differs from -j 1"
run plan --dmesg "$fleet/tdx135.log" --dmesg "$fleet/tdx385.log"
expect_status 1
expect_err_line "confmem plan: 2 hosts: 1 ok, 1 refused, 0 bad input"
nr_checks=$((nr_checks + 1))
stdin_out=$(printf '%s\n\n%s\n' "$fleet/tdx135.log" "$fleet/tdx385.log" | "$CONFMEM" plan --dmesg - 2>/dev/null)
[ "$stdin_out" = "$out" ] || fail "paths on stdin differ from repeated --dmesg"

# The JSON Lines load into SQLite; the summary's totals equal the per-host figures.
printf '%s\n' "$serial" > "$tmp/fleet.jsonl"
summary=$(sqlite3 :memory: <<SQL
.mode ascii
.separator "\037" "\n"
create table host(line text);
.import $tmp/fleet.jsonl host
.mode list
.separator " "
select count(*), sum(json_extract(line, '\$.plan.pamt_kb')), sum(json_extract(line, '\$.exit_status') = 0),
       count(json_extract(line, '\$.error')) from host;
SQL
)
want=$(printf '%s\n' "$serial" | jq -s '"\(length) \(map(.plan.pamt_kb // 0) | add) \(map(select(.exit_status == 0)) | length) \(map(select(.error)) | length)"' -r)
nr_checks=$((nr_checks + 1))
[ "$summary" = "$want" ] || fail "sqlite summary '$summary', per-host figures '$want'"

# nodes and diagnose take fleets too.
run nodes --dmesg "$fleet/tdx385.log" --dmesg "$fleet/journal.log"
expect_status 0
nr_checks=$((nr_checks + 1))
[ "$(printf '%s\n' "$out" | jq -c '[(.path | split("/") | last), (.nodes | length)]' | tr '\n' ' ')" = '["tdx385.log",2] ["journal.log",3] ' ] ||
	fail "nodes fleet: $out"
run diagnose --dmesg "$fleet" -j 2
expect_status 2
expect_err_line "confmem diagnose: $nr hosts: 7 ok, 2 refused, 1 bad input"
nr_checks=$((nr_checks + 1))
[ "$(printf '%s\n' "$out" | grep '/tdx135.log"' | jq -r '.diagnosis.findings[0].id')" = reserved-areas-exhausted ] ||
	fail "diagnose fleet: tdx135"

# What a fleet does not take.
run plan --dmesg "$fleet" --svg "$tmp/x.svg"
expect_status 2
expect_err_contains "take one log, not a fleet"
run report --dmesg "$fleet/tdx135.log" --dmesg "$fleet/tdx385.log"
expect_status 2
expect_err_contains "report: one --dmesg FILE (several logs go with plan, nodes or diagnose)"
run plan --dmesg "$fleet/tdx135.log" -j 2
expect_status 2
expect_err_contains "--jobs goes with several logs"
run plan --dmesg "$fleet" -j 0
expect_status 2
expect_err_contains "--jobs: expected 1..256, found 0"
run plan --dmesg "$tmp/absent-dir/"
expect_status 2
finish
