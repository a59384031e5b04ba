// SPDX-License-Identifier: MIT
/*
 * The platform model: construction, completion and validation (SPEC 1).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/platform.h"

void cm_tdx_config_set_defaults(struct cm_tdx_config *tdx)
{
	tdx->max_tdmrs = CM_TDX_DEFAULT_MAX_TDMRS;
	tdx->max_reserved_per_tdmr = CM_TDX_DEFAULT_MAX_RESERVED;
	for (int i = 0; i < CM_PAMT_NR_LEVELS; i++)
		tdx->pamt_entry_size[i] = CM_TDX_DEFAULT_PAMT_ENTRY_SIZE;
	tdx->pamt_bitmap_entry_bits = CM_TDX_DEFAULT_PAMT_BITMAP_ENTRY_BITS;
	tdx->phys_addr_bits = CM_TDX_DEFAULT_PHYS_ADDR_BITS;
	tdx->keyid_start = CM_TDX_DEFAULT_KEYID_START;
	tdx->nr_keyids = CM_TDX_DEFAULT_NR_KEYIDS;
}

struct cm_platform *cm_platform_new(void)
{
	struct cm_platform *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->memory_block_size = CM_DEFAULT_BLOCK_SIZE;
	cm_tdx_config_set_defaults(&p->tdx);
	return p;
}

void cm_platform_free(struct cm_platform *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nr_nodes; i++) {
		cm_bitmap_free(&p->nodes[i].cpus);
		free(p->nodes[i].memory);
	}
	free(p->nodes);
	free(p->distance);
	free(p->e820);
	free(p->hotplug);
	cm_log_free(&p->assumed);
	free(p);
}

/*
 * Arrays grow by doubling: the capacity is the next power of two of the
 * count, so a reallocation is due exactly when the count is zero or a
 * power of two. Every array of the platform grows only through here.
 */
static int grow(void **array, size_t nr, size_t elem_size)
{
	void *n;

	if (nr & (nr - 1))
		return 0;
	n = realloc(*array, (nr ? 2 * nr : 1) * elem_size);
	if (!n)
		return -ENOMEM;
	*array = n;
	return 0;
}

struct cm_node *cm_platform_add_node(struct cm_platform *p, int id, enum cm_node_kind kind)
{
	struct cm_node *n;

	if (grow((void **)&p->nodes, p->nr_nodes, sizeof(*n)))
		return NULL;
	n = &p->nodes[p->nr_nodes];
	memset(n, 0, sizeof(*n));
	if (cm_bitmap_init(&n->cpus, CM_MAX_CPUS))
		return NULL;
	n->id = id;
	n->kind = kind;
	n->adistance = -1;
	n->package = -1;
	p->nr_nodes++;
	return n;
}

int cm_node_add_memory(struct cm_node *n, uint64_t start, uint64_t end)
{
	struct cm_range *m;

	if (grow((void **)&n->memory, n->nr_memory, sizeof(*m)))
		return -ENOMEM;
	m = n->memory;
	m[n->nr_memory].start = start;
	m[n->nr_memory].end = end;
	n->nr_memory++;
	return 0;
}

int cm_platform_add_e820(struct cm_platform *p, uint64_t start, uint64_t end, enum cm_e820_type type)
{
	struct cm_e820_entry *e;

	if (grow((void **)&p->e820, p->nr_e820, sizeof(*e)))
		return -ENOMEM;
	e = p->e820;
	e[p->nr_e820].start = start;
	e[p->nr_e820].end = end;
	e[p->nr_e820].type = type;
	p->nr_e820++;
	return 0;
}

void cm_platform_set_cmrs(struct cm_platform *p, const struct cm_range *cmrs, unsigned int nr)
{
	size_t kept = 0;

	memcpy(p->tdx.cmrs, cmrs, nr * sizeof(cmrs[0]));
	p->tdx.nr_cmrs = nr;
	p->tdx.enabled = true;
	p->tdx.cmrs_assumed = false;
	for (size_t i = 0; i < p->assumed.nr_lines; i++) {
		char *text = p->assumed.lines[i].text;

		if (!strncmp(text, CM_ASSUMED_CMRS_NOTE, strlen(CM_ASSUMED_CMRS_NOTE)) ||
		    !strncmp(text, CM_ASSUMED_NO_TDX_NOTE, strlen(CM_ASSUMED_NO_TDX_NOTE)))
			free(text);
		else
			p->assumed.lines[kept++] = p->assumed.lines[i];
	}
	p->assumed.nr_lines = kept;
}

