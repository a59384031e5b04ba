# Every subcommand's --json against docs/json.md: each field printed is
# listed there for that command with its type, raw and with -u (a size is
# a number of bytes, and "64.00 GiB (68.72 GB)" with -u; an address
# "0x..."), and the rules hold everywhere: no *_kb without its *_bytes, no
# range named start/end/last (ranges are base/size), no null, snake_case.
. "$(dirname "$0")/lib.sh"

doc="$SRC/docs/json.md"
fields="$tmp/fields.tsv"

# docs/json.md's tables as "SECTION<TAB>PATH<TAB>TYPE" rows.
awk '
	/^<!-- json: [a-z-]+ -->$/ { section = $3; next }
	/^$/ { section = "" }
	section != "" && /^\| `/ {
		n = split($0, col, "|")
		path = col[2]; type = col[3]; meaning = col[4]
		gsub(/[ `]/, "", path); gsub(/ /, "", type)
		if (path ~ /\.\.\.$/) {
			sub(/\.\.\.$/, "", path)
			match(meaning, /`[a-z-]+`/)
			type = "include:" substr(meaning, RSTART + 1, RLENGTH - 2)
		}
		printf "%s\t%s\t%s\n", section, path, type
	}' "$doc" > "$fields"
nr_checks=$((nr_checks + 1))
[ "$(cut -f1 "$fields" | sort -u | wc -l)" -ge 11 ] || fail "docs/json.md: fewer sections than commands"

# JSON paths of stdout as "PATH<TAB>TYPE" (array indices as []).
json_paths() {
	jq -r 'paths(type != "object" and type != "array") as $p |
		"\($p | map(if type == "number" then "[]" else . end) | join(".") | gsub("\\.\\[\\]"; "[]"))\t\(getpath($p) | type)"' |
		sort -u
}

# check_fields SECTION MODE: every path of $out is documented in SECTION with a matching type.
check_fields() {
	printf '%s\n' "$out" | json_paths | awk -F '\t' -v section="$1" -v mode="$2" -v fields="$fields" '
		BEGIN {
			while ((getline line < fields) > 0) {
				split(line, f, "\t")
				n[f[1]]++
				path[f[1], n[f[1]]] = f[2]
				type[f[1], n[f[1]]] = f[3]
			}
		}
		function pattern(p, t) {
			gsub(/\./, "\\.", p); gsub(/\[/, "\\[", p); gsub(/\]/, "\\]", p); gsub(/\*/, "[a-z0-9_]+", p)
			return "^" p (t == "nodes" ? "(\\[\\])?" : "") "$"
		}
		# The documented type of P in section S, or "" when P is not documented there.
		function lookup(s, p,    i, t, prefix, rest) {
			for (i = 1; i <= n[s]; i++) {
				t = type[s, i]
				if (t ~ /^include:/) {
					prefix = path[s, i]
					sub(/\[\]$/, "", prefix)
					if (substr(p, 1, length(prefix)) != prefix)
						continue
					rest = substr(p, length(prefix) + 1)
					sub(/^\./, "", rest)
					t = lookup(substr(t, 9), rest)
					if (t != "")
						return t
				} else if (p ~ pattern(path[s, i], t)) {
					return t == "" ? "any" : t
				}
			}
			return ""
		}
		function fits(t, got, human) {
			if (t == "any") return 1
			if (t == "bytes") return human ? got == "string" : got == "number" || got == "string"
			if (t == "address") return human ? got == "string" : got == "number"
			if (t == "count" || t == "nodes") return got == "number"
			if (t == "string" || t == "lines") return got == "string"
			if (t == "boolean") return got == "boolean"
			return 0
		}
		{
			t = lookup(section, $1)
			if (t == "")
				print "undocumented field " $1 " (" section ")"
			else if (!fits(t, $2, mode == "human"))
				print "field " $1 " is a " $2 " with " mode " output; docs/json.md says " t
		}' > "$tmp/problems"
	nr_checks=$((nr_checks + 1))
	[ -s "$tmp/problems" ] && fail "$(sort -u "$tmp/problems" | head -20)"
}

