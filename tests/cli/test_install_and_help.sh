# Installed like a Linux tool: `cmake --install` puts the program, its
# manual pages, bash completion, examples and the library with a pkg-config
# file under a staging prefix; every page renders with man(1); every option
# of a command is in its page and its --help, and nothing else is; the
# completion completes subcommands, options, presets and knobs.
. "$(dirname "$0")/lib.sh"

build=$(dirname "$CONFMEM")
stage="$tmp/stage"
commands=$("$CONFMEM" --commands)

# --- help and version ---
run -V
expect_status 0
expect_line "confmem $("$CONFMEM" --version | cut -d' ' -f2)"
run help
expect_status 0
expect_contains "Subcommands:"
for cmd in $commands; do
	run help "$cmd"
	expect_status 0
	expect_contains "usage: confmem $cmd"
	[ "$out" = "$("$CONFMEM" "$cmd" --help)" ] || fail "confmem help $cmd differs from confmem $cmd --help"
done
run help no-such-command
expect_status 2
expect_err_contains "unknown subcommand 'no-such-command'"
run --preset big plan
expect_status 2
expect_err_contains "options go after the subcommand: confmem plan"
run plan --platform
expect_status 2
expect_err_line "confmem: option --platform needs a FILE"

# option_words CMD: the long options of CMD's --help (the column of option specs, not the prose).
option_words() {
	"$CONFMEM" "$1" --help | grep '^  -' | cut -c1-24 | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

# --- each command's --help lists only options that command takes ---
# An option is offered to the command, then an option no command knows: a
# listed option must fail only on the second (nothing runs either way).
for cmd in $commands; do
	for word in $(option_words "$cmd"); do
		[ "$word" = --help ] && continue
		run "$cmd" "$word" x --zz-no-such-option
		status_checked=1
		if printf '%s\n' "$err" | grep -qE "does not apply|unknown option '$word'"; then
			nr_checks=$((nr_checks + 1))
			fail "confmem $cmd --help lists $word, which $cmd does not take"
		fi
	done
done

# --- install into a staging prefix ---
nr_checks=$((nr_checks + 1))
cmake --install "$build" --prefix "$stage" > "$tmp/install.log" 2>&1 || fail "cmake --install failed: $(tail -5 "$tmp/install.log")"
for f in bin/confmem share/man/man1/confmem.1 share/bash-completion/completions/confmem lib/libconfmem.a \
	 lib/pkgconfig/confmem.pc include/confmem/platform.h share/doc/confmem/examples/default.json; do
	nr_checks=$((nr_checks + 1))
	[ -f "$stage/$f" ] || fail "not installed: $f"
done
for cmd in $commands; do
	nr_checks=$((nr_checks + 1))
	[ -f "$stage/share/man/man1/confmem-$cmd.1" ] || fail "no manual page confmem-$cmd.1"
done

# --- every page renders, without groff warnings, and names every option of its command ---
pages=("$stage"/share/man/man1/*.1)
if command -v man > /dev/null; then
	for page in "${pages[@]}"; do
		nr_checks=$((nr_checks + 1))
		text=$(MANWIDTH=200 man -l "$page" 2> "$tmp/man.err") || fail "man -l $page failed"
		[ -s "$tmp/man.err" ] && fail "man -l $page: $(cat "$tmp/man.err")"
		printf '%s\n' "$text" | grep -q '^NAME' || fail "man -l $page: no NAME section"
		if command -v groff > /dev/null; then
			warnings=$(groff -man -ww -z "$page" 2>&1)
			[ -z "$warnings" ] || fail "groff warnings for $page: $warnings"
		fi
	done
else
	echo "skip: man is not installed (Debian package man-db); the pages were not rendered"
fi
for cmd in $commands; do
	page="$stage/share/man/man1/confmem-$cmd.1"
	for word in $(option_words "$cmd"); do
		nr_checks=$((nr_checks + 1))
		grep -qF -- "$(printf '%s' "$word" | sed 's/-/\\-/g')" "$page" || fail "confmem-$cmd.1 does not mention $word"
	done
done

# --- the library through pkg-config ---
cat > "$tmp/user.c" <<'EOF'
#include <stdio.h>
#include <confmem/platform.h>

int main(void)
{
	printf("%zu presets, the first %s\n", cm_preset_count(), cm_preset_info(0)->name);
	return 0;
}
EOF
nr_checks=$((nr_checks + 1))
flags=$(PKG_CONFIG_PATH="$stage/lib/pkgconfig" pkg-config --static --cflags --libs confmem) ||
	fail "pkg-config confmem failed"
# A library built with -DCONFMEM_SANITIZE=ON needs its user linked with the sanitizers too.
nm "$stage/lib/libconfmem.a" 2>/dev/null | grep -q __asan_ && flags="$flags -fsanitize=address,undefined"
# shellcheck disable=SC2086
cc -o "$tmp/user" "$tmp/user.c" $flags > "$tmp/cc.log" 2>&1 || fail "cannot build against the installed library: $(cat "$tmp/cc.log")"
nr_checks=$((nr_checks + 1))
[ "$("$tmp/user")" = "$("$CONFMEM" presets --json | jq -r 'length') presets, the first default" ] ||
	fail "the installed library answers $("$tmp/user")"

# --- bash completion ---
# complete_line LINE: what the installed script offers for LINE (cursor at its end), one a line.
complete_line() {
	PATH="$stage/bin:$PATH" bash -c '
		source "$1"
		COMP_LINE=$2
		COMP_POINT=${#2}
		_confmem
		printf "%s\n" "${COMPREPLY[@]}"' _ "$stage/share/bash-completion/completions/confmem" "$1"
}
expect_completion() {
	nr_checks=$((nr_checks + 1))
	local got
	got=$(complete_line "$1" | sort | tr '\n' ' ')
	[ "$got" = "$2 " ] || fail "completion of '$1': expected '$2', got '$got'"
}
nr_checks=$((nr_checks + 1))
registered=$(bash -c 'source "$1"; complete -p confmem' _ "$stage/share/bash-completion/completions/confmem")
[ "$registered" = "complete -F _confmem confmem" ] || fail "complete -p confmem: $registered"
nr_checks=$((nr_checks + 1))
[ "$(bash -c 'source "$1"; compgen -W "$_confmem_commands" -- s' _ \
	"$stage/share/bash-completion/completions/confmem" | tr '\n' ' ')" = "sim sgx " ] || fail "compgen over the subcommands"
expect_completion "confmem pl" "plan"
expect_completion "confmem help pr" "presets"
expect_completion "confmem plan --pre" "--preset"
expect_completion "confmem plan --preset " "$("$CONFMEM" presets --json | jq -r '.[].name' | sort | tr '\n' ' ' | sed 's/ $//')"
expect_completion "confmem plan --preset=b" "big"
expect_completion "confmem hotplug 1T 64G --mode n" "notifier"
# A metavar beside words (LIST|capable) completes to the words only.
expect_completion "confmem exec --interleave " "capable"
expect_completion "confmem plan --holes " "cmr memlist"
expect_completion "confmem plan --kernel mainline-" "mainline-6.8 mainline-7.1"
expect_completion "confmem plan --set tdx.mi" "tdx.mixed=exclude tdx.mixed=strict"
expect_completion "confmem plan --set tdx.mixed=s" "strict"
expect_completion "confmem plan --set swap" "swap_bytes="
expect_completion "confmem sgx " "measure"
expect_completion "confmem plan --h" "--help --holes --html --human"
expect_completion "confmem nodes --sys" "--sysroot"
# No option of another command: plan has no --nodemask.
expect_completion "confmem plan --nodem" ""
# Words of a name table: --kind offers the node kinds; -o the columns of nodes --help, a list separated by commas
# whose last word completes (to a column not in the list yet), after -o, --output and --output=.
expect_completion "confmem nodes --kind " "cxl dram hbm pmem"
expect_completion "confmem nodes --kind=p" "pmem"
columns=$("$CONFMEM" nodes --help | sed -n '/^Columns/,/^[A-Z]/s/^  \([a-z_]*\) .*/\1/p')
expect_completion "confmem nodes -o " "$(printf '%s\n' "$columns" | sort | tr '\n' ' ' | sed 's/ $//')"
expect_completion "confmem nodes -o d" "demotion distances"
expect_completion "confmem nodes -o node,c" "node,cpus node,crypto_capable"
expect_completion "confmem nodes --output node,cpus,t" "node,cpus,tdx_memory node,cpus,tier"
expect_completion "confmem nodes --output=kind,no" "kind,node"
all_but_cpus=$(printf '%s\n' "$columns" | grep -vx cpus | paste -sd,)
expect_completion "confmem nodes -o $all_but_cpus," "$all_but_cpus,cpus"
expect_completion "confmem nodes -o node,x" ""
expect_completion "confmem nodes -o node --kind cxl --no" "--node --nodemask --noheadings"
nr_checks=$((nr_checks + 1))
[ "$(bash -c 'source "$1"; _confmem_value --kind' _ "$stage/share/bash-completion/completions/confmem")" = \
	"dram pmem cxl hbm" ] || fail "_confmem_value --kind: not the kinds in the name table's order"
finish
