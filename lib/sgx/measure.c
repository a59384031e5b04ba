// SPDX-License-Identifier: MIT
/*
 * MRENCLAVE (SPEC 8.2, docs/sgx-measure.md): the SHA-256 the CPU keeps
 * over the ECREATE, EADD and EEXTEND records of an enclave's build, the
 * enclave description `confmem sgx measure` reads, and which of the two
 * kernel interfaces debated in seed 003 can build a described enclave.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "confmem/json_util.h"
#include "confmem/sgx.h"
#include "sha256.h"

/* ---- records ---- */

static const char ecreate_tag[8] = "ECREATE";	/* the NUL is the eighth byte */
static const char eadd_tag[8] = "EADD";
static const char eextend_tag[8] = "EEXTEND";

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void cm_sgx_ecreate_record(uint8_t record[CM_SGX_RECORD_SIZE], uint32_t ssa_frame_size, uint64_t size)
{
	memset(record, 0, CM_SGX_RECORD_SIZE);
	memcpy(record, ecreate_tag, sizeof(ecreate_tag));
	put_le32(record + 8, ssa_frame_size);
	put_le64(record + 12, size);
}

void cm_sgx_eadd_record(uint8_t record[CM_SGX_RECORD_SIZE], uint64_t offset, uint64_t secinfo_flags)
{
	memset(record, 0, CM_SGX_RECORD_SIZE);
	memcpy(record, eadd_tag, sizeof(eadd_tag));
	put_le64(record + 8, offset);
	/* The first 48 bytes of SECINFO: FLAGS, then reserved bytes that EADD requires to be zero. */
	put_le64(record + 16, secinfo_flags);
}

void cm_sgx_eextend_record(uint8_t record[CM_SGX_RECORD_SIZE], uint64_t offset)
{
	memset(record, 0, CM_SGX_RECORD_SIZE);
	memcpy(record, eextend_tag, sizeof(eextend_tag));
	put_le64(record + 8, offset);
}

void cm_sgx_format_mrenclave(const uint8_t mrenclave[CM_SGX_MRENCLAVE_SIZE], char hex[CM_SGX_MRENCLAVE_HEX_SIZE])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < CM_SGX_MRENCLAVE_SIZE; i++) {
		hex[2 * i] = digits[mrenclave[i] >> 4];
		hex[2 * i + 1] = digits[mrenclave[i] & 0xf];
	}
	hex[2 * CM_SGX_MRENCLAVE_SIZE] = '\0';
}

/* ---- the rules ECREATE and EADD apply to their operands ---- */

const char *cm_sgx_size_problem(uint64_t size)
{
	if (size < 2 * CM_PAGE_SIZE)
		return "an enclave spans at least 2 pages (8192 bytes)";
	if (size & (size - 1))
		return "the enclave size must be a power of two";
	return NULL;
}

const char *cm_sgx_secinfo_problem(uint64_t flags)
{
	uint64_t permissions = flags & CM_SGX_SECINFO_PERMISSIONS;
	uint64_t page_type = flags & CM_SGX_SECINFO_PAGE_TYPE;

	if (page_type != CM_SGX_SECINFO_REG && page_type != CM_SGX_SECINFO_TCS)
		return "the page type (bits 8-15) must be REG (0x200) or TCS (0x100)";
	if ((permissions & CM_SGX_SECINFO_W) && !(permissions & CM_SGX_SECINFO_R))
		return "a writable page must be readable (W without R)";
	if (page_type == CM_SGX_SECINFO_TCS && permissions)
		return "a TCS page has no R, W or X permissions (the CPU clears them, the measurement would not)";
	if (flags & ~(CM_SGX_SECINFO_PERMISSIONS | CM_SGX_SECINFO_PAGE_TYPE))
		return "reserved bits are set (only R, W, X in bits 0-2 and the page type in bits 8-15 are allowed)";
	return NULL;
}

/* ---- a measurement in progress ---- */

struct cm_sgx_measurement {
	struct sgx_sha256 sha256;
	uint64_t size;
	bool finished;
};

