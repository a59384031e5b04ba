/* SPDX-License-Identifier: MIT */
/*
 * The platform model: what firmware and hardware tell the kernel (SPEC 1).
 * Ranges are half-open [start, end) in bytes.
 */
#ifndef CONFMEM_PLATFORM_H
#define CONFMEM_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "confmem/tdx_kernel.h"
#include "confmem/util.h"

#define CM_MAX_CMRS 32
#define CM_MAX_EPC_SECTIONS 8
/* EPC in all: 1 TiB, twice the 512 GiB per socket of the largest SGX processors (2 sockets). */
#define CM_MAX_EPC_BYTES (1ULL << 40)
#define CM_DEFAULT_BLOCK_SIZE (128ULL << 20)

/* TDX module defaults (current module; SPEC 3.1). */
#define CM_TDX_DEFAULT_MAX_TDMRS 64
#define CM_TDX_DEFAULT_MAX_RESERVED 16
#define CM_TDX_DEFAULT_PAMT_ENTRY_SIZE 16
/*
 * One bit per 4 KiB page: the Dynamic PAMT series puts the static PAMT at
 * "approximately 0.004% of the system memory", which is 1 bit per page
 * (32 KiB per GiB) plus the 2M and 1G levels (8 KiB + 16 bytes per GiB).
 */
#define CM_TDX_DEFAULT_PAMT_BITMAP_ENTRY_BITS 1
#define CM_TDX_DEFAULT_PHYS_ADDR_BITS 46
/*
 * The BIOS's private KeyID range [start, start + nr) when a source does not
 * give it (tdx.keyids): a common Sapphire Rapids split, "[16, 64)". The
 * first is the module's global KeyID; the rest are for guests.
 */
#define CM_TDX_DEFAULT_KEYID_START 16
#define CM_TDX_DEFAULT_NR_KEYIDS 48
#define CM_TDX_MAX_KEYIDS 65535		/* IA32_MKTME_KEYID_PARTITIONING is 32 bits; KeyIDs fit 16 */

enum cm_e820_type {
	CM_E820_USABLE,
	CM_E820_RESERVED,
	CM_E820_ACPI,
	CM_E820_NVS,
	CM_E820_PMEM,
	CM_E820_SOFT_RESERVED,
	CM_E820_UNUSABLE,
	CM_E820_NR_TYPES
};

struct cm_e820_entry {
	uint64_t start;
	uint64_t end;
	enum cm_e820_type type;
};

enum cm_node_kind { CM_NODE_DRAM, CM_NODE_PMEM, CM_NODE_CXL, CM_NODE_HBM, CM_NODE_NR_KINDS };

/* HMAT-like performance data; valid only when @present. */
struct cm_hmat {
	bool present;
	uint32_t read_latency_ns;
	uint32_t write_latency_ns;
	uint32_t read_bandwidth_mbps;
	uint32_t write_bandwidth_mbps;
};

struct cm_node {
	int id;				/* 0 .. CM_MAX_NUMNODES-1 */
	struct cm_bitmap cpus;		/* empty: memory-only node */
	enum cm_node_kind kind;
	struct cm_range *memory;	/* boot RAM, sorted */
	size_t nr_memory;
	struct cm_hmat hmat;
	int adistance;			/* explicit abstract distance, -1 when not given */
	int package;			/* physical package (socket) of its CPUs, -1 when not known or memory-only */
};

#define CM_MAX_PACKAGE 4095		/* the highest package id a platform may name */

enum cm_pamt_level { CM_PAMT_4K, CM_PAMT_2M, CM_PAMT_1G, CM_PAMT_NR_LEVELS };

