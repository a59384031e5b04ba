# Every --help keeps its columns. An option's text starts in column 25 (after
# two spaces, 21 of option and a space); an option longer than that stands
# alone and its text follows on the next line in column 25. In the knob table the
# values start in column 28 and the meanings in column 51; values longer
# than their column stand alone and the meaning follows in column 51.
. "$(dirname "$0")/lib.sh"

# columns_awk: prints each line out of its columns; section headers (lines
# that do not start with a space) say which layout the lines below follow.
columns_awk='
function starts_at(col) { return substr($0, 1, col - 1) ~ /^ *$/ && substr($0, col, 1) != " " && $0 != "" }
function alone(s) { return s !~ /[^ ]  +[^ ]/ }	# one cell: no run of spaces inside
# A line standing alone wants its text on the next line, in column "wrap".
wrap { if (!starts_at(wrap)) print "nothing in column " wrap " under: " prev; wrap = 0; next }
/^[^ ]/ { section = $0; next }
/^ *$/ { next }
section ~ /^Subcommands|^Columns/ { next }	# laid out by their own widths
section ~ /^Configuration knobs/ && $0 !~ /^  -/ {
	if (substr($0, 1, 2) != "  " || substr($0, 27, 1) != " " || substr($0, 28, 1) == " " || substr($0, 3, 24) !~ /^[a-z_.]+ *$/) { print "knob: " $0; next }
	if (length($0) > 50 && substr($0, 50, 1) == " " && substr($0, 51, 1) != " ") next
	if (alone(substr($0, 28))) { wrap = 51; prev = $0; next }
	print "knob meaning: " $0; next
}
{
	if ($0 !~ /^  [^ ]/) { print "indent: " $0; next }
	if (length($0) > 24 && substr($0, 24, 1) == " " && substr($0, 25, 1) != " " && alone(substr($0, 3, 21))) next
	if (alone(substr($0, 3))) { wrap = 25; prev = $0; next }
	print "option: " $0
}
END { if (wrap) print "nothing in column " wrap " under: " prev }
'

for cmd in "" report plan nodes hotplug sim exec sgx module-config diagnose presets bench; do
	if [ -z "$cmd" ]; then run --help; else run "$cmd" --help; fi
	expect_status 0
	bad=$(awk "$columns_awk" <<< "$out")
	nr_checks=$((nr_checks + 1))
	[ -z "$bad" ] || fail "confmem ${cmd:-} --help, out of column: $bad"
done

# The two long ones that used to push their text out of line.
run nodes --help
expect_status 0
nr_checks=$((nr_checks + 1))
grep -A1 -x '  --live \[--sysroot DIR\]' <<< "$out" | tail -1 | grep -q "^ \{24\}this machine's" ||
	fail "--live [--sysroot DIR] is not alone with its text in column 25 on the next line"
nr_checks=$((nr_checks + 1))
grep -A1 '^  tdx.kernel ' <<< "$out" | tail -1 | grep -q "^ \{50\}which kernel's TDX code" ||
	fail "tdx.kernel's meaning is not in column 51 on the next line"

# The checker itself finds a line out of column.
nr_checks=$((nr_checks + 1))
bad=$(printf 'Output:\n  --live [--sysroot DIR] this machine\n' | awk "$columns_awk")
[ -n "$bad" ] || fail "the column check passes a line whose text is out of column"
finish
