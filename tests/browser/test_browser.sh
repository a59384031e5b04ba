# The pictures in a real browser (SPEC 11): each kind of file opened in
# headless Chromium (Debian's chromium): the page loads with no console
# error, the expected SVG elements are in its DOM, and a screenshot is
# written under the build directory ($PICTURES) to be looked at.
# Skipped (exit 77) when chromium is not installed.
. "$SRC/tests/cli/lib.sh"
: "${PICTURES:?}"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	echo "SKIP: chromium is not installed (scripts/setup.sh installs it)"
	exit 77
fi
mkdir -p "$PICTURES"

# chrome FLAGS... URL: the browser with a throwaway profile; its log on $tmp/chrome.log.
chrome() {
	HOME="$tmp" timeout 120 "$browser" --headless --disable-gpu --no-sandbox --hide-scrollbars \
		--no-first-run --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 "$@" 2> "$tmp/chrome.log"
}

# load NAME FILE: dump FILE's DOM into $tmp/NAME.dom, fail on any console message or script error.
load() {
	nr_checks=$((nr_checks + 1))
	chrome --dump-dom "file://$2" > "$tmp/$1.dom" || { fail "$1: chromium --dump-dom failed"; return; }
	nr_checks=$((nr_checks + 1))
	if grep -E 'CONSOLE|Uncaught' "$tmp/chrome.log"; then
		fail "$1: console messages"
	fi
	case "$2" in
	*.html)
		nr_checks=$((nr_checks + 1))
		grep -q 'data-ready="1"' "$tmp/$1.dom" || fail "$1: the page's script did not finish"
		nr_checks=$((nr_checks + 1))
		grep -q '<pre id="console-errors"></pre>' "$tmp/$1.dom" || fail "$1: script errors: $(grep -A3 'console-errors' "$tmp/$1.dom")"
		;;
	*.svg)
		nr_checks=$((nr_checks + 1))
		grep -q 'parsererror' "$tmp/$1.dom" && fail "$1: the SVG does not parse"
		;;
	esac
}

# dom_count NAME PATTERN N: PATTERN occurs N times in the browser's DOM of NAME.
dom_count() {
	nr_checks=$((nr_checks + 1))
	local n
	n=$(grep -oF -- "$2" "$tmp/$1.dom" | wc -l)
	[ "$n" -eq "$3" ] || fail "$1: expected $3 of '$2' in the DOM, found $n"
}

# screenshot NAME FILE WIDTH HEIGHT
screenshot() {
	nr_checks=$((nr_checks + 1))
	rm -f "$PICTURES/$1.png"
	chrome --screenshot="$PICTURES/$1.png" --window-size="$3,$4" "file://$2" > /dev/null
	[ -s "$PICTURES/$1.png" ] || fail "$1: no screenshot written"
}

# The detector itself: a page whose script throws is caught.
run report --html "$tmp/broken.html"
expect_status 0
sed -i 's|</body>|<script>no_such_function();</script></body>|' "$tmp/broken.html"
nr_checks=$((nr_checks + 1))
chrome --dump-dom "file://$tmp/broken.html" > "$tmp/broken.dom"
grep -q 'no_such_function is not defined' "$tmp/broken.dom" || fail "a script error was not recorded in the page"

# The default preset: the address map and the NUMA graph.
run report --html "$PICTURES/default.html"
expect_status 0
load default "$PICTURES/default.html"
dom_count default 'class="numa-node"' 4
dom_count default '<svg class="picture"' 2
screenshot default "$PICTURES/default.html" 1300 1400

# canonical/tdx#135: 17 reserved-area rectangles in TDMR 0, the 17th over the limit.
run plan --dmesg "$DATA/dmesg/tdx135.log" --html "$PICTURES/tdx135.html" --svg "$PICTURES/tdx135.svg"
expect_status 1
load tdx135 "$PICTURES/tdx135.html"
dom_count tdx135 'data-tdmr="0" data-area=' 17
dom_count tdx135 'class="rsvd over"' 1
screenshot tdx135 "$PICTURES/tdx135.html" 1300 800
load tdx135-svg "$PICTURES/tdx135.svg"
dom_count tdx135-svg 'data-tdmr="0" data-area=' 17
screenshot tdx135-svg "$PICTURES/tdx135.svg" 1300 640

# Tiers: nodes --svg.
run nodes --platform "$SRC/examples/memory-tiers-example.json" --svg "$PICTURES/tiers.svg"
expect_status 0
load tiers "$PICTURES/tiers.svg"
dom_count tiers 'class="numa-node"' 4
dom_count tiers 'class="pref" data-from=' 2
screenshot tiers "$PICTURES/tiers.svg" 1000 330

# A tiering simulation: one free-pages line per node.
run sim "$SRC/examples/tiering-dram-cxl-demote.json" --html "$PICTURES/tiering-dram-cxl-demote.html"
expect_status 0
load tiering "$PICTURES/tiering-dram-cxl-demote.html"
dom_count tiering 'class="line free"' 2
screenshot tiering-dram-cxl-demote "$PICTURES/tiering-dram-cxl-demote.html" 1000 1000

# SGX: the EPC cgroup selftest's "larger than the limit, kill" case.
run sim "$SRC/examples/sgx-cgroup-larger8-kill.json" --html "$PICTURES/sgx-cgroup-larger8-kill.html"
expect_status 0
load sgx "$PICTURES/sgx-cgroup-larger8-kill.html"
dom_count sgx 'class="line free"' 1
dom_count sgx 'data-kind="killed"' 1
screenshot sgx-cgroup-larger8-kill "$PICTURES/sgx-cgroup-larger8-kill.html" 1000 900
finish
