/* SPDX-License-Identifier: MIT */
#ifndef CONFMEM_EPC_INTERNAL_H
#define CONFMEM_EPC_INTERNAL_H

#include "confmem/cgroup.h"
#include "confmem/epc.h"

#define EPC_NIL UINT32_MAX

enum epc_kind { EPC_FREE, EPC_SECS, EPC_VA, EPC_REG, EPC_VEPC, EPC_ISOLATED };

struct epc_page {
	uint32_t prev;
	uint32_t next;
	uint32_t owner;		/* enclave or vEPC id */
	uint32_t index;		/* enclave page index */
	uint16_t cgroup;
	uint8_t node;
	uint8_t kind : 3;
	uint8_t young : 1;
	uint8_t on_lru : 1;
};

enum encl_page_state { PAGE_NOT_ADDED, PAGE_RESIDENT, PAGE_EVICTED };

struct encl_page {
	uint32_t epc;
	uint8_t state;
};

struct enclave {
	int cgroup;
	int node;
	int backing_space;
	uint64_t nr_pages;	/* pages the enclave may hold (its size) */
	uint64_t nr_added;
	struct encl_page *pages;
	uint32_t secs;		/* EPC_NIL when written back */
	uint32_t *va;
	size_t nr_va;
	uint64_t va_slots_used;
	uint64_t resident_children;
	uint64_t epc_pages;	/* SECS + VA + resident pages */
	uint32_t *pcmd_count;	/* evicted pages per PCMD backing page */
	bool initialized;
	bool dead;
	bool released;
	int oom_cgroup;		/* sgx.oom=kill-enclave took it: the cgroup that was at misc.max; -1 */
	char reason[160];
};

struct vepc {
	int cgroup;
	uint32_t *pages;
	uint64_t nr;		/* pages faulted in */
	uint64_t target;	/* pages of the VM's EPC */
	bool released;
};

struct lru {
	uint32_t head;		/* oldest */
	uint32_t tail;		/* newest */
	uint64_t nr;
};

/* What the EPC keeps per cgroup besides the misc counter (the series' struct sgx_cgroup). */
struct sgx_cgroup {
	struct lru lru;
	uint64_t subtree_lru_nr;	/* pages on the LRUs of this cgroup and its descendants */
	uint32_t cursor;	/* the next cgroup of the subtree to reclaim from */
	bool async_queued;
	int async_next;		/* the next queued cgroup, or -1 */
};

struct cm_epc {
	struct cm_mm *mm;
	const struct cm_config *config;
	struct epc_page *pages;
	uint64_t nr_pages;
	uint32_t free_head[CM_MAX_NUMNODES];
	uint64_t free_on[CM_MAX_NUMNODES];
	uint64_t nr_free;
	int nr_node_ids;
	int rr_node;
	bool ksgxd_woken;

	struct cm_cgroup_tree *tree;	/* the engine's: sgx_epc is a misc resource of its cgroups */
	struct sgx_cgroup *cgroups;	/* by cgroup id */
	size_t nr_cgroups;		/* how many the array has room for (online callback) */
	int async_head, async_tail;	/* cgroups with queued reclaim, in queueing order; -1: none */
	struct enclave *enclaves;
	size_t nr_enclaves;
	size_t enclaves_capacity;
	struct vepc *vepcs;
	size_t nr_vepcs;
	size_t vepcs_capacity;
	uint64_t counters[CM_EPC_NR_COUNTERS];
	uint64_t nr_dead;	/* enclaves that died (SIGBUS, OOM, lost backing) */
};

static inline struct cm_page_counter *epc_counter(const struct cm_epc *epc, int cgroup)
{
	return &cm_cgroup_get(epc->tree, cgroup)->misc.res[CM_MISC_SGX_EPC];
}

static inline size_t epc_nr_cgroups(const struct cm_epc *epc)
{
	return epc->tree->nr_cgroups;
}

static inline bool epc_is_ancestor(const struct cm_epc *epc, int ancestor, int cgroup)
{
	return cm_cgroup_is_descendant(epc->tree, cgroup, ancestor);
}

/* Queue asynchronous reclaim for @cgroup (once until it runs). */
void epc_queue_async(struct cm_epc *epc, int cgroup);

/*
 * Room for one more element in @*array of @*capacity (@nr used), growing
 * by an eighth: many enclaves or vEPCs cost amortised constant time.
 */
int epc_reserve_one(void **array, size_t *capacity, size_t nr, size_t size);

/* epc.c */
/* Charge @cgroup and take a page (SPEC 8.3); 0, -EBUSY or -ENOMEM. */
int epc_alloc_page(struct cm_epc *epc, int cgroup, int node, enum cm_epc_reclaim reclaim, enum epc_kind kind,
		   uint32_t owner, uint32_t index, uint32_t *out);
void epc_free_page(struct cm_epc *epc, uint32_t idx);

/* misc_cgroup.c */
int epc_cgroup_register(struct cm_epc *epc, struct cm_cgroup_tree *tree);
void epc_cgroup_unregister(struct cm_epc *epc);
int epc_try_charge(struct cm_epc *epc, int cgroup, enum cm_epc_reclaim reclaim);
void epc_uncharge(struct cm_epc *epc, int cgroup);

/* epc_reclaim.c */
void epc_lru_add_tail(struct cm_epc *epc, uint32_t idx);
void epc_lru_del(struct cm_epc *epc, uint32_t idx);
uint64_t epc_subtree_lru_pages(const struct cm_epc *epc, int root);
/* Reclaim from @root's subtree until a batch frees something; false when nothing could be. */
bool epc_reclaim_bounded(struct cm_epc *epc, int root);
void epc_wake_ksgxd(struct cm_epc *epc);

#endif /* CONFMEM_EPC_INTERNAL_H */
