# confmem exec: a real process bound to the capable nodes that exist here.
. "$(dirname "$0")/lib.sh"

# The default platform's capable nodes are 0-1; this machine has node 0 at least.
run exec --capable-only -v -- true
expect_status 0
expect_err_contains "memory bound to node"
if [ -r /proc/self/numa_maps ]; then
	run exec --capable-only -- grep -m1 -o "bind:[0-9,-]*" /proc/self/numa_maps
	expect_status 0
	expect_contains "bind:"
else
	echo "skip: this kernel has no /proc/self/numa_maps"
fi
# Nodes that exist only in the model: refused, exit 1, with both node lists.
run exec --node 2-3 -- true
expect_status 1
expect_err_contains "nodes 2-3 of the platform do not exist on this machine"
# No capable node at all: a platform without TDX.
run exec --capable-only --preset mixed --set tdx.mixed=exclude -- true
expect_status 0
run report --dump-platform
expect_status 0
printf '%s\n' "$out" | jq '.tdx.enabled = false' > "$tmp/notdx.json"
run exec --capable-only --platform "$tmp/notdx.json" -- true
expect_status 1
expect_err_contains "no encryption-capable node"
run exec -- true
expect_status 2
run exec --capable-only
expect_status 2
# As the shell and env(1): 127 for a command that is not found, 126 for one that cannot be run.
run exec --capable-only -- /nonexistent/command
expect_status 127
expect_err_contains "No such file or directory"
run exec --capable-only -- confmem-no-such-command-here
expect_status 127
printf 'not a program\n' > "$tmp/not-executable"
chmod 0644 "$tmp/not-executable"
run exec --capable-only -- "$tmp/not-executable"
expect_status 126
expect_err_contains "Permission denied"
run exec --capable-only -- "$tmp"
expect_status 126
finish