int cm_platform_add_cmr(struct cm_platform *p, uint64_t start, uint64_t end)
{
	struct cm_tdx_config *tdx = &p->tdx;

	if (tdx->nr_cmrs >= CM_MAX_CMRS)
		return -ENOSPC;
	tdx->cmrs[tdx->nr_cmrs].start = start;
	tdx->cmrs[tdx->nr_cmrs].end = end;
	tdx->nr_cmrs++;
	return 0;
}

int cm_platform_add_epc(struct cm_platform *p, const struct cm_epc_section *section)
{
	struct cm_sgx_config *sgx = &p->sgx;

	if (sgx->nr_epc >= CM_MAX_EPC_SECTIONS)
		return -ENOSPC;
	sgx->epc[sgx->nr_epc++] = *section;
	return 0;
}

int cm_platform_add_hotplug(struct cm_platform *p, const struct cm_hotplug_window *w)
{
	if (grow((void **)&p->hotplug, p->nr_hotplug, sizeof(*w)))
		return -ENOMEM;
	p->hotplug[p->nr_hotplug++] = *w;
	return 0;
}

int cm_platform_default_distances(struct cm_platform *p)
{
	size_t n = p->nr_nodes;

	free(p->distance);
	p->distance = malloc((n ? n * n : 1) * sizeof(*p->distance));
	if (!p->distance)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			p->distance[i * n + j] = i == j ? 10 : 20;
	return 0;
}

const struct cm_node *cm_platform_node(const struct cm_platform *p, int id)
{
	int i = cm_platform_node_index(p, id);

	return i < 0 ? NULL : &p->nodes[i];
}

int cm_platform_node_index(const struct cm_platform *p, int id)
{
	for (size_t i = 0; i < p->nr_nodes; i++)
		if (p->nodes[i].id == id)
			return (int)i;
	return -1;
}

unsigned int cm_platform_distance(const struct cm_platform *p, int from_id, int to_id)
{
	int a = cm_platform_node_index(p, from_id), b = cm_platform_node_index(p, to_id);

	if (a < 0 || b < 0)
		return 255;
	return p->distance[(size_t)a * p->nr_nodes + (size_t)b];
}

unsigned int cm_platform_nr_packages(const struct cm_platform *p, bool *all_known)
{
	unsigned int nr = 0;

	*all_known = true;
	for (size_t i = 0; i < p->nr_nodes; i++) {
		const struct cm_node *n = &p->nodes[i];
		size_t j = 0;

		if (n->package < 0) {
			nr += cm_node_has_cpus(n);
			*all_known &= !cm_node_has_cpus(n);
			continue;
		}
		while (j < i && p->nodes[j].package != n->package)
			j++;
		nr += j == i;
	}
	return nr ? nr : 1;
}

bool cm_node_has_cpus(const struct cm_node *n)
{
	return cm_bitmap_weight(&n->cpus) > 0;
}

uint64_t cm_node_memory_bytes(const struct cm_node *n)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < n->nr_memory; i++)
		sum += cm_range_size(&n->memory[i]);
	return sum;
}

/* ---- completion and validation ---- */

