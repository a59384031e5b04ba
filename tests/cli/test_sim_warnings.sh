# An actor with no access rate is not an error: the reader warns, naming
# the actor's JSON path and what the engine then does; confmem sim prints
# each warning on stderr and lists them in --json's "warnings".
. "$(dirname "$0")/lib.sh"

cat > "$tmp/idle.json" <<'JSON'
{"platform": "default", "duration_ms": 10, "cgroups": [{"path": "/idle"}],
 "actors": [{"name": "busy", "anon": "1M", "access": {"rate": 10}},
            {"name": "idle", "cgroup": "/idle", "anon": "1M", "file": "1M"},
            {"name": "enc", "kind": "enclave", "heap": "64K", "access": {"pattern": "uniform"}},
            {"name": "vm", "kind": "vepc", "size": "64K"},
            {"name": "guest", "kind": "td", "private": "8M", "start_ms": "never"}],
 "expect": [{"counter": "cgroup:/idle.memory.peak", "op": "==", "value": 0}]}
JSON
process='$.actors[1]: no access rate ("access": {"rate": N} is absent or 0): a process'"'"'s pages are allocated when it first touches them, so it never allocates any: it holds no memory and reclaim never sees it'
enclave='$.actors[2]: no access rate ("access": {"rate": N} is absent or 0): its heap pages are added (EADD) when it starts and never touched again, so the EPC reclaimer sees them as cold and writes them back once it has passed over them'
td='$.actors[4]: no access rate ("access": {"rate": N} is absent or 0): at most its first 1024 private pages are added at build (TDH.MEM.PAGE.ADD): the guest accepts no others (TDH.MEM.PAGE.AUG) and never touches its shared pages, so they are never allocated'

# Text: the run goes on (exit 0: the idle process held nothing), one warning line per actor on stderr.
run sim "$tmp/idle.json"
expect_status 0
expect_err_line "confmem: warning: $process"
expect_err_line "confmem: warning: $enclave"
expect_err_line "confmem: warning: $td"
nr_warnings=$(printf '%s\n' "$err" | grep -c '^confmem: warning: ')
((nr_warnings == 3)) || fail "expected 3 warnings on stderr, found $nr_warnings"
nr_lines=$(printf '%s\n' "$err" | grep -c .)
((nr_lines == 3)) || fail "expected only the warnings on stderr, found $nr_lines lines"
expect_line "expect: 1 of 1 passed"

# JSON: the same warnings, in order, in "warnings"; stderr has them too.
run sim "$tmp/idle.json" --json
expect_status 0
expect_jq '.warnings | length' 3
expect_jq '.warnings[0]' "$process"
expect_jq '.warnings[1]' "$enclave"
expect_jq '.warnings[2]' "$td"
expect_jq '[.actors[] | select(.name == "idle")][0].resident_bytes' 0
expect_err_line "confmem: warning: $process"

# Every actor with a rate: no warning, an empty list.
run sim "$SRC/examples/tiering-dram-cxl-demote.json" --json --quiet
expect_status 0
expect_no_err
expect_jq '.warnings' '[]'

finish
