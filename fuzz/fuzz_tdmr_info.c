// SPDX-License-Identifier: MIT
/*
 * Fuzz target for cm_tdmr_info_parse() (SPEC 3.7, 13). The first byte
 * picks max_reserved_per_tdmr (1..64), the rest is the array. An array that
 * parses writes back to the same bytes except the padding after the slots,
 * and the emulated module gives it a status it can put in words; a
 * refusal always gives a reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/tdx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_written_back(const uint8_t *array, size_t len, const struct cm_tdmr *tdmrs, size_t nr,
			       unsigned int max_reserved)
{
	size_t one = cm_tdmr_info_size(max_reserved), again_len = 0;
	uint8_t *again = cm_tdmr_info_array(tdmrs, nr, max_reserved, &again_len);

	if (!again)
		return;
	if (again_len != len)
		abort();
	/*
	 * The header and the slots up to the last non-null one come back as
	 * they were; a null slot after it is written as zeros, whatever
	 * offset it had (only its size makes it null).
	 */
	for (size_t i = 0; i < nr; i++) {
		size_t kept = CM_TDMR_INFO_HEADER_SIZE + 16 * (size_t)tdmrs[i].nr_reserved;

		if (memcmp(again + i * one, array + i * one, kept))
			abort();
		for (unsigned int j = tdmrs[i].nr_reserved; j < max_reserved; j++) {
			static const uint8_t zero[8];

			if (memcmp(array + i * one + CM_TDMR_INFO_HEADER_SIZE + 16 * j + 8, zero, sizeof(zero)))
				abort();
		}
	}
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_error err = { 0 };
	struct cm_tdx_config limits;
	struct cm_range cmr = { 1ULL << 20, 1ULL << 40 };
	unsigned int max_reserved;
	struct cm_tdmr *tdmrs;
	char words[256];
	uint64_t status;
	size_t nr;
	int ret;

	if (size < 1)
		return 0;
	max_reserved = 1 + data[0] % 64;
	ret = cm_tdmr_info_parse(data + 1, size - 1, max_reserved, &tdmrs, &nr, &err);
	if (ret) {
		if (err.code != ret || !err.msg[0] || tdmrs || nr)
			abort();
		return 0;
	}
	check_written_back(data + 1, size - 1, tdmrs, nr, max_reserved);
	cm_tdx_config_set_defaults(&limits);
	limits.max_tdmrs = CM_TDMR_INFO_MAX_ENTRIES;
	limits.max_reserved_per_tdmr = max_reserved;
	status = cm_tdx_module_config(&limits, &cmr, 1, tdmrs, nr);
	cm_tdx_describe_status(status, tdmrs, nr, words, sizeof(words));
	if (!words[0])
		abort();
	cm_tdmr_info_free(tdmrs);
	return 0;
}