static int hash_update(struct cm_sgx_measurement *m, const void *bytes, size_t len, struct cm_error *err)
{
	if (!m->sha256.digest_update(m->sha256.ctx, bytes, len))
		return cm_error_set(err, -EIO, "sgx: SHA-256 update failed (libcrypto)");
	return 0;
}

static int check_open(const struct cm_sgx_measurement *m, const char *step, struct cm_error *err)
{
	if (m->finished)
		return cm_error_set(err, -EINVAL, "sgx: %s after EINIT: the measurement is final", step);
	return 0;
}

void cm_sgx_measurement_free(struct cm_sgx_measurement *m)
{
	if (!m)
		return;
	sgx_sha256_close(&m->sha256);
	free(m);
}

int cm_sgx_measurement_start(uint64_t size, uint32_t ssa_frame_size, struct cm_sgx_measurement **out,
			     struct cm_error *err)
{
	uint8_t record[CM_SGX_RECORD_SIZE];
	const char *why = cm_sgx_size_problem(size);
	struct cm_sgx_measurement *m;
	int ret;

	*out = NULL;
	if (why)
		return cm_error_set(err, -EINVAL, "sgx: ECREATE: size 0x%" PRIx64 ": %s", size, why);
	if (!ssa_frame_size)
		return cm_error_set(err, -EINVAL, "sgx: ECREATE: the SSA frame size is at least 1 page");
	m = calloc(1, sizeof(*m));
	if (!m)
		return cm_error_set(err, -ENOMEM, "sgx: out of memory");
	m->size = size;
	ret = sgx_sha256_open(&m->sha256, err);
	if (ret) {
		free(m);
		return ret;
	}
	cm_sgx_ecreate_record(record, ssa_frame_size, size);
	ret = hash_update(m, record, sizeof(record), err);
	if (ret) {
		cm_sgx_measurement_free(m);
		return ret;
	}
	*out = m;
	return 0;
}

int cm_sgx_measurement_eadd(struct cm_sgx_measurement *m, uint64_t offset, uint64_t secinfo_flags,
			    struct cm_error *err)
{
	uint8_t record[CM_SGX_RECORD_SIZE];
	const char *why = cm_sgx_secinfo_problem(secinfo_flags);
	int ret = check_open(m, "EADD", err);

	if (ret)
		return ret;
	if (!cm_is_aligned(offset, CM_PAGE_SIZE) || offset >= m->size)
		return cm_error_set(err, -EINVAL, "sgx: EADD at 0x%" PRIx64 ": not a page of the enclave [0, 0x%"
				    PRIx64 ")", offset, m->size);
	if (why)
		return cm_error_set(err, -EINVAL, "sgx: EADD at 0x%" PRIx64 ": SECINFO flags 0x%" PRIx64 ": %s",
				    offset, secinfo_flags, why);
	cm_sgx_eadd_record(record, offset, secinfo_flags);
	return hash_update(m, record, sizeof(record), err);
}

int cm_sgx_measurement_eextend(struct cm_sgx_measurement *m, uint64_t offset,
			       const uint8_t chunk[CM_SGX_EEXTEND_CHUNK], struct cm_error *err)
{
	uint8_t record[CM_SGX_RECORD_SIZE];
	int ret = check_open(m, "EEXTEND", err);

	if (ret)
		return ret;
	if (!cm_is_aligned(offset, CM_SGX_EEXTEND_CHUNK) || offset >= m->size)
		return cm_error_set(err, -EINVAL, "sgx: EEXTEND at 0x%" PRIx64 ": not a 256-byte chunk of the "
				    "enclave [0, 0x%" PRIx64 ")", offset, m->size);
	cm_sgx_eextend_record(record, offset);
	ret = hash_update(m, record, sizeof(record), err);
	if (ret)
		return ret;
	return hash_update(m, chunk, CM_SGX_EEXTEND_CHUNK, err);
}

int cm_sgx_measurement_finish(struct cm_sgx_measurement *m, uint8_t mrenclave[CM_SGX_MRENCLAVE_SIZE],
			      struct cm_error *err)
{
	unsigned int len = 0;
	int ret = check_open(m, "EINIT", err);