struct cm_tdx_config {
	bool enabled;
	struct cm_range cmrs[CM_MAX_CMRS];
	unsigned int nr_cmrs;
	unsigned int max_tdmrs;
	unsigned int max_reserved_per_tdmr;
	unsigned int pamt_entry_size[CM_PAMT_NR_LEVELS];
	unsigned int pamt_bitmap_entry_bits;	/* Dynamic PAMT: bits per 4 KiB page (metadata 0x9100000100000013) */
	unsigned int phys_addr_bits;		/* the CPU's physical address width */
	char module_version[16];		/* "1.5.06" where a source gives it, else "" */
	unsigned int keyid_start;		/* private KeyID range [keyid_start, keyid_start + nr_keyids) */
	unsigned int nr_keyids;
	bool cmrs_assumed;			/* no CMRs given: boot RAM at or above 1 MiB taken as convertible */
	enum cm_tdx_kernel kernel;		/* the profile a boot log shows, or CM_KERNEL_AUTO */
	char kernel_evidence[200];		/* "line N: THE LINE" that decided it */
};

struct cm_epc_section {
	uint64_t start;
	uint64_t size;
	int node;
};

struct cm_sgx_config {
	struct cm_epc_section epc[CM_MAX_EPC_SECTIONS];
	unsigned int nr_epc;
};

/* A range that may be hot-added later (e.g. a CXL fixed memory window). */
struct cm_hotplug_window {
	uint64_t start;
	uint64_t size;
	int node;
	bool convertible;
};

/*
 * The memory block sizes every source accepts (JSON, boot log, sysfs): a
 * power of two from a page to half the physical address space.
 */
#define CM_MIN_BLOCK_SIZE CM_PAGE_SIZE
#define CM_MAX_BLOCK_SIZE (CM_PHYS_LIMIT >> 1)
/* 0, or -EINVAL with "expected a power of two from 0x1000 to 0x8000000000000, found 0x..." in @err. */
int cm_memory_block_size_check(uint64_t size, struct cm_error *err);

struct cm_platform {
	char name[64];
	uint64_t memory_block_size;	/* cm_memory_block_size_check() */

	struct cm_node *nodes;		/* sorted by id */
	size_t nr_nodes;
	unsigned int *distance;		/* nr_nodes x nr_nodes, by array index */

	struct cm_e820_entry *e820;	/* sorted, non-overlapping */
	size_t nr_e820;

	struct cm_tdx_config tdx;
	struct cm_sgx_config sgx;

	struct cm_hotplug_window *hotplug;
	size_t nr_hotplug;

	/* What a source could not read and took from defaults ("assumed ..."). */
	struct cm_log assumed;
};

/* Allocation helpers; every platform is released with cm_platform_free(). */
struct cm_platform *cm_platform_new(void);
void cm_platform_free(struct cm_platform *p);
void cm_tdx_config_set_defaults(struct cm_tdx_config *tdx);
struct cm_node *cm_platform_add_node(struct cm_platform *p, int id, enum cm_node_kind kind);
int cm_node_add_memory(struct cm_node *n, uint64_t start, uint64_t end);
int cm_platform_add_e820(struct cm_platform *p, uint64_t start, uint64_t end, enum cm_e820_type type);
/* A CMR or an EPC section: -ENOSPC past CM_MAX_CMRS / CM_MAX_EPC_SECTIONS. */
int cm_platform_add_cmr(struct cm_platform *p, uint64_t start, uint64_t end);
/*
 * CMRs given by the user (--cmrs) in place of the source's: TDX is on, and
 * the source's notes about CMRs it assumed or lacked are dropped.
 */
void cm_platform_set_cmrs(struct cm_platform *p, const struct cm_range *cmrs, unsigned int nr);
/* The prefixes of the notes a source adds when it has no CMRs. */
#define CM_ASSUMED_CMRS_NOTE "assumed: CMRs"
#define CM_ASSUMED_NO_TDX_NOTE "assumed: TDX not enabled"
int cm_platform_add_epc(struct cm_platform *p, const struct cm_epc_section *section);
int cm_platform_add_hotplug(struct cm_platform *p, const struct cm_hotplug_window *w);
/* Allocate the distance matrix and fill it with 10 / 20 (the kernel's LOCAL/REMOTE). */
int cm_platform_default_distances(struct cm_platform *p);

/*
 * Complete and check a platform: sort, derive the e820 map when absent,
 * then validate every rule of SPEC 1. @source names the input in messages
 * (e.g. "plat.json"); field paths are JSON-style ("$.nodes[1].memory[0]").
 * Returns 0 or -EINVAL with "SOURCE: PATH: message" in @err.
 */