static int verr(struct cm_error *err, const char *source, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int verr(struct cm_error *err, const char *source, const char *fmt, ...)
{
	char tmp[CM_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	return cm_error_set(err, -EINVAL, "%s: %s", source, tmp);
}

static int cmp_range(const void *a, const void *b)
{
	const struct cm_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Every boot-RAM range of every node, sorted by address, with its node id. */
int cm_platform_ram_ranges(const struct cm_platform *p, struct cm_node_range **out, size_t *nr_out)
{
	size_t n = 0, k = 0;
	struct cm_node_range *r;

	for (size_t i = 0; i < p->nr_nodes; i++)
		n += p->nodes[i].nr_memory;
	r = malloc((n ? n : 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < p->nr_nodes; i++) {
		for (size_t j = 0; j < p->nodes[i].nr_memory; j++) {
			r[k].start = p->nodes[i].memory[j].start;
			r[k].end = p->nodes[i].memory[j].end;
			r[k].node = p->nodes[i].id;
			r[k].node_index = (int)i;
			r[k].range_index = (int)j;
			k++;
		}
	}
	qsort(r, n, sizeof(*r), cmp_range);
	*out = r;
	*nr_out = n;
	return 0;
}

static int derive_e820(struct cm_platform *p, const struct cm_node_range *ram, size_t nr_ram)
{
	uint64_t prev = 0;

	for (size_t i = 0; i < nr_ram; i++) {
		if (ram[i].start > prev && cm_platform_add_e820(p, prev, ram[i].start, CM_E820_RESERVED))
			return -ENOMEM;
		if (i > 0 && p->nr_e820 && p->e820[p->nr_e820 - 1].type == CM_E820_USABLE &&
		    p->e820[p->nr_e820 - 1].end == ram[i].start) {
			p->e820[p->nr_e820 - 1].end = ram[i].end;
		} else if (cm_platform_add_e820(p, ram[i].start, ram[i].end, CM_E820_USABLE)) {
			return -ENOMEM;
		}
		prev = ram[i].end;
	}
	return 0;
}

static int check_range(struct cm_error *err, const char *source, const char *path,
		       uint64_t start, uint64_t end, uint64_t align)
{
	if (end <= start)
		return verr(err, source, "%s: zero-size or inverted range [0x%" PRIx64 ", 0x%" PRIx64 ")",
			    path, start, end);
	if (end > CM_PHYS_LIMIT)
		return verr(err, source, "%s: range [0x%" PRIx64 ", 0x%" PRIx64
			    ") ends past the 52-bit physical address limit 0x%llx",
			    path, start, end, CM_PHYS_LIMIT);
	if (align && (!cm_is_aligned(start, align) || !cm_is_aligned(end, align)))
		return verr(err, source, "%s: range [0x%" PRIx64 ", 0x%" PRIx64 ") is not %" PRIu64
			    " KiB aligned", path, start, end, align >> 10);
	return 0;
}

/* Is [start, end) fully covered by usable e820 entries (sorted; adjacent ones merged)? */
static bool inside_usable(const struct cm_platform *p, uint64_t start, uint64_t end)
{
	size_t lo = 0, hi = p->nr_e820;
	uint64_t pos = start;

	/* The first entry that ends above @start. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->e820[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < p->nr_e820 && pos < end; i++) {
		const struct cm_e820_entry *e = &p->e820[i];

		if (e->type != CM_E820_USABLE || e->start > pos)
			return false;
		pos = e->end;
	}
	return pos >= end;
}

static int validate_nodes(struct cm_platform *p, const char *source, struct cm_error *err)
{
	char path[96];

	if (p->nr_nodes == 0)
		return verr(err, source, "$.nodes: expected at least one NUMA node");
	for (size_t i = 0; i < p->nr_nodes; i++) {
		const struct cm_node *n = &p->nodes[i];

		if (n->id < 0 || n->id >= CM_MAX_NUMNODES)
			return verr(err, source, "$.nodes[%zu].id: expected 0..%d, found %d", i,
				    CM_MAX_NUMNODES - 1, n->id);
		if (i > 0 && n->id <= p->nodes[i - 1].id)
			return verr(err, source, "$.nodes[%zu].id: node %d listed after node %d "
				    "(nodes must be in ascending id order, each once)", i, n->id,
				    p->nodes[i - 1].id);
		if (n->adistance < -1 || n->adistance > 65535)
			return verr(err, source, "$.nodes[%zu].adistance: expected 0..65535, found %d",
				    i, n->adistance);
		for (size_t j = 0; j < n->nr_memory; j++) {
			snprintf(path, sizeof(path), "$.nodes[%zu].memory[%zu]", i, j);
			if (check_range(err, source, path, n->memory[j].start, n->memory[j].end,
					CM_PAGE_SIZE))
				return -EINVAL;
			if (j > 0 && n->memory[j].start < n->memory[j - 1].end)
				return verr(err, source, "%s: range [0x%" PRIx64 ", 0x%" PRIx64
					    ") is below or overlaps the previous one (ranges must be sorted)",
					    path, n->memory[j].start, n->memory[j].end);
		}
	}
	return 0;
}

static int validate_distances(const struct cm_platform *p, const char *source, struct cm_error *err)
{
	size_t n = p->nr_nodes;

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			unsigned int d = p->distance[i * n + j];

			if (i == j && d != 10)
				return verr(err, source, "$.distances[%zu][%zu]: a node's distance to "
					    "itself must be 10, found %u", i, j, d);
			if (i != j && (d <= 10 || d > 255))
				return verr(err, source, "$.distances[%zu][%zu]: expected 11..255 between "
					    "different nodes, found %u", i, j, d);
		}
	}
	return 0;
}

static int validate_ram(const struct cm_platform *p, const struct cm_node_range *ram, size_t nr_ram,
			const char *source, struct cm_error *err)
{
	for (size_t k = 0; k < nr_ram; k++) {
		const struct cm_node_range *r = &ram[k];

		if (k > 0 && r->start < ram[k - 1].end)
			return verr(err, source, "$.nodes[%d].memory[%d]: range [0x%" PRIx64 ", 0x%" PRIx64
				    ") overlaps node %d's range [0x%" PRIx64 ", 0x%" PRIx64 ")",
				    r->node_index, r->range_index, r->start, r->end, ram[k - 1].node,
				    ram[k - 1].start, ram[k - 1].end);
		if (!inside_usable(p, r->start, r->end))
			return verr(err, source, "$.nodes[%d].memory[%d]: range [0x%" PRIx64 ", 0x%" PRIx64
				    ") is not RAM (not covered by usable e820 entries)",
				    r->node_index, r->range_index, r->start, r->end);
	}
	/* Usable RAM must belong to a node: memblock gives every range a node. */
	for (size_t i = 0, k = 0; i < p->nr_e820; i++) {
		const struct cm_e820_entry *e = &p->e820[i];
		uint64_t pos = cm_align_up(e->start, CM_PAGE_SIZE), end = cm_align_down(e->end, CM_PAGE_SIZE);

		if (e->type != CM_E820_USABLE || pos >= end)
			continue;
		/* Both lists are sorted and disjoint: one forward walk serves all entries. */
		while (k < nr_ram && ram[k].end <= pos)
			k++;
		for (size_t j = k; j < nr_ram && pos < end && ram[j].start <= pos; j++)
			pos = ram[j].end;
		if (pos < end)
			return verr(err, source, "$.e820[%zu]: usable RAM [0x%" PRIx64 ", 0x%" PRIx64
				    ") is not in any node's memory (add it to a node's \"memory\")",
				    i, pos, end);
	}
	return 0;
}

static int validate_e820(const struct cm_platform *p, const char *source, struct cm_error *err)
{
	char path[64];

	for (size_t i = 0; i < p->nr_e820; i++) {
		snprintf(path, sizeof(path), "$.e820[%zu]", i);
		if (check_range(err, source, path, p->e820[i].start, p->e820[i].end, 0))
			return -EINVAL;
		if (i > 0 && p->e820[i].start < p->e820[i - 1].end)
			return verr(err, source, "%s: range [0x%" PRIx64 ", 0x%" PRIx64 ") is below or "
				    "overlaps the previous entry (entries must be sorted and disjoint)",
				    path, p->e820[i].start, p->e820[i].end);
	}
	return 0;
}

static int validate_tdx(const struct cm_platform *p, const char *source, struct cm_error *err)
{
	const struct cm_tdx_config *t = &p->tdx;
	char path[64];

	if (t->nr_cmrs > CM_MAX_CMRS)
		return verr(err, source, "$.tdx.cmrs: %u CMRs, at most %d allowed", t->nr_cmrs, CM_MAX_CMRS);
	for (unsigned int i = 0; i < t->nr_cmrs; i++) {
		const struct cm_range *c = &t->cmrs[i];

		snprintf(path, sizeof(path), "$.tdx.cmrs[%u]", i);
		/* Zero-size CMRs are how firmware pads the list; the plan drops them. */
		if (c->start == c->end) {
			if (!cm_is_aligned(c->start, CM_PAGE_SIZE))
				return verr(err, source, "%s: base 0x%" PRIx64 " is not 4 KiB aligned",
					    path, c->start);
			continue;
		}
		if (check_range(err, source, path, c->start, c->end, CM_PAGE_SIZE))
			return -EINVAL;
	}
	if (t->max_tdmrs < 1 || t->max_tdmrs > (1U << 20))
		return verr(err, source, "$.tdx.max_tdmrs: expected 1..%u, found %u", 1U << 20, t->max_tdmrs);
	if (t->max_reserved_per_tdmr < 1 || t->max_reserved_per_tdmr > (1U << 16))
		return verr(err, source, "$.tdx.max_reserved_per_tdmr: expected 1..%u, found %u",
			    1U << 16, t->max_reserved_per_tdmr);
	for (int i = 0; i < CM_PAMT_NR_LEVELS; i++) {
		if (t->pamt_entry_size[i] < 1 || t->pamt_entry_size[i] > 4096)
			return verr(err, source, "$.tdx.pamt_entry_size.%s: expected 1..4096, found %u",
				    cm_pamt_level_name((enum cm_pamt_level)i), t->pamt_entry_size[i]);
	}
	return 0;
}

static int validate_sgx(const struct cm_platform *p, const char *source, struct cm_error *err)
{
	uint64_t total = 0;
	char path[64];

	if (p->sgx.nr_epc > CM_MAX_EPC_SECTIONS)
		return verr(err, source, "$.sgx.epc: %u sections, at most %d allowed", p->sgx.nr_epc,
			    CM_MAX_EPC_SECTIONS);
	for (unsigned int i = 0; i < p->sgx.nr_epc; i++) {
		total += p->sgx.epc[i].size > CM_MAX_EPC_BYTES ? CM_MAX_EPC_BYTES + 1 : p->sgx.epc[i].size;
		if (total > CM_MAX_EPC_BYTES)
			return verr(err, source, "$.sgx.epc[%u]: the EPC sections total more than 1 TiB (0x%llx bytes), "
				    "the most any processor has", i, (unsigned long long)CM_MAX_EPC_BYTES);
	}
	for (unsigned int i = 0; i < p->sgx.nr_epc; i++) {
		const struct cm_epc_section *s = &p->sgx.epc[i];

		snprintf(path, sizeof(path), "$.sgx.epc[%u]", i);
		if (s->size > UINT64_MAX - s->start)
			return verr(err, source, "%s: start + size overflows 64 bits", path);
		if (check_range(err, source, path, s->start, s->start + s->size, CM_PAGE_SIZE))
			return -EINVAL;
		if (!cm_platform_node(p, s->node))
			return verr(err, source, "%s.node: node %d does not exist", path, s->node);
		for (unsigned int j = 0; j < i; j++) {
			const struct cm_epc_section *o = &p->sgx.epc[j];

			if (s->start < o->start + o->size && o->start < s->start + s->size)
				return verr(err, source, "%s: overlaps $.sgx.epc[%u]", path, j);
		}
		for (size_t k = 0; k < p->nr_e820; k++) {
			const struct cm_e820_entry *e = &p->e820[k];

			if (e->type == CM_E820_USABLE && s->start < e->end && e->start < s->start + s->size)
				return verr(err, source, "%s: EPC [0x%" PRIx64 ", 0x%" PRIx64
					    ") overlaps usable RAM $.e820[%zu] (EPC is carved out of RAM "
					    "by firmware and reported reserved)", path, s->start,
					    s->start + s->size, k);
		}
	}
	return 0;
}

/* The first e820 entry that ends above @start (the map is sorted and disjoint). */
static size_t e820_first_ending_above(const struct cm_platform *p, uint64_t start)
{
	size_t lo = 0, hi = p->nr_e820;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->e820[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int one_window(const struct cm_platform *p, size_t i, const char *source, struct cm_error *err)
{
	const struct cm_hotplug_window *w = &p->hotplug[i];
	char path[64];

	snprintf(path, sizeof(path), "$.hotplug[%zu]", i);
	if (w->size > UINT64_MAX - w->start)
		return verr(err, source, "%s: start + size overflows 64 bits", path);
	if (check_range(err, source, path, w->start, w->start + w->size, 0))
		return -EINVAL;
	if (!cm_is_aligned(w->start, p->memory_block_size) || !cm_is_aligned(w->size, p->memory_block_size))
		return verr(err, source, "%s: [0x%" PRIx64 ", 0x%" PRIx64 ") is not whole memory blocks of 0x%" PRIx64
			    " bytes", path, w->start, w->start + w->size, p->memory_block_size);
	if (w->node < 0 || w->node >= CM_MAX_NUMNODES)
		return verr(err, source, "%s.node: expected 0..%d, found %d", path, CM_MAX_NUMNODES - 1, w->node);
	for (size_t k = e820_first_ending_above(p, w->start); k < p->nr_e820 && p->e820[k].start < w->start + w->size;
	     k++)
		if (p->e820[k].type == CM_E820_USABLE)
			return verr(err, source, "%s: window overlaps boot RAM $.e820[%zu]", path, k);
	if (w->convertible && p->tdx.enabled &&
	    !cm_ranges_contain(p->tdx.cmrs, p->tdx.nr_cmrs, w->start, w->start + w->size))
		return verr(err, source, "%s.convertible: true, but [0x%" PRIx64 ", 0x%" PRIx64 ") is not inside the CMRs",
			    path, w->start, w->start + w->size);
	return 0;
}

static int compare_window_start(const void *a, const void *b, void *windows)
{
	const struct cm_hotplug_window *w = windows;
	uint64_t x = w[*(const size_t *)a].start, y = w[*(const size_t *)b].start;

	return x < y ? -1 : x > y;
}

/*
 * Windows may not overlap one another: sorted by start, each must begin at
 * or after the furthest end so far. The pair named is the overlap found
 * with the later window (in input order) as the subject.
 */
static int windows_disjoint(const struct cm_platform *p, const char *source, struct cm_error *err)
{
	size_t *order = malloc(p->nr_hotplug * sizeof(*order)), furthest;

	if (!order)
		return cm_error_set(err, -ENOMEM, "%s: out of memory", source);
	for (size_t i = 0; i < p->nr_hotplug; i++)
		order[i] = i;
	qsort_r(order, p->nr_hotplug, sizeof(*order), compare_window_start, p->hotplug);
	furthest = order[0];
	for (size_t k = 1; k < p->nr_hotplug; k++) {
		const struct cm_hotplug_window *w = &p->hotplug[order[k]], *f = &p->hotplug[furthest];

		if (w->start < f->start + f->size) {
			size_t later = order[k] > furthest ? order[k] : furthest;
			size_t earlier = order[k] > furthest ? furthest : order[k];

			free(order);
			return verr(err, source, "$.hotplug[%zu]: overlaps $.hotplug[%zu]", later, earlier);
		}
		if (w->start + w->size > f->start + f->size)
			furthest = order[k];
	}
	free(order);
	return 0;
}

static int validate_hotplug(const struct cm_platform *p, const char *source, struct cm_error *err)
{
	for (size_t i = 0; i < p->nr_hotplug; i++)
		if (one_window(p, i, source, err))
			return -EINVAL;
	return p->nr_hotplug > 1 ? windows_disjoint(p, source, err) : 0;
}

int cm_memory_block_size_check(uint64_t size, struct cm_error *err)
{
	if (size < CM_MIN_BLOCK_SIZE || size > CM_MAX_BLOCK_SIZE || (size & (size - 1)))
		return cm_error_set(err, -EINVAL, "expected a power of two from 0x%llx to 0x%llx, found 0x%"
				    PRIx64, CM_MIN_BLOCK_SIZE, CM_MAX_BLOCK_SIZE, size);
	return 0;
}

int cm_platform_finalize(struct cm_platform *p, const char *source, struct cm_error *err)
{
	struct cm_error reason = { 0 };
	struct cm_node_range *ram = NULL;
	size_t nr_ram = 0;
	int ret;

	if (cm_memory_block_size_check(p->memory_block_size, &reason))
		return verr(err, source, "$.memory_block_size: %s", reason.msg);
	ret = validate_nodes(p, source, err);
	if (ret)
		return ret;
	if (!p->distance) {
		ret = cm_platform_default_distances(p);
		if (ret)
			return cm_error_set(err, ret, "%s: out of memory", source);
	}
	ret = validate_distances(p, source, err);
	if (ret)
		return ret;
	ret = cm_platform_ram_ranges(p, &ram, &nr_ram);
	if (ret)
		return cm_error_set(err, ret, "%s: out of memory", source);
	if (p->nr_e820 == 0 && nr_ram > 0) {
		/* Check node ranges first so the derived map is well formed. */
		for (size_t k = 1; k < nr_ram; k++)
			if (ram[k].start < ram[k - 1].end) {
				ret = verr(err, source, "$.nodes[%d].memory[%d]: overlaps node %d's memory",
					   ram[k].node_index, ram[k].range_index, ram[k - 1].node);
				goto out;
			}
		ret = derive_e820(p, ram, nr_ram);
		if (ret) {
			cm_error_set(err, ret, "%s: out of memory", source);
			goto out;
		}
	}
	ret = validate_e820(p, source, err);
	if (!ret)
		ret = validate_ram(p, ram, nr_ram, source, err);
	if (!ret)
		ret = validate_tdx(p, source, err);
	if (!ret)
		ret = validate_sgx(p, source, err);
	if (!ret)
		ret = validate_hotplug(p, source, err);
out:
	free(ram);
	return ret;
}
