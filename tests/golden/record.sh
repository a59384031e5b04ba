#!/usr/bin/env bash
# Run every command of tests/golden/commands and write one transcript per
# command (arguments, stdout, stderr, exit status, files written) into DIR.
# Used to record the golden transcripts and, by test_golden.sh, to compare.
#   record.sh CONFMEM SRC DIR
set -uo pipefail
confmem=$1 src=$2 dir=$3
mkdir -p "$dir" && dir=$(cd "$dir" && pwd)
rm -f "$dir"/*.txt
scratch=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)  # many small files: tmpfs when there is one
trap 'rm -rf "$scratch"' EXIT
cd "$src" || exit 2
n=0
while IFS= read -r line; do
	case "$line" in ''|'#'*) continue ;; esac
	n=$((n + 1))
	rm -rf "$scratch/OUT"
	read -r -a args <<< "${line//OUT/$scratch/OUT}"
	out=$(printf '%s/%03d.txt' "$dir" "$n")
	"$confmem" "${args[@]}" > "$scratch/stdout" 2> "$scratch/stderr"
	status=$?
	{
		printf '$ confmem %s\n' "$line"
		printf -- '--- exit %d\n--- stdout\n' "$status"
		sed "s|$scratch|SCRATCH|g" "$scratch/stdout"
		printf -- '--- stderr\n'
		sed "s|$scratch|SCRATCH|g" "$scratch/stderr"
		if [ -f "$scratch/OUT" ]; then
			printf -- '--- OUT\n'
			od -An -tx1 -v "$scratch/OUT" | sha256sum | cut -c1-64
			[ "$(head -c 4096 "$scratch/OUT" | tr -d '\0' | wc -c)" -eq "$(head -c 4096 "$scratch/OUT" | wc -c)" ] &&
				cat "$scratch/OUT"
		elif [ -d "$scratch/OUT" ]; then
			printf -- '--- OUT/\n'
			(cd "$scratch/OUT" && find . -type f | LC_ALL=C sort > ../list &&
				printf '%d files\n' "$(wc -l < ../list)" && head -20 ../list &&
				xargs -d '\n' sha256sum < ../list | sha256sum | cut -c1-64)
		fi
	} > "$out"
done < "$src/tests/golden/commands"
echo "$n transcripts"