	if (ret)
		return ret;
	m->finished = true;
	if (!m->sha256.digest_final(m->sha256.ctx, mrenclave, &len) || len != CM_SGX_MRENCLAVE_SIZE)
		return cm_error_set(err, -EIO, "sgx: SHA-256 final failed (libcrypto)");
	return 0;
}

/* ---- descriptions ---- */

void cm_sgx_enclave_desc_free(struct cm_sgx_enclave_desc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nr_pages; i++)
		free(d->pages[i].data);
	free(d->pages);
	free(d);
}

/*
 * The first page (in the order given) whose offset an earlier page
 * already has: *@duplicate and the earlier *@original. Returns 1 when
 * there is one, 0 when the offsets are distinct, -ENOMEM.
 */
static int find_duplicate_page(const struct cm_sgx_page_desc *pages, size_t nr_pages, size_t *duplicate,
			       size_t *original)
{
	struct cm_keyed_index *slots;
	bool found = false;

	if (nr_pages < 2)
		return 0;
	slots = malloc(nr_pages * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < nr_pages; i++) {
		slots[i].key = pages[i].offset;
		slots[i].index = i;
	}
	qsort(slots, nr_pages, sizeof(*slots), cm_keyed_index_compare);
	for (size_t i = 1; i < nr_pages; i++) {
		if (slots[i].key != slots[i - 1].key)
			continue;
		/* Within a run of equal offsets the first slot is the original. */
		if (!found || slots[i].index < *duplicate) {
			size_t first = i - 1;

			while (first > 0 && slots[first - 1].key == slots[i].key)
				first--;
			*duplicate = slots[i].index;
			*original = slots[first].index;
			found = true;
		}
	}
	free(slots);
	return found;
}

/* What is wrong with a page at @offset, worded to follow the offset in a message; NULL: nothing. */
static const char *page_offset_problem(uint64_t offset, uint64_t size)
{
	if (!cm_is_aligned(offset, CM_PAGE_SIZE))
		return "is not page aligned (4096 bytes)";
	if (offset >= size)
		return "is outside the enclave";
	return NULL;
}

int cm_sgx_enclave_check(const struct cm_sgx_enclave_desc *d, struct cm_error *err)
{
	const char *why = cm_sgx_size_problem(d->size);
	size_t duplicate = 0, original = 0;
	int ret;

	if (why)
		return cm_error_set(err, -EINVAL, "sgx: size 0x%" PRIx64 ": %s", d->size, why);
	if (!d->ssa_frame_size)
		return cm_error_set(err, -EINVAL, "sgx: the SSA frame size is at least 1 page");
	for (size_t i = 0; i < d->nr_pages; i++) {
		const struct cm_sgx_page_desc *page = &d->pages[i];

		why = page_offset_problem(page->offset, d->size);
		if (why)
			return cm_error_set(err, -EINVAL, "sgx: page %zu: offset 0x%" PRIx64 " %s (size 0x%" PRIx64 ")",
					    i, page->offset, why, d->size);
		why = cm_sgx_secinfo_problem(page->secinfo_flags);
		if (why)
			return cm_error_set(err, -EINVAL, "sgx: page %zu: SECINFO flags 0x%" PRIx64 ": %s", i,
					    page->secinfo_flags, why);
		if (page->data && (!page->data_len || page->data_len > CM_SGX_DATA_MAX))
			return cm_error_set(err, -EINVAL, "sgx: page %zu: %zu bytes of data, expected 1 to %llu", i,
					    page->data_len, CM_SGX_DATA_MAX);
	}
	ret = find_duplicate_page(d->pages, d->nr_pages, &duplicate, &original);
	if (ret < 0)
		return cm_error_set(err, ret, "sgx: out of memory");
	if (ret)
		return cm_error_set(err, -EINVAL, "sgx: page %zu: offset 0x%" PRIx64 " is already added by page %zu",
				    duplicate, d->pages[duplicate].offset, original);
	return 0;
}

