# sim's "what happened:" (text) and "summary" (JSON): sentences from what the
# engine recorded, each only when it happened; the text shows exactly the
# JSON's sentences, in the same order (docs/scenarios.md).
. "$(dirname "$0")/lib.sh"

ex="$SRC/examples"

# summary_matches_text SCENARIO ARGS...: the text's lines under "what happened:" are the JSON's texts.
summary_matches_text() {
	local json_texts text_lines
	run sim "$@" --json --quiet
	status_checked=1
	json_texts=$(printf '%s\n' "$out" | jq -r '.summary[].text | "  " + .')
	run sim "$@" --quiet
	status_checked=1
	text_lines=$(printf '%s\n' "$out" | sed -n '/^what happened:$/,/^$/p' | sed '1d;/^$/d')
	nr_checks=$((nr_checks + 1))
	[ -n "$json_texts" ] && [ "$json_texts" = "$text_lines" ] || fail "text and JSON summaries differ for $*"
}

# Demotion disabled by its knob: nothing demoted, and the sentence says why; swap took the pages instead.
run sim "$ex/tiering-dram-cxl-swap.json" --json --quiet
expect_status 0
expect_jq '[.summary[] | select(.what == "demotion")] | length' 0
expect_jq '[.summary[] | select(.what == "no_demotion")][0].reason' disabled
expect_jq '[.summary[] | select(.what == "no_demotion")][0].count > 0' true
expect_jq '[.summary[] | select(.what == "swap")][0].bytes == .counters.pswpout * 4096' true
expect_jq '[.summary[] | select(.what == "swap")][0].count == .counters.pswpout' true
run sim "$ex/tiering-dram-cxl-swap.json" --quiet
expect_status 0
expect_line "what happened:"
expect_contains "  Nothing was demoted: demotion is off (demotion_enabled=0, and zone_reclaim_mode without RECLAIM_MIGRATE); "
expect_contains "  Reclaim swapped out 1.35 GiB (353376 pages, pswpout) and 864.00 MiB came back in (pswpin); 0 B of the 2.00 GiB swap device was in use at the end."
summary_matches_text "$ex/tiering-dram-cxl-swap.json"

# The same scenario with demotion on: how much was demoted, and no "disabled" reason.
run sim "$ex/tiering-dram-cxl-demote.json" --json --quiet
expect_status 0
expect_jq '[.summary[] | select(.what == "demotion")][0].count == .counters.pgdemote_kswapd + .counters.pgdemote_direct' true
expect_jq '[.summary[] | select(.what == "demotion")][0].bytes' 541458432
expect_jq '[.summary[] | select(.reason == "disabled")] | length' 0
run sim "$ex/tiering-dram-cxl-demote.json" --quiet
expect_status 0
expect_line "  Reclaim demoted 516.38 MiB (132192 pages) to lower-tier nodes: 426.38 MiB by kswapd, 90.00 MiB by direct and memory-cgroup reclaim."

# Memory-cgroup reclaim under tiering.memcg_demotion=never: the knob is the reason.
run sim "$ex/memcg-limit-no-demote.json" --json --quiet
expect_status 0
expect_jq '[.summary[] | select(.what == "no_demotion")] | map(.reason) | join(",")' memcg_never
expect_contains "Nothing was demoted: memory-cgroup reclaim may not demote (tiering.memcg_demotion=never); "
# tiering.memcg_demotion=model with the distance model: the other reason, named.
run sim "$ex/memcg-limit-no-demote.json" --set tiering.memcg_demotion=model --set tiering.model=distance --json --quiet
expect_status 0
expect_jq '[.summary[] | select(.what == "no_demotion")] | map(.reason) | join(",")' memcg_distance

# A refused hot-add (hotplug.mode=check): when, the range, the verdict's reason.
run sim "$ex/cxl-hotadd-tdx-check.json" --json --quiet
expect_status 0
expect_jq '.summary | length' 1
expect_jq '.summary[0].what' hotadd_refused
expect_jq '.summary[0].at_ms' 100
expect_jq '.summary[0].errno' -22
expect_jq '.summary[0].bytes' 2147483648
expect_jq '.summary[0].count' 16
expect_jq '.events[0].result as $reason | .summary[0].text | contains($reason)' true
run sim "$ex/cxl-hotadd-tdx-check.json" --quiet
expect_status 0
expect_line "  The hot-add of 2.00 GiB at [0x1000000000, 0x1080000000) at 100 ms was refused: hot-add refused (-EINVAL): [0x1000000000, 0x1080000000) is not TDX memory; use hotplug.mode=devdax to give it to ordinary VMs, or boot with tdx.mixed=exclude."
# hotplug.mode=notifier: added, every block's online refused with EPERM.
run sim "$ex/cxl-hotadd-tdx-notifier.json" --json --quiet
expect_status 0
expect_jq '.summary[0].what' hotadd_refused
expect_jq '.summary[0].errno' -1
expect_jq '.summary[0].count' 16
expect_jq '.summary[0].text | contains("onlining was refused for 16 of 16 memory blocks")' true
# An accepted hot-add is no refusal.
run sim "$ex/cxl-hotadd.json" --json --quiet
expect_status 0
expect_jq '[.summary[] | select(.what == "hotadd_refused")] | length' 0

