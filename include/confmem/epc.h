/* SPDX-License-Identifier: MIT */
/*
 * The SGX Enclave Page Cache on the engine (SPEC 8.1, 8.3, 8.4): EPC
 * sections per node, enclaves with SECS and VA pages, reclaim by EWB into
 * backing memory charged to a memory cgroup, the misc cgroup controller's
 * sgx_epc resource with one LRU per cgroup, ksgxd, asynchronous cgroup
 * reclaim, and vEPC. The MRENCLAVE side of SGX is in sgx.h.
 */
#ifndef CONFMEM_EPC_H
#define CONFMEM_EPC_H

#include <stdbool.h>
#include <stdint.h>

#include "confmem/config.h"
#include "confmem/mm.h"
#include "confmem/platform.h"

#define CM_SGX_NR_TO_SCAN 16
#define CM_SGX_NR_LOW_PAGES 32
#define CM_SGX_NR_HIGH_PAGES 64
#define CM_SGX_VA_SLOT_COUNT 512
#define CM_SGX_PCMD_PER_PAGE 32		/* 128-byte PCMD entries per backing page */

enum cm_epc_counter {
	CM_SGX_EADD,
	CM_SGX_EWB,		/* pages written back (reclaimed) */
	CM_SGX_ELDU,		/* pages loaded back */
	CM_SGX_EWB_SECS,
	CM_SGX_FAULTS,		/* faults on pages not resident */
	CM_SGX_FAULT_RETRIES,	/* a fault that got -EBUSY and is retried */
	CM_SGX_SIGBUS,
	CM_SGX_RECLAIM_BATCHES,
	CM_SGX_KSGXD_WAKE,
	CM_SGX_BACKING_FAIL,	/* EWB skipped: no backing memory */
	CM_SGX_ETRACK_IPI,
	CM_SGX_OOM_KILL,	/* sgx.oom=kill-enclave */
	CM_EPC_NR_COUNTERS
};

const char *cm_epc_counter_name(enum cm_epc_counter c);
int cm_epc_counter_from_name(const char *name);

struct cm_epc;

/* Whether an allocation may reclaim (SGX_DO_RECLAIM) or not (fault paths). */
enum cm_epc_reclaim { CM_EPC_NO_RECLAIM, CM_EPC_DO_RECLAIM };

/*
 * The EPC of @p's sections; backing memory comes from @mm, and the EPC
 * joins @mm's cgroup tree as its misc controller: free it before @mm.
 */
int cm_epc_new(const struct cm_platform *p, struct cm_mm *mm, const struct cm_config *config, struct cm_epc **out,
	       struct cm_error *err);
void cm_epc_free(struct cm_epc *epc);
uint64_t cm_epc_total_pages(const struct cm_epc *epc);
uint64_t cm_epc_free_pages(const struct cm_epc *epc);

/*
 * The misc controller's sgx_epc resource on the engine's cgroup tree
 * (cm_mm_cgroups): a cgroup has one id for every controller, 0 is the
 * root; a cgroup created in the tree (cm_mm_memcg_create) has its misc
 * state at once.
 */
void cm_epc_cgroup_set_max(struct cm_epc *epc, int cgroup, uint64_t max_pages);

struct cm_epc_cgroup_info {
	uint64_t capacity_pages;	/* root only, else 0 */
	uint64_t max_pages;		/* UINT64_MAX: max */
	uint64_t current_pages;
	uint64_t peak_pages;
	uint64_t events_max;		/* hierarchical */
	uint64_t events_local_max;
	uint64_t lru_pages;
};
void cm_epc_cgroup_info(const struct cm_epc *epc, int cgroup, struct cm_epc_cgroup_info *info);

/*
 * Enclaves. create: ECREATE of @size bytes (SECS and the first VA page).
 * @space is the engine space holding its backing memory (charged to that
 * space's memory cgroup). Returns the enclave id or a negative errno
 * (the kernel's: -ENOMEM, -EBUSY never for create).
 */
int cm_epc_enclave_create(struct cm_epc *epc, int cgroup, int node, uint64_t nr_pages, int backing_space);
/* EADD of the next page (reclaim allowed); grows VA pages every 512 pages. 0 or -ENOMEM. */
int cm_epc_enclave_add_page(struct cm_epc *epc, int enclave);
void cm_epc_enclave_init(struct cm_epc *epc, int enclave);
/*
 * An access to page @page: resident -> marked young; evicted -> ELDU (SECS
 * first) with an allocation that may not reclaim. 0, -EBUSY (retry later)
 * or -EFAULT (SIGBUS: the enclave is dead).
 */
int cm_epc_enclave_touch(struct cm_epc *epc, int enclave, uint64_t page);
void cm_epc_enclave_release(struct cm_epc *epc, int enclave);
bool cm_epc_enclave_dead(const struct cm_epc *epc, int enclave);
/* How many enclaves have died so far: a change means some cm_epc_enclave_dead() became true. */
uint64_t cm_epc_nr_dead(const struct cm_epc *epc);
/* The cgroup at misc.max when sgx.oom=kill-enclave killed the enclave (0: the root), or -1. */
int cm_epc_enclave_oom_cgroup(const struct cm_epc *epc, int enclave);
/* Why an enclave died (SIGBUS or the EPC OOM killer), or "". */
const char *cm_epc_enclave_reason(const struct cm_epc *epc, int enclave);
uint64_t cm_epc_enclave_resident(const struct cm_epc *epc, int enclave);

/* vEPC: a virtual machine's @nr_pages of EPC, faulted in without reclaim and never reclaimed. */
int cm_epc_vepc_create(struct cm_epc *epc, int cgroup, uint64_t nr_pages, int *id);
/* Fault in what is missing: 0 when all is there, -EBUSY (retry later) or -EFAULT (SIGBUS). */
int cm_epc_vepc_fault(struct cm_epc *epc, int id, int node);
uint64_t cm_epc_vepc_pages(const struct cm_epc *epc, int id);
void cm_epc_vepc_release(struct cm_epc *epc, int id);

/* Background work of one tick: ksgxd, then queued per-cgroup reclaim. */
void cm_epc_run_background(struct cm_epc *epc);

uint64_t cm_epc_counter_total(const struct cm_epc *epc, enum cm_epc_counter c);

/*
 * Invariants (SPEC 8): every EPC page free, owned by one enclave page,
 * SECS, VA or vEPC, or in reclaim; each cgroup's usage equals its charged
 * pages up the tree; nothing above a limit; LRU counts agree.
 */
int cm_epc_check(const struct cm_epc *epc, struct cm_error *err);

#endif /* CONFMEM_EPC_H */
