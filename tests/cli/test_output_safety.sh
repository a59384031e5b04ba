# Output that cannot escape where it was asked to go (issue 15, items 3
# and 4): --export-sysfs refuses "" and "/", never follows a link inside
# its directory, refuses a non-empty one without --force and a tree over
# its entry limit; --tdmr-bin and --trace are renamed into place (no
# partial file, a link at FILE replaced); a write error on stdout is exit
# 2 with strerror.
. "$(dirname "$0")/lib.sh"

# --- --export-sysfs "" and /: refused. As root these run as nobody, so a
# regression cannot write a tree into the real root: it would fail with
# EACCES instead of the refusal the checks expect.
run_unprivileged() {
	if [ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null; then
		printf '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups "%s" "$@"\n' \
			"$real_confmem" > "$tmp/as-nobody"
		chmod +x "$tmp/as-nobody"
		CONFMEM="$tmp/as-nobody"
	fi
	run "$@"
	CONFMEM=$real_confmem
}
real_confmem=$CONFMEM
devices_before=0
[ -e /devices ] && devices_before=1

run_unprivileged nodes --export-sysfs ""
expect_status 2
expect_err_line 'confmem: --export-sysfs: an empty directory name; name the directory to write under'
run_unprivileged nodes --export-sysfs /
expect_status 2
expect_err_line 'confmem: --export-sysfs: / is the root directory; name a directory to write under'
run_unprivileged nodes --export-sysfs //.
expect_status 2
expect_err_contains 'is the root directory'
nr_checks=$((nr_checks + 1))
[ "$devices_before" -eq 1 ] || [ ! -e /devices ] || fail "/devices exists after an export to the root was refused"

# --- A link planted inside the target is replaced, never followed.
run nodes --preset single --export-sysfs "$tmp/sys"
expect_status 0
echo untouched > "$tmp/victim"
rm "$tmp/sys/sys/devices/system/memory/block_size_bytes"
ln -s "$tmp/victim" "$tmp/sys/sys/devices/system/memory/block_size_bytes"
run nodes --preset single --export-sysfs "$tmp/sys" --force
expect_status 0
nr_checks=$((nr_checks + 1))
[ "$(cat "$tmp/victim")" = untouched ] || fail "the planted link's target was written"
nr_checks=$((nr_checks + 1))
[ -f "$tmp/sys/sys/devices/system/memory/block_size_bytes" ] && [ ! -L "$tmp/sys/sys/devices/system/memory/block_size_bytes" ] ||
	fail "block_size_bytes is not a regular file after --force"

# A link planted at a directory of the tree is refused by name.
mkdir -p "$tmp/linked" "$tmp/elsewhere"
ln -s "$tmp/elsewhere" "$tmp/linked/sys"
run nodes --preset single --export-sysfs "$tmp/linked" --force
expect_status 2
expect_err_contains "linked/sys: is a symbolic link, not followed"
nr_checks=$((nr_checks + 1))
[ -z "$(ls -A "$tmp/elsewhere")" ] || fail "the export wrote through a linked directory"

# --- A non-empty target: refused (nothing added) unless --force.
mkdir "$tmp/full"
echo mine > "$tmp/full/mine"
run nodes --preset single --export-sysfs "$tmp/full"
expect_status 2
expect_err_line "confmem: --export-sysfs: $tmp/full: directory not empty (--force writes into it)"
nr_checks=$((nr_checks + 1))
[ ! -e "$tmp/full/sys" ] && [ ! -e "$tmp/full/proc" ] || fail "a refused export wrote into the directory"
run nodes --preset single --export-sysfs "$tmp/full" --force
expect_status 0
nr_checks=$((nr_checks + 1))
[ -f "$tmp/full/sys/devices/system/memory/block_size_bytes" ] && [ "$(cat "$tmp/full/mine")" = mine ] ||
	fail "--force did not write the tree beside the existing file"
run nodes --preset single --force
expect_status 2
expect_err_line "confmem: --force goes with --export-sysfs"

# --- The entry limit: 64 TiB in 128 MiB blocks is 524 288 blocks, refused
# with the count and the limit before the directory is even made.
printf '{"name": "many-blocks", "nodes": [{"id": 0, "cpus": "0-3", "kind": "dram",
  "memory": [{"start": "4G", "size": "64T"}]}]}\n' > "$tmp/many-blocks.json"
run nodes --platform "$tmp/many-blocks.json" --export-sysfs "$tmp/many"
expect_status 2
expect_err_contains "the tree would hold 2621454 entries (524288 memory blocks of 0x8000000 bytes), more than the limit of 262144"
nr_checks=$((nr_checks + 1))
[ ! -e "$tmp/many" ] || fail "a refused export made its directory"