/* Bytes [@from, @from + 256) of @page: its data repeated from the page's start, or zeros. */
static void page_chunk(const struct cm_sgx_page_desc *page, size_t from, uint8_t chunk[CM_SGX_EEXTEND_CHUNK])
{
	if (!page->data) {
		memset(chunk, 0, CM_SGX_EEXTEND_CHUNK);
		return;
	}
	for (size_t i = 0; i < CM_SGX_EEXTEND_CHUNK; i++)
		chunk[i] = page->data[(from + i) % page->data_len];
}

int cm_sgx_measure(const struct cm_sgx_enclave_desc *d, uint8_t mrenclave[CM_SGX_MRENCLAVE_SIZE],
		   struct cm_error *err)
{
	uint8_t chunk[CM_SGX_EEXTEND_CHUNK];
	struct cm_sgx_measurement *m;
	int ret;

	ret = cm_sgx_enclave_check(d, err);
	if (ret)
		return ret;
	ret = cm_sgx_measurement_start(d->size, d->ssa_frame_size, &m, err);
	if (ret)
		return ret;
	for (size_t i = 0; i < d->nr_pages && !ret; i++) {
		const struct cm_sgx_page_desc *page = &d->pages[i];

		ret = cm_sgx_measurement_eadd(m, page->offset, page->secinfo_flags, err);
		for (unsigned int c = 0; c < CM_SGX_CHUNKS_PER_PAGE && !ret; c++) {
			if (!(page->measured_chunks & (1U << c)))
				continue;
			page_chunk(page, c * CM_SGX_EEXTEND_CHUNK, chunk);
			ret = cm_sgx_measurement_eextend(m, page->offset + c * CM_SGX_EEXTEND_CHUNK, chunk, err);
		}
	}
	if (!ret)
		ret = cm_sgx_measurement_finish(m, mrenclave, err);
	cm_sgx_measurement_free(m);
	return ret;
}

uint64_t cm_sgx_epc_pages_peak(uint64_t nr_pages)
{
	/* ceil((N + 1) / 512) VA pages, written so that it cannot overflow. */
	uint64_t nr_va_pages = nr_pages / CM_SGX_VA_SLOTS + 1;

	return 1 + nr_pages + nr_va_pages;
}

/* ---- which interface can build it ---- */

/* The measured runs of @chunks as "[0x0, 0x200), [0x400, 0x500)"; returns the number of runs. */
static unsigned int describe_runs(uint16_t chunks, char *buf, size_t len)
{
	unsigned int nr_runs = 0, c = 0;
	size_t used = 0;

	buf[0] = '\0';
	while (c < CM_SGX_CHUNKS_PER_PAGE) {
		unsigned int start;

		if (!(chunks & (1U << c))) {
			c++;
			continue;
		}
		start = c;
		while (c < CM_SGX_CHUNKS_PER_PAGE && (chunks & (1U << c)))
			c++;
		if (used < len) {
			int n = snprintf(buf + used, len - used, "%s[0x%x, 0x%x)", nr_runs ? ", " : "",
					 start * CM_SGX_EEXTEND_CHUNK, c * CM_SGX_EEXTEND_CHUNK);

			used += n > 0 ? (size_t)n : 0;
		}
		nr_runs++;
	}
	return nr_runs;
}

void cm_sgx_build_report(const struct cm_sgx_enclave_desc *d, struct cm_sgx_build_report *r)
{
	memset(r, 0, sizeof(*r));
	r->nr_pages = d->nr_pages;
	r->epc_pages_peak = cm_sgx_epc_pages_peak(d->nr_pages);
	/* Any set of chunks of an added page is a sequence of eextend calls after ADD_PAGES. */
	r->eextend_ioctl = true;
	r->subrange_per_page = true;
	for (size_t i = 0; i < d->nr_pages; i++) {
		const struct cm_sgx_page_desc *page = &d->pages[i];
		char runs[160];
		unsigned int nr_runs;

		r->nr_eextend += (uint64_t)__builtin_popcount(page->measured_chunks);
		if (!r->subrange_per_page)
			continue;
		nr_runs = describe_runs(page->measured_chunks, runs, sizeof(runs));
		if (nr_runs <= 1)
			continue;
		r->subrange_per_page = false;
		snprintf(r->reason, sizeof(r->reason), "page %zu (offset 0x%" PRIx64 ") measures %u separate ranges "
			 "%s; one measured sub-range per page covers only one", i, page->offset, nr_runs, runs);
	}
}

