#!/usr/bin/env bash
# Write confmem's manual pages and bash completion script from the built
# program's own tables (run by the build: the `doc` target).
# usage: gen-doc.sh CONFMEM OUTDIR
set -euo pipefail
confmem=$1
out=$2
mkdir -p "$out/man1" "$out/completion"
"$confmem" --man > "$out/man1/confmem.1.tmp"
mv "$out/man1/confmem.1.tmp" "$out/man1/confmem.1"
for cmd in $("$confmem" --commands); do
	"$confmem" --man "$cmd" > "$out/man1/confmem-$cmd.1.tmp"
	mv "$out/man1/confmem-$cmd.1.tmp" "$out/man1/confmem-$cmd.1"
done
"$confmem" --bash-completion > "$out/completion/confmem.tmp"
mv "$out/completion/confmem.tmp" "$out/completion/confmem"