# --- --tdmr-bin and --trace: a temporary file renamed into place.
mkdir "$tmp/files"
run plan --tdmr-bin "$tmp/files/missing/tdmr.bin"
expect_status 2
expect_err_line "confmem: --tdmr-bin: $tmp/files/missing/tdmr.bin: No such file or directory"
mkdir "$tmp/files/adir"
run plan --tdmr-bin "$tmp/files/adir"
expect_status 2
expect_err_line "confmem: --tdmr-bin: $tmp/files/adir: Is a directory"
nr_checks=$((nr_checks + 1))
[ "$(ls -A "$tmp/files")" = adir ] && [ -z "$(ls -A "$tmp/files/adir")" ] ||
	fail "a failed --tdmr-bin left a file: $(ls -A "$tmp/files")"

echo untouched > "$tmp/files/target"
ln -s "$tmp/files/target" "$tmp/files/tdmr.bin"
run plan --tdmr-bin "$tmp/files/tdmr.bin"
expect_status 0
nr_checks=$((nr_checks + 1))
[ ! -L "$tmp/files/tdmr.bin" ] && [ "$(stat -c %s "$tmp/files/tdmr.bin")" -eq 3072 ] ||
	fail "--tdmr-bin did not replace the link with the 3072-byte array"
nr_checks=$((nr_checks + 1))
[ "$(cat "$tmp/files/target")" = untouched ] || fail "--tdmr-bin wrote through the link"

ln -s "$tmp/files/target" "$tmp/files/trace.log"
run sim "$SRC/examples/events.json" --trace "$tmp/files/trace.log"
expect_status 0
nr_checks=$((nr_checks + 1))
[ ! -L "$tmp/files/trace.log" ] && [ -s "$tmp/files/trace.log" ] && [ "$(cat "$tmp/files/target")" = untouched ] ||
	fail "--trace did not replace the link"
run sim "$SRC/examples/events.json" --trace "$tmp/files/nodir/trace.log"
expect_status 2
expect_err_line "confmem: --trace: $tmp/files/nodir/trace.log: No such file or directory"
nr_checks=$((nr_checks + 1))
[ -z "$(find "$tmp/files" -name '*.tmp')" ] || fail "a temporary file was left behind"

# A FIFO named directly is written in place (renaming over a device or a
# FIFO would replace it: /dev/null as root); a link to one is refused.
mkfifo "$tmp/files/fifo"
timeout 20 cat "$tmp/files/fifo" > "$tmp/fifo.out" &
reader=$!
run plan --tdmr-bin "$tmp/files/fifo"
expect_status 0
wait "$reader"
nr_checks=$((nr_checks + 1))
[ -p "$tmp/files/fifo" ] && [ "$(stat -c %s "$tmp/fifo.out")" -eq 3072 ] ||
	fail "--tdmr-bin did not write the array through the FIFO in place"
ln -s "$tmp/files/fifo" "$tmp/files/fifo-link"
run sim "$SRC/examples/events.json" --trace "$tmp/files/fifo-link"
expect_status 2
expect_err_line "confmem: --trace: $tmp/files/fifo-link: a symbolic link to something other than a regular file (not followed, not replaced)"
nr_checks=$((nr_checks + 1))
[ -L "$tmp/files/fifo-link" ] && [ -p "$tmp/files/fifo" ] || fail "a link to a FIFO was replaced"

# --- stdout: a write error is exit 2 with strerror, for every command's output.
run_full() {
	check_status_checked
	last_command="$* >/dev/full"
	"$CONFMEM" "$@" > /dev/full 2> "$tmp/run.stderr"
	status=$?
	out=""
	err=$(cat "$tmp/run.stderr")
	status_checked=0
}
for args in "nodes --json" "nodes" "nodes --nodemask capable" "plan" "plan --preset big --json" "report" \
	"report --dump-platform" "presets" "hotplug 1T 64G" "--help" "--version" \
	"sim $SRC/examples/events.json" "sim $SRC/examples/events.json --json" \
	"sgx measure $SRC/tests/data/sgx/partial.json"; do
	# shellcheck disable=SC2086 # the arguments are words
	run_full $args
	expect_status 2
	expect_err_line "confmem: write error: No space left on device"
	nr_checks=$((nr_checks + 1))
	[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "the write error is not reported once"
done
# A closed stdout: reported once, with its errno.
check_status_checked
last_command="nodes >&-"
"$CONFMEM" nodes >&- 2> "$tmp/run.stderr"
status=$? out="" err=$(cat "$tmp/run.stderr") status_checked=0
expect_status 2
nr_checks=$((nr_checks + 1))
[ "$err" = "confmem: write error: Bad file descriptor" ] || fail "a closed stdout is not one write error"

finish