/* ---- the JSON description ---- */

struct enclave_reader {
	const char *source;
	struct cm_error *err;
	struct cm_sgx_enclave_desc *desc;
};

static int out_of_memory(struct enclave_reader *r)
{
	return cm_error_set(r->err, -ENOMEM, "%s: out of memory", r->source);
}

/* "data": hex digits, two per byte, 1 to CM_SGX_DATA_MAX bytes. */
static int read_data(struct enclave_reader *r, struct json_object *page, const char *path,
		     struct cm_sgx_page_desc *out)
{
	char child[CM_JSON_PATH_MAX];
	const char *text = NULL;
	size_t nr_digits;
	int ret;

	ret = cm_json_field_string(page, "data", CM_JSON_OPTIONAL, r->source, path, &text, r->err);
	if (ret <= 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, "data");
	nr_digits = strlen(text);
	if (!nr_digits)
		return cm_json_error(r->err, r->source, child, "expected at least one byte (2 hex digits); leave "
				     "\"data\" out for a page of zeros");
	if (nr_digits % 2)
		return cm_json_error(r->err, r->source, child, "expected 2 hex digits per byte, found %zu digits",
				     nr_digits);
	if (nr_digits / 2 > CM_SGX_DATA_MAX)
		return cm_json_error(r->err, r->source, child, "%zu bytes, at most %llu (one page; shorter data is "
				     "repeated to fill the page)", nr_digits / 2, CM_SGX_DATA_MAX);
	out->data_len = nr_digits / 2;
	out->data = malloc(out->data_len);
	if (!out->data)
		return out_of_memory(r);
	for (size_t i = 0; i < nr_digits; i += 2) {
		int high = cm_hex_digit_value(text[i]), low = cm_hex_digit_value(text[i + 1]);

		if (high < 0 || low < 0) {
			size_t bad = high < 0 ? i : i + 1;
			char shown = text[bad] >= ' ' && text[bad] < 0x7f ? text[bad] : '?';

			return cm_json_error(r->err, r->source, child, "expected hex digits, found '%c' at "
					     "character %zu", shown, bad);
		}
		out->data[i / 2] = (uint8_t)(high << 4 | low);
	}
	return 0;
}

/* "measure": true, false, or the offsets of the measured chunks within the page, ascending. */
static int read_measure(struct enclave_reader *r, struct json_object *page, const char *path,
			struct cm_sgx_page_desc *out)
{
	char child[CM_JSON_PATH_MAX], item_path[CM_JSON_PATH_MAX], found[96];
	struct json_object *value;
	uint64_t previous = 0;
	size_t nr_items;
	int ret;

	ret = cm_json_member(page, "measure", CM_JSON_REQUIRED, r->source, path, &value, r->err);
	if (ret < 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, "measure");
	if (json_object_is_type(value, json_type_boolean)) {
		out->measured_chunks = json_object_get_boolean(value) ? CM_SGX_ALL_CHUNKS : 0;
		return 0;
	}
	if (!json_object_is_type(value, json_type_array)) {
		cm_json_describe(value, found, sizeof(found));
		return cm_json_error(r->err, r->source, child, "expected true, false or an array of chunk offsets "
				     "(multiples of 256 below 4096), found %s", found);
	}
	if (cm_json_array(value, r->source, child, &nr_items, r->err))
		return -EINVAL;
	for (size_t i = 0; i < nr_items; i++) {
		uint64_t offset;

		cm_json_path_index(item_path, sizeof(item_path), child, i);
		if (cm_json_size(json_object_array_get_idx(value, i), r->source, item_path, &offset, r->err))
			return -EINVAL;
		if (!cm_is_aligned(offset, CM_SGX_EEXTEND_CHUNK))
			return cm_json_error(r->err, r->source, item_path, "chunk offset 0x%" PRIx64 " is not a "
					     "multiple of 256 (EEXTEND measures 256-byte chunks)", offset);
		if (offset >= CM_PAGE_SIZE)
			return cm_json_error(r->err, r->source, item_path, "chunk offset 0x%" PRIx64 " is outside "
					     "the page (offsets within the page are below 0x1000)", offset);
		if (i && offset <= previous)
			return cm_json_error(r->err, r->source, item_path, "chunk offset 0x%" PRIx64 " follows 0x%"
					     PRIx64 "; list chunk offsets in ascending order, each once", offset,
					     previous);
		out->measured_chunks |= (uint16_t)(1U << (offset / CM_SGX_EEXTEND_CHUNK));
		previous = offset;
	}
	return 0;
}

