# confmem sgx measure ENCLAVE.json: MRENCLAVE and the build report, text
# and --json; bad descriptions and usage exit 2 naming the file and path.
# The digests come from tests/data/sgx/make_vectors.py.
. "$(dirname "$0")/lib.sh"

run sgx measure "$DATA/sgx/partial.json" --json
expect_status 0
expect_jq .mrenclave 8a969f126d3a73cfed65c350ccb05a527e9756d9bf2eeda6f677ce3b15facaae
expect_jq .nr_pages 1
expect_jq .nr_eextend 3
expect_jq .epc_pages_peak 3
expect_jq .eextend_ioctl.can_build true
expect_jq .subrange_per_page.can_build false
expect_jq .subrange_per_page.reason \
	"page 0 (offset 0x1000) measures 2 separate ranges [0x0, 0x200), [0x400, 0x500); one measured sub-range per page covers only one"

run sgx measure "$DATA/sgx/tcs_pages.json" --json
expect_status 0
expect_jq .mrenclave 06500cb11f489cce7007301736679e4f56899884933835322d36f971c0d80311
expect_jq '[.nr_pages, .nr_eextend, .epc_pages_peak] | @csv' '5,48,7'
expect_jq .subrange_per_page.can_build true

run sgx measure "$DATA/sgx/contiguous.json"
expect_status 0
expect_line "mrenclave: 3345445685c8bcb7bfd018f1bb8677d4a057a82fd4f0dae8725efd8362cec3d5"
expect_line "nr_eextend: 19"
expect_line "eextend_ioctl: can build"
expect_contains "subrange_per_page: can build"

# Bad input: exit 2 with FILE: $.path: message.
jq '.pages[0].offset = "0x1800"' "$DATA/sgx/partial.json" > "$tmp/unaligned.json"
run sgx measure "$tmp/unaligned.json"
expect_status 2
expect_err_contains "unaligned.json: \$.pages[0].offset: 0x1800 is not page aligned"
jq '.pages[0].data = "xyz0"' "$DATA/sgx/partial.json" > "$tmp/badhex.json"
run sgx measure "$tmp/badhex.json" --json
expect_status 2
expect_err_contains "badhex.json: \$.pages[0].data: expected hex digits"
run sgx measure "$tmp/missing.json"
expect_status 2
expect_err_contains "missing.json"

# Usage: an action and one file.
run sgx
expect_status 2
run sgx frobnicate "$DATA/sgx/partial.json"
expect_status 2
expect_err_contains "unknown action 'frobnicate'"
run sgx measure
expect_status 2
run sgx measure "$DATA/sgx/partial.json" "$DATA/sgx/order.json"
expect_status 2
run sgx measure "$DATA/sgx/partial.json" --preset default
expect_status 2
expect_err_contains "does not apply"
finish
