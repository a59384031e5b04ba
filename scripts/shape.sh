#!/usr/bin/env bash
# The shape of the library: files over 800 lines and functions over 80 lines.
# A function runs from its opening brace in column 0 to its closing brace in
# column 0 (the kernel's style, which the whole tree follows); its length is
# counted from the line that names it to the closing brace.
#   bash scripts/shape.sh [DIR...]     (default: lib)
# Exits 1 when anything is over a limit.
set -u
cd "$(dirname "$0")/.." || exit 2
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(lib)
over=0
while read -r n f; do
	[ "$f" = total ] && continue
	if [ "$n" -gt 800 ]; then echo "file $f: $n lines"; over=1; fi
done < <(find "${dirs[@]}" -name '*.[ch]' -exec wc -l {} +)
funcs=$(find "${dirs[@]}" -name '*.c' -print0 | xargs -0 awk '
	FNR == 1 { name = ""; start = 0 }
	/^[A-Za-z_].*\(/ && !/;[ \t]*$/ { name = $0; start = FNR }
	/^\{/ && name != "" { open = start }
	/^\}/ && open { len = FNR - open + 1; if (len > 80) printf "function %s:%d: %d lines: %s\n", FILENAME, open, len, name; open = 0; name = "" }
')
if [ -n "$funcs" ]; then echo "$funcs"; over=1; fi
exit $over