check_rules() {
	nr_checks=$((nr_checks + 1))
	local broken
	broken=$(printf '%s\n' "$out" | jq -r '
		[.. | objects | . as $o | keys[] |
		 select(endswith("_kb")) | . as $k | select($o | has($k | sub("_kb$"; "_bytes")) | not) |
		 "\($k) without its _bytes"] +
		[.. | objects | keys[] | select(. == "start" or . == "end" or . == "last") | "a range named \(.)"] +
		[.. | objects | keys[] | select(test("^[a-z][a-z0-9_]*$") | not) | "not snake_case: \(.)"] +
		[.. | select(. == null) | "a null value"] | unique | .[]')
	[ -z "$broken" ] && return
	fail "$broken"
}

# check SECTION ARGS...: the command's JSON, raw and with -u, against SECTION and the rules.
check() {
	local section=$1
	shift
	run "$@" --json
	status_checked=1
	nr_checks=$((nr_checks + 1))
	if [ -z "$out" ] || [ "$status" -gt 1 ]; then
		fail "no JSON (exit $status)"
		return
	fi
	check_fields "$section" raw
	check_rules
	run "$@" --json -u
	status_checked=1
	check_fields "$section" human
	# -u changes how a size reads, never which fields there are.
	nr_checks=$((nr_checks + 1))
	[ "$(printf '%s\n' "$out" | json_paths | cut -f1 | sort -u)" = \
	  "$("$CONFMEM" "$@" --json 2>/dev/null | json_paths | cut -f1 | sort -u)" ] ||
		fail "-u changes the fields of confmem $*"
}

check plan plan
check plan plan --preset big
check plan plan --preset mixed
check plan plan --preset mixed --set tdx.mixed=exclude
check plan plan --platform "$SRC/examples/memory-tiers-example.json"
# -v adds the steps: as they run on success, on each kind of failure, and with tdx.mixed=exclude.
check plan plan -v
check plan plan --preset mixed -v
check plan plan --preset mixed --holes cmr -v
check plan plan --preset mixed --set tdx.mixed=exclude -v
check plan plan --dmesg "$DATA/dmesg/tdx135.log" -v
check plan plan --platform "$DATA/json/pamt_no_stride_fits.json" -v
check report report -v
for log in "$DATA"/dmesg/*.log; do
	"$CONFMEM" plan --dmesg "$log" --json > /dev/null 2>&1
	[ $? -le 1 ] && check plan plan --dmesg "$log"
done
check profiles plan --kernel all
check profiles plan --dmesg "$DATA/dmesg/laptop.log" --kernel all
check nodes nodes
check nodes nodes --preset big
for which in capable tdx all cpu; do
	check nodemask nodes --nodemask "$which"
done
check report report
check report report --preset big
check report report --preset mixed
check report report --dmesg "$DATA/dmesg/tdx135.log"
check hotplug hotplug 1T 64G
check hotplug hotplug 1T 64G --mode notifier
check hotplug hotplug 1T 64G --set tdx.mixed=exclude
check hotplug hotplug 2T 64G --new-node
for scenario in events cxl-hotadd cxl-hotadd-tdx-notifier memcg-limit-no-demote sgx-cgroup-small sgx-vepc \
		tiering-promotion td-misc-cgroup td-registration memcg-demote-oom; do
	check sim sim "$SRC/examples/$scenario.json"
done
# An actor without an access rate: a warning in "warnings".
check sim sim "$DATA/scenarios/tiering.json"
for log in "$DATA"/dmesg/*.log; do
	"$CONFMEM" diagnose --dmesg "$log" --json > /dev/null 2>&1
	[ $? -le 1 ] && check diagnose diagnose --dmesg "$log"
done
for bin in "$DATA"/tdmr_info/*.bin; do
	check module-config module-config --tdmr-info "$bin" --cmrs 1M-2G,4G-1028G
done
for enclave in "$DATA"/sgx/*.json; do
	"$CONFMEM" sgx measure "$enclave" --json > /dev/null 2>&1 && check sgx sgx measure "$enclave"
done
check presets presets
# Fleets: one JSON line per host, each {path, exit_status, the command's object}.
check fleet plan --dmesg "$DATA/dmesg/profiles"
check fleet nodes --dmesg "$DATA/dmesg/profiles"
check fleet diagnose --dmesg "$DATA/dmesg/profiles"
finish
