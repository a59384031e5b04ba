# Every command of tests/golden/commands prints, exits with and writes
# exactly what tests/golden/expected/ recorded. A change in output is either
# a regression or a fix; a fix re-records with
#   bash tests/golden/record.sh build/confmem . tests/golden/expected
# and names the change in its commit message.
. "$(dirname "$0")/lib.sh"
bash "$SRC/tests/golden/record.sh" "$CONFMEM" "$SRC" "$tmp/got" >/dev/null
for want in "$SRC"/tests/golden/expected/*.txt; do
	nr_checks=$((nr_checks + 1))
	got="$tmp/got/$(basename "$want")"
	if ! cmp -s "$want" "$got"; then
		out=$(diff -u "$want" "$got" | head -60)
		fail "$(head -n 1 "$want") differs from tests/golden/expected/$(basename "$want")"
	fi
done
nr_checks=$((nr_checks + 1))
[ "$(ls "$tmp/got" | wc -l)" -eq "$(ls "$SRC"/tests/golden/expected/*.txt | wc -l)" ] ||
	fail "the number of transcripts differs from tests/golden/expected"
finish