/* "secinfo_flags": a JSON integer or a "0x..." string. */
static int read_secinfo_flags(struct enclave_reader *r, struct json_object *page, const char *path,
			      uint64_t *out)
{
	char child[CM_JSON_PATH_MAX], found[96];
	struct json_object *value;
	const char *text, *why;
	int ret;

	ret = cm_json_member(page, "secinfo_flags", CM_JSON_REQUIRED, r->source, path, &value, r->err);
	if (ret < 0)
		return ret;
	cm_json_path_key(child, sizeof(child), path, "secinfo_flags");
	if (json_object_is_type(value, json_type_string)) {
		if (cm_json_string(value, r->source, child, &text, r->err))
			return -EINVAL;
		cm_json_describe(value, found, sizeof(found));
		if (strncmp(text, "0x", 2) && strncmp(text, "0X", 2))
			return cm_json_error(r->err, r->source, child, "expected an integer or a hex string like "
					     "\"0x203\", found %s", found);
		/* strtoull would take a sign or blanks after "0x"; accept hex digits only. */
		for (const char *c = text + 2; *c; c++)
			if (cm_hex_digit_value(*c) < 0)
				return cm_json_error(r->err, r->source, child, "expected an integer or a hex string "
						     "like \"0x203\", found %s", found);
		if (!text[2] || strlen(text + 2 + strspn(text + 2, "0")) > 16)
			return cm_json_error(r->err, r->source, child, "expected an integer or a hex string of at "
					     "most 64 bits, found %s", found);
		*out = strtoull(text + 2, NULL, 16);
	} else if (cm_json_uint(value, r->source, child, UINT64_MAX, out, r->err)) {
		return -EINVAL;
	}
	why = cm_sgx_secinfo_problem(*out);
	if (why)
		return cm_json_error(r->err, r->source, child, "0x%" PRIx64 ": %s", *out, why);
	return 0;
}

static const char *const page_fields[] = { "offset", "secinfo_flags", "measure", "data", NULL };

static int read_page(struct enclave_reader *r, struct json_object *page, const char *path,
		     struct cm_sgx_page_desc *out)
{
	char child[CM_JSON_PATH_MAX];
	const char *why;
	int ret;

	if (cm_json_object(page, r->source, path, r->err) ||
	    cm_json_check_fields(page, page_fields, r->source, path, r->err))
		return -EINVAL;
	ret = cm_json_field_size(page, "offset", CM_JSON_REQUIRED, r->source, path, &out->offset, r->err);
	if (ret < 0)
		return ret;
	why = page_offset_problem(out->offset, r->desc->size);
	if (why) {
		cm_json_path_key(child, sizeof(child), path, "offset");
		return cm_json_error(r->err, r->source, child, "0x%" PRIx64 " %s (size 0x%" PRIx64 ")", out->offset,
				     why, r->desc->size);
	}
	ret = read_secinfo_flags(r, page, path, &out->secinfo_flags);
	if (!ret)
		ret = read_measure(r, page, path, out);
	if (!ret)
		ret = read_data(r, page, path, out);
	return ret;
}

