/* SPDX-License-Identifier: MIT */
/*
 * SGX (SPEC 8): enclaves, their measurement and, in later sections, the
 * EPC, enclave pages and the EPC cgroup.
 */
#ifndef CONFMEM_SGX_H
#define CONFMEM_SGX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "confmem/util.h"

/* ---- Measurement (MRENCLAVE, SPEC 8.2; lib/sgx/measure.c, docs/sgx-measure.md) ---- */

#define CM_SGX_MRENCLAVE_SIZE 32	/* SHA-256 */
#define CM_SGX_MRENCLAVE_HEX_SIZE (2 * CM_SGX_MRENCLAVE_SIZE + 1)
#define CM_SGX_RECORD_SIZE 64		/* one ECREATE, EADD or EEXTEND header record */
#define CM_SGX_EEXTEND_CHUNK 256	/* bytes measured by one EEXTEND */
#define CM_SGX_CHUNKS_PER_PAGE (CM_PAGE_SIZE / CM_SGX_EEXTEND_CHUNK)
#define CM_SGX_ALL_CHUNKS 0xffffU	/* measured_chunks of a wholly measured page */
#define CM_SGX_VA_SLOTS 512		/* version-array slots per VA page */

/* SECINFO.FLAGS: permissions in bits 0-2, the page type in bits 8-15. */
#define CM_SGX_SECINFO_R (1ULL << 0)
#define CM_SGX_SECINFO_W (1ULL << 1)
#define CM_SGX_SECINFO_X (1ULL << 2)
#define CM_SGX_SECINFO_PERMISSIONS (CM_SGX_SECINFO_R | CM_SGX_SECINFO_W | CM_SGX_SECINFO_X)
#define CM_SGX_SECINFO_PAGE_TYPE_SHIFT 8
#define CM_SGX_SECINFO_PAGE_TYPE (0xffULL << CM_SGX_SECINFO_PAGE_TYPE_SHIFT)

/* An EPC cgroup at its limit with nothing reclaimable (sgx.oom). */
enum cm_sgx_oom { CM_SGX_OOM_NONE, CM_SGX_OOM_KILL_ENCLAVE, CM_SGX_OOM_NR };
const char *cm_sgx_oom_name(enum cm_sgx_oom o);

enum cm_sgx_page_type {
	CM_SGX_PAGE_TYPE_SECS = 0,
	CM_SGX_PAGE_TYPE_TCS = 1,
	CM_SGX_PAGE_TYPE_REG = 2,
	CM_SGX_PAGE_TYPE_VA = 3,
	CM_SGX_PAGE_TYPE_TRIM = 4,
};

#define CM_SGX_SECINFO_TCS ((uint64_t)CM_SGX_PAGE_TYPE_TCS << CM_SGX_SECINFO_PAGE_TYPE_SHIFT)
#define CM_SGX_SECINFO_REG ((uint64_t)CM_SGX_PAGE_TYPE_REG << CM_SGX_SECINFO_PAGE_TYPE_SHIFT)

/*
 * Why @size cannot be an enclave's SECS.SIZE (ECREATE wants a power of two
 * of at least two pages), or NULL when it can. A static string.
 */
const char *cm_sgx_size_problem(uint64_t size);

/*
 * Why EADD refuses SECINFO @flags as the kernel's SGX_IOC_ENCLAVE_ADD_PAGES
 * does (reserved bits set, a page type other than REG or TCS, W without
 * R, a TCS with permissions), or NULL when it accepts them.
 */
const char *cm_sgx_secinfo_problem(uint64_t flags);

/*
 * The records the CPU hashes, little-endian, zero-filled to 64 bytes:
 *   ECREATE  "ECREATE\0", u32 SSA frame size at 8, u64 size at 12
 *   EADD     "EADD\0\0\0\0", u64 page offset at 8, SECINFO (u64 flags, zeros) at 16
 *   EEXTEND  "EEXTEND\0", u64 chunk offset at 8; the 256 bytes of the chunk follow
 * Offsets are from the enclave's base.
 */
void cm_sgx_ecreate_record(uint8_t record[CM_SGX_RECORD_SIZE], uint32_t ssa_frame_size, uint64_t size);
void cm_sgx_eadd_record(uint8_t record[CM_SGX_RECORD_SIZE], uint64_t offset, uint64_t secinfo_flags);
void cm_sgx_eextend_record(uint8_t record[CM_SGX_RECORD_SIZE], uint64_t offset);

/* MRENCLAVE as 64 lowercase hex digits and a NUL. */
void cm_sgx_format_mrenclave(const uint8_t mrenclave[CM_SGX_MRENCLAVE_SIZE], char hex[CM_SGX_MRENCLAVE_HEX_SIZE]);

