// SPDX-License-Identifier: MIT
/*
 * Fuzz target for the enclave description reader of `confmem sgx
 * measure` (SPEC 13). Any input either loads or fails with a one-line
 * message and no description; a description that loads passes the same
 * checks again, measures, and gets a consistent build report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/sgx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_refusal(int ret, const struct cm_sgx_enclave_desc *d, const struct cm_error *err)
{
	if (ret >= 0 || d || err->code != ret || !err->msg[0] || strchr(err->msg, '\n'))
		abort();
}

static void check_report(const struct cm_sgx_enclave_desc *d)
{
	struct cm_sgx_build_report report;

	cm_sgx_build_report(d, &report);
	if (report.nr_pages != d->nr_pages || report.nr_eextend > d->nr_pages * CM_SGX_CHUNKS_PER_PAGE)
		abort();
	if (report.epc_pages_peak != cm_sgx_epc_pages_peak(d->nr_pages) || report.epc_pages_peak < d->nr_pages + 2)
		abort();
	if (!report.eextend_ioctl || report.subrange_per_page != !report.reason[0])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_sgx_enclave_desc *d = NULL;
	uint8_t mrenclave[CM_SGX_MRENCLAVE_SIZE];
	struct cm_error err = { 0 };
	int ret = cm_sgx_enclave_from_json_string((const char *)data, size, "fuzz.json", &d, &err);

	if (ret) {
		check_refusal(ret, d, &err);
		return 0;
	}
	if (cm_sgx_enclave_check(d, &err) || cm_sgx_measure(d, mrenclave, &err))
		abort();
	check_report(d);
	cm_sgx_enclave_desc_free(d);
	return 0;
}