int cm_platform_finalize(struct cm_platform *p, const char *source, struct cm_error *err);

/* One boot-RAM range with the node (and position in the model) it came from. */
struct cm_node_range {
	uint64_t start;
	uint64_t end;
	int node;
	int node_index;		/* index into nodes[] */
	int range_index;	/* index into that node's memory[] */
};

/* All nodes' boot RAM sorted by address; the caller frees *out. */
int cm_platform_ram_ranges(const struct cm_platform *p, struct cm_node_range **out, size_t *nr_out);

/* Lookups. */
const struct cm_node *cm_platform_node(const struct cm_platform *p, int id);
int cm_platform_node_index(const struct cm_platform *p, int id);
unsigned int cm_platform_distance(const struct cm_platform *p, int from_id, int to_id);
bool cm_node_has_cpus(const struct cm_node *n);
uint64_t cm_node_memory_bytes(const struct cm_node *n);
/*
 * Physical packages (sockets): the distinct packages of the nodes that name
 * one, plus one for each node with CPUs that does not (at least 1). Sets
 * *all_known when every node with CPUs names its package.
 */
unsigned int cm_platform_nr_packages(const struct cm_platform *p, bool *all_known);

/* Names used by every source and report. */
const char *cm_e820_type_name(enum cm_e820_type t);
int cm_e820_type_from_name(const char *name, enum cm_e820_type *t);
const char *cm_node_kind_name(enum cm_node_kind k);
int cm_node_kind_from_name(const char *name, enum cm_node_kind *k);
/* "4k", "2m", "1g": the keys of the platform JSON's "pamt_entry_size". */
const char *cm_pamt_level_name(enum cm_pamt_level level);

/* Built-in presets (SPEC 1, "Platform sources"). */
struct cm_preset_info {
	const char *name;
	const char *description;
};
size_t cm_preset_count(void);
const struct cm_preset_info *cm_preset_info(size_t i);
int cm_platform_from_preset(const char *name, struct cm_platform **out, struct cm_error *err);

/* JSON file source and dump (json.c). The dump loads back identically. */
int cm_platform_from_json_file(const char *path, struct cm_platform **out, struct cm_error *err);
int cm_platform_from_json_string(const char *text, size_t len, const char *source,
				 struct cm_platform **out, struct cm_error *err);
/*
 * A platform from an already parsed JSON object (e.g. a scenario's inline
 * "platform"); @root_path is the object's path ("$" or "$.platform") and
 * prefixes every field named in a message, the finalize checks included.
 */
struct json_object;
int cm_platform_from_json_object(struct json_object *object, const char *source, const char *root_path,
				 struct cm_platform **out, struct cm_error *err);
/* Serialise; returns a malloc'd NUL-terminated string or NULL on OOM. */
char *cm_platform_to_json_string(const struct cm_platform *p);

/*
 * Boot log source (dmesg.c). A log larger than CM_DMESG_MAX_INPUT is
 * refused (-EFBIG): the kernel's log buffer is at most 32 MiB
 * (CONFIG_LOG_BUF_SHIFT <= 25) and one boot's journalctl -k is of the same
 * order, so twice that leaves room for journal prefixes. The file must be
 * a regular file (cm_read_file()).
 */
#define CM_DMESG_MAX_INPUT (64U << 20)
int cm_platform_from_dmesg_file(const char *path, struct cm_platform **out, struct cm_error *err);
int cm_platform_from_dmesg_string(const char *text, size_t len, const char *source,
				  struct cm_platform **out, struct cm_error *err);
/*
 * Where the message of one boot-log line (@len bytes, no newline) starts:
 * after journalctl's "... kernel: " tag, any run of console levels, dmesg
 * -x facilities, timestamps and caller ids, and blanks. Every reader of
 * boot logs takes the message from here, so they agree on what a line says.
 */
size_t cm_dmesg_message_start(const char *line, size_t len);

/* Live machine source (live.c): @sysroot "" or NULL means "/". */
int cm_platform_from_live(const char *sysroot, const struct cm_range *cmrs, unsigned int nr_cmrs,
			  struct cm_platform **out, struct cm_error *err);

#endif /* CONFMEM_PLATFORM_H */