/*
 * A measurement in progress: started by ECREATE, extended by EADD and
 * EEXTEND in the order they run, finished by EINIT. Each step checks what
 * the instruction checks of its own operands (size, alignment, inside the
 * enclave, SECINFO); which pages are already added is the state of the
 * enclave that issues the steps, not of the measurement.
 */
struct cm_sgx_measurement;

int cm_sgx_measurement_start(uint64_t size, uint32_t ssa_frame_size, struct cm_sgx_measurement **out,
			     struct cm_error *err);
int cm_sgx_measurement_eadd(struct cm_sgx_measurement *m, uint64_t offset, uint64_t secinfo_flags,
			    struct cm_error *err);
int cm_sgx_measurement_eextend(struct cm_sgx_measurement *m, uint64_t offset,
			       const uint8_t chunk[CM_SGX_EEXTEND_CHUNK], struct cm_error *err);
/* MRENCLAVE; the measurement takes no more steps afterwards. */
int cm_sgx_measurement_finish(struct cm_sgx_measurement *m, uint8_t mrenclave[CM_SGX_MRENCLAVE_SIZE],
			      struct cm_error *err);
void cm_sgx_measurement_free(struct cm_sgx_measurement *m);

/* ---- Enclave descriptions (the input of `confmem sgx measure`) ---- */

#define CM_SGX_DATA_MAX CM_PAGE_SIZE

struct cm_sgx_page_desc {
	uint64_t offset;		/* from the enclave's base, page aligned */
	uint64_t secinfo_flags;
	uint16_t measured_chunks;	/* bit i: the chunk at i * 256 is EEXTENDed */
	uint8_t *data;			/* repeated to fill the page; NULL: zeros */
	size_t data_len;		/* 1..CM_SGX_DATA_MAX when data is set */
};

/*
 * An enclave as its builder issues it: ECREATE(size, ssa_frame_size), then
 * per page in this order an EADD followed by the EEXTENDs of its measured
 * chunks in ascending order.
 */
struct cm_sgx_enclave_desc {
	uint64_t size;
	uint32_t ssa_frame_size;	/* in pages */
	struct cm_sgx_page_desc *pages;
	size_t nr_pages;
};

/*
 * Read a description (docs/sgx-measure.md). Errors name the field:
 * "FILE: $.pages[3].offset: 0x1800 is not page aligned". The caller
 * releases *out with cm_sgx_enclave_desc_free().
 */
int cm_sgx_enclave_from_json_file(const char *path, struct cm_sgx_enclave_desc **out, struct cm_error *err);
int cm_sgx_enclave_from_json_string(const char *text, size_t len, const char *source,
				    struct cm_sgx_enclave_desc **out, struct cm_error *err);
void cm_sgx_enclave_desc_free(struct cm_sgx_enclave_desc *d);

/* Check a description built in code by the rules the reader applies. */
int cm_sgx_enclave_check(const struct cm_sgx_enclave_desc *d, struct cm_error *err);

/* MRENCLAVE of the enclave @d describes (checked first). */
int cm_sgx_measure(const struct cm_sgx_enclave_desc *d, uint8_t mrenclave[CM_SGX_MRENCLAVE_SIZE],
		   struct cm_error *err);

/*
 * EPC pages an enclave holding @nr_pages pages uses at its peak: the SECS,
 * the pages and one VA page per 512 of them and the SECS. @nr_pages is at
 * most 2^52 (an enclave spans at most 2^64 bytes).
 */
uint64_t cm_sgx_epc_pages_peak(uint64_t nr_pages);

#define CM_SGX_REASON_MAX 256

/*
 * Which kernel interface can build the described enclave (seed 003):
 *  - the eextend ioctl: ADD_PAGES without measuring, then one EEXTEND per
 *    chosen 256-byte chunk of an added page: any set of chunks;
 *  - one measured sub-range per page (ADD_PAGES relaxed to an unaligned
 *    range): per page, the measured chunks must be one contiguous run.
 */
struct cm_sgx_build_report {
	uint64_t nr_pages;
	uint64_t nr_eextend;
	uint64_t epc_pages_peak;
	bool eextend_ioctl;		/* the eextend ioctl can build it */
	bool subrange_per_page;		/* one measured sub-range per page can build it */
	char reason[CM_SGX_REASON_MAX];	/* the first page the sub-range design cannot build; else empty */
};

void cm_sgx_build_report(const struct cm_sgx_enclave_desc *d, struct cm_sgx_build_report *r);

#endif /* CONFMEM_SGX_H */