static int read_pages(struct enclave_reader *r, struct json_object *root)
{
	struct cm_sgx_enclave_desc *d = r->desc;
	char path[CM_JSON_PATH_MAX], offset_path[CM_JSON_PATH_MAX], other[CM_JSON_PATH_MAX];
	struct json_object *array;
	size_t nr_items, duplicate = 0, original = 0;
	int ret;

	ret = cm_json_member(root, "pages", CM_JSON_REQUIRED, r->source, "$", &array, r->err);
	if (ret < 0)
		return ret;
	if (cm_json_array(array, r->source, "$.pages", &nr_items, r->err))
		return -EINVAL;
	d->pages = calloc(nr_items ? nr_items : 1, sizeof(*d->pages));
	if (!d->pages)
		return out_of_memory(r);
	for (size_t i = 0; i < nr_items; i++) {
		cm_json_path_index(path, sizeof(path), "$.pages", i);
		/* Count the page first so that its data is freed with the description on failure. */
		d->nr_pages = i + 1;
		ret = read_page(r, json_object_array_get_idx(array, i), path, &d->pages[i]);
		if (ret)
			return ret;
	}
	ret = find_duplicate_page(d->pages, d->nr_pages, &duplicate, &original);
	if (ret < 0)
		return out_of_memory(r);
	if (ret) {
		cm_json_path_index(path, sizeof(path), "$.pages", duplicate);
		cm_json_path_key(offset_path, sizeof(offset_path), path, "offset");
		cm_json_path_index(other, sizeof(other), "$.pages", original);
		return cm_json_error(r->err, r->source, offset_path, "0x%" PRIx64 " is already added by %s",
				     d->pages[duplicate].offset, other);
	}
	return 0;
}

static const char *const enclave_fields[] = { "size", "ssa_frame_size", "pages", NULL };

static int read_enclave(struct enclave_reader *r, struct json_object *root)
{
	struct cm_sgx_enclave_desc *d = r->desc;
	uint64_t ssa_frame_size = 1;
	const char *why;
	int ret;

	if (cm_json_object(root, r->source, "$", r->err) ||
	    cm_json_check_fields(root, enclave_fields, r->source, "$", r->err))
		return -EINVAL;
	ret = cm_json_field_size(root, "size", CM_JSON_REQUIRED, r->source, "$", &d->size, r->err);
	if (ret < 0)
		return ret;
	why = cm_sgx_size_problem(d->size);
	if (why)
		return cm_json_error(r->err, r->source, "$.size", "0x%" PRIx64 ": %s (ECREATE)", d->size, why);
	ret = cm_json_field_uint(root, "ssa_frame_size", CM_JSON_OPTIONAL, r->source, "$", UINT32_MAX,
				 &ssa_frame_size, r->err);
	if (ret < 0)
		return ret;
	if (!ssa_frame_size)
		return cm_json_error(r->err, r->source, "$.ssa_frame_size", "the SSA frame size is at least 1 page "
				     "(ECREATE)");
	d->ssa_frame_size = (uint32_t)ssa_frame_size;
	return read_pages(r, root);
}

int cm_sgx_enclave_from_json_string(const char *text, size_t len, const char *source,
				    struct cm_sgx_enclave_desc **out, struct cm_error *err)
{
	struct enclave_reader reader = { .source = source, .err = err };
	struct json_object *root;
	int ret;

	*out = NULL;
	cm_error_clear(err);
	ret = cm_json_parse(text, len, source, &root, err);
	if (ret)
		return ret;
	reader.desc = calloc(1, sizeof(*reader.desc));
	if (!reader.desc) {
		json_object_put(root);
		return out_of_memory(&reader);
	}
	ret = read_enclave(&reader, root);
	json_object_put(root);
	if (ret) {
		cm_sgx_enclave_desc_free(reader.desc);
		return ret;
	}
	*out = reader.desc;
	return 0;
}

int cm_sgx_enclave_from_json_file(const char *path, struct cm_sgx_enclave_desc **out, struct cm_error *err)
{
	char *text;
	size_t len;
	int ret;

	*out = NULL;
	ret = cm_json_read_file(path, &text, &len, err);
	if (ret)
		return ret;
	ret = cm_sgx_enclave_from_json_string(text, len, path, out, err);
	free(text);
	return ret;
}