# An OOM kill at a cgroup's memory.max: who, which cgroup and limit, what it held.
run sim "$ex/memcg-demote-oom.json" --json --quiet
expect_status 0
expect_jq '[.summary[] | select(.what == "oom_kill")] | length' 1
expect_jq '[.summary[] | select(.what == "oom_kill")][0] | [.actor, .cgroup, .reason, .at_ms, .bytes] | join(" ")' \
	"hog /job memory_max 12 209715200"
expect_jq '[.summary[] | select(.what == "no_swap")] | length' 1
run sim "$ex/memcg-demote-oom.json" --quiet
expect_status 0
expect_line "  The OOM killer killed hog (process in /job, at 12 ms): /job was at its memory.max of 200.00 MiB and reclaim could not bring it below; hog held the most memory in /job, 200.00 MiB resident and 0 B swapped."
summary_matches_text "$ex/memcg-demote-oom.json"

# A global OOM (no swap, demotion off): no cgroup to blame, and the reasons beside it.
run sim "$ex/tiering-dram-cxl-oom.json" --json --quiet
expect_status 0
expect_jq '[.summary[] | select(.what == "oom_kill")][0] | [.actor, .reason, (.cgroup // "none")] | join(" ")' \
	"db global_oom none"
expect_jq '[.summary[] | .what] | join(",")' "no_demotion,no_swap,oom_kill"
run sim "$ex/tiering-dram-cxl-oom.json" --quiet
expect_status 0
expect_contains "  The OOM killer killed db (process in /, at 127 ms): out of memory (a global OOM): "
expect_line "  There is no swap (swap_bytes=0): reclaim could take anonymous pages only by demoting them."

# An OOM kill of an enclave's backing memory names its cgroup's ancestor whose limit was enforced.
run sim "$ex/sgx-cgroup-memcg.json" --json --quiet
expect_status 0
expect_jq '[.summary[] | select(.what == "oom_kill") | .cgroup] | unique | join(",")' /sgx
expect_jq '([.summary[] | select(.what == "oom_kill")] | length) == .counters.oom_kill' true

# sgx.oom=kill-enclave: the enclave killed and the cgroup at misc.max.
run sim "$ex/sgx-cgroup-small.json" --set sgx.oom=kill-enclave --json --quiet
expect_status 0
expect_jq '[.summary[] | select(.what == "sgx_oom_kill")][0] | [.actor, .cgroup, .reason] | join(" ")' \
	"enclave1 /sgx misc_max"
run sim "$ex/sgx-cgroup-small.json" --set sgx.oom=kill-enclave --quiet
expect_status 0
expect_contains "  sgx.oom=kill-enclave killed enclave1 at 0 ms: /sgx was at its misc.max of EPC with nothing reclaimable"

# Nothing happened of these kinds: an empty array, and the text says so.
run sim "$ex/sgx-cgroup-small.json" --json --quiet
expect_status 0
expect_jq '.summary | length' 0
run sim "$ex/sgx-cgroup-small.json" --quiet
expect_status 0
expect_line "  nothing to report: no demotion, swap, OOM kill or refused hot-add"

# -u: the amounts for people, the same fields.
run sim "$ex/memcg-demote-oom.json" --json -u --quiet
expect_status 0
expect_jq '[.summary[] | select(.what == "oom_kill")][0].bytes' "200.00 MiB (209.72 MB)"
# The actor's own end reason names the cgroup whose limit the killer enforced:
# a parent's, when the actor sits in a child without a limit of its own.
jq '.cgroups += [{"path": "/job/child"}] | .actors[0].cgroup = "/job/child"' "$ex/memcg-demote-oom.json" > "$tmp/child.json"
run sim "$tmp/child.json" --json --quiet
expect_status 0
expect_jq '.actors[0].reason' "killed by the OOM killer: memory cgroup /job could not reclaim below memory.max"
expect_jq '[.summary[] | select(.what == "oom_kill")][0].cgroup' /job
# Scans that found nothing to take (no swap, demotion off: anonymous pages
# are not scanned) say so, instead of "looked at 0 B".
run sim "$ex/tiering-dram-cxl-oom.json" --quiet
expect_status 0
expect_contains "Nothing was demoted: demotion is off (demotion_enabled=0, and zone_reclaim_mode without RECLAIM_MIGRATE); 6 reclaim scans of a node's LRU lists found no page they could take."
nr_checks=$((nr_checks + 1))
grep -q "looked at 0 B" <<< "$out" && fail "a sentence about scans that looked at 0 B"
finish
