// SPDX-License-Identifier: MIT
/*
 * The EPC and its misc cgroup (SPEC 8): allocation, VA pages, reclaim with
 * backing memory, cgroup limits, global reclaim, vEPC, invariants.
 */
#include <errno.h>
#include <string.h>

#include "helpers.h"
#include "confmem/epc.h"
#include "confmem/mm.h"

/* One node, 1 GiB of RAM, 8 MiB of EPC (2048 pages). */
struct rig {
	struct cm_platform *p;
	struct cm_config config;
	struct cm_mm *mm;
	struct cm_epc *epc;
};

static void rig_init(struct rig *r, uint64_t epc_bytes)
{
	struct cm_error err;

	r->p = tp_new(1);
	tp_ram(r->p, 0, 4 * GiB, 5 * GiB);
	r->p->tdx.enabled = false;
	r->p->sgx.epc[0] = (struct cm_epc_section){ .start = 6 * GiB, .size = epc_bytes, .node = 0 };
	r->p->sgx.nr_epc = 1;
	tp_finalize(r->p);
	cm_config_default(&r->config);
	assert_int_equal(cm_mm_new(r->p, &r->config, &r->mm, &err), 0);
	assert_int_equal(cm_epc_new(r->p, r->mm, &r->config, &r->epc, &err), 0);
}

static void rig_fini(struct rig *r)
{
	cm_epc_free(r->epc);
	cm_mm_free(r->mm);
	cm_platform_free(r->p);
}

static void assert_epc_ok(const struct rig *r)
{
	struct cm_error err = { 0 };

	if (cm_epc_check(r->epc, &err))
		fail_msg("%s", err.msg);
	if (cm_mm_check(r->mm, &err))
		fail_msg("%s", err.msg);
}

/* Create an enclave of @nr pages in @cgroup and add them all; returns the id or -errno of the failing step. */
static int build(struct rig *r, int cgroup, uint64_t nr)
{
	static const struct cm_mempolicy local = { CM_MPOL_DEFAULT, 0 };
	int space = cm_mm_space_new(r->mm, nr + nr / CM_SGX_PCMD_PER_PAGE + 1, 0, cgroup, &local, 0);
	int id = cm_epc_enclave_create(r->epc, cgroup, 0, nr, space);

	if (id < 0)
		return id;
	for (uint64_t i = 0; i < nr; i++) {
		int ret = cm_epc_enclave_add_page(r->epc, id);

		if (ret)
			return ret;
	}
	cm_epc_enclave_init(r->epc, id);
	return id;
}

static int cgroup(struct rig *r, const char *path, int parent)
{
	int id = cm_mm_memcg_create(r->mm, path, parent);
	struct cm_epc_cgroup_info info;

	/* One tree: the misc controller has the cgroup as soon as it exists. */
	assert_true(id > 0);
	cm_epc_cgroup_info(r->epc, id, &info);
	assert_int_equal(info.current_pages, 0);
	return id;
}

/* SECS + pages + ceil((N + 1) / 512) VA pages at peak. */
static void test_enclave_epc_pages_at_peak(void **state)
{
	struct rig r;
	int id;

	(void)state;
	rig_init(&r, 8 * MiB);
	id = build(&r, 0, 511);
	assert_true(id >= 0);
	assert_int_equal(cm_epc_enclave_resident(r.epc, id), 1 + 511 + 1);
	cm_epc_enclave_release(r.epc, id);
	id = build(&r, 0, 512);
	assert_int_equal(cm_epc_enclave_resident(r.epc, id), 1 + 512 + 2);
	assert_epc_ok(&r);
	cm_epc_enclave_release(r.epc, id);
	assert_int_equal(cm_epc_free_pages(r.epc), 2048);
	rig_fini(&r);
}

/* An enclave bigger than the EPC is built by writing pages back. */
static void test_overcommit_reclaims_with_backing(void **state)
{
	struct rig r;
	struct cm_memcg_info mi;
	int id;

	(void)state;
	rig_init(&r, 8 * MiB);
	id = build(&r, 0, 3000);
	assert_true(id >= 0);
	assert_true(cm_epc_counter_total(r.epc, CM_SGX_EWB) > 0);
	cm_mm_memcg_info(r.mm, 0, &mi);
	assert_true(mi.usage_pages >= cm_epc_counter_total(r.epc, CM_SGX_EWB));	/* backing is charged */
	/* Touch an evicted page: ELDU. */
	for (uint64_t p = 0; p < 3000; p++)
		if (cm_epc_enclave_touch(r.epc, id, p) == -EBUSY)
			cm_epc_run_background(r.epc);
	assert_true(cm_epc_counter_total(r.epc, CM_SGX_ELDU) > 0);
	assert_epc_ok(&r);
	rig_fini(&r);
}

/*
 * The kernel selftest's small case: a cgroup limited to C/512 cannot hold
 * the SECS and the C/512 VA pages of an enclave of C pages.
 */
static void test_small_limit_fails_for_va_pages(void **state)
{
	struct rig r;
	struct cm_epc_cgroup_info info;
	int cg;

	(void)state;
	rig_init(&r, 8 * MiB);
	cg = cgroup(&r, "/small", 0);
	cm_epc_cgroup_set_max(r.epc, cg, 2048 / 512);
	assert_int_equal(build(&r, cg, 2048), -ENOMEM);
	cm_epc_cgroup_info(r.epc, cg, &info);
	assert_true(info.current_pages <= 4);
	assert_true(info.events_max > 0);
	assert_true(info.events_local_max > 0);
	assert_epc_ok(&r);
	rig_fini(&r);
}

/* A charge that may not reclaim gets -EBUSY and queues reclaim for the cgroup. */
static void test_fault_at_limit_is_ebusy_then_async_reclaim(void **state)
{
	struct rig r;
	struct cm_epc_cgroup_info info;
	int cg, id;

	(void)state;
	rig_init(&r, 8 * MiB);
	cg = cgroup(&r, "/lim", 0);
	cm_epc_cgroup_set_max(r.epc, cg, 256);
	uint64_t p;
	int ret = 0;

	id = build(&r, cg, 600);
	assert_true(id >= 0);
	/* The first pages were written back: reloading them charges the cgroup until it is full. */
	for (p = 0; p < 64 && (ret = cm_epc_enclave_touch(r.epc, id, p)) == 0; p++)
		;
	assert_int_equal(ret, -EBUSY);
	cm_epc_run_background(r.epc);
	cm_epc_cgroup_info(r.epc, cg, &info);
	assert_true(info.current_pages < 256 - CM_SGX_NR_LOW_PAGES);
	assert_int_equal(cm_epc_enclave_touch(r.epc, id, p), 0);
	assert_epc_ok(&r);
	rig_fini(&r);
}

/* misc.max is not preemptive: lowering it below the usage takes nothing away now. */
static void test_lowering_max_is_not_preemptive(void **state)
{
	struct rig r;
	struct cm_epc_cgroup_info info;
	int cg;

	(void)state;
	rig_init(&r, 8 * MiB);
	cg = cgroup(&r, "/a", 0);
	assert_true(build(&r, cg, 500) >= 0);
	cm_epc_cgroup_set_max(r.epc, cg, 100);
	cm_epc_cgroup_info(r.epc, cg, &info);
	assert_int_equal(info.current_pages, 1 + 500 + 1);
	rig_fini(&r);
}

/* Running out of physical EPC reclaims from every cgroup, not only the one that faulted. */
static void test_physical_exhaustion_reclaims_globally(void **state)
{
	struct rig r;
	struct cm_epc_cgroup_info a, b;
	int ca, cb;

	(void)state;
	rig_init(&r, 8 * MiB);
	ca = cgroup(&r, "/a", 0);
	cb = cgroup(&r, "/b", 0);
	assert_true(build(&r, ca, 1800) >= 0);
	assert_true(build(&r, cb, 1800) >= 0);
	cm_epc_cgroup_info(r.epc, ca, &a);
	cm_epc_cgroup_info(r.epc, cb, &b);
	assert_true(a.current_pages < 1800);	/* /a paid for /b's pages */
	assert_epc_ok(&r);
	rig_fini(&r);
}

/* vEPC is never reclaimed: at the limit with nothing reclaimable the VM gets SIGBUS. */
static void test_vepc_is_never_reclaimed(void **state)
{
	struct rig r;
	int cg, id, id2;

	(void)state;
	rig_init(&r, 8 * MiB);
	cg = cgroup(&r, "/vm", 0);
	cm_epc_cgroup_set_max(r.epc, cg, 1024);
	assert_int_equal(cm_epc_vepc_create(r.epc, cg, 1000, &id), 0);
	assert_int_equal(cm_epc_vepc_fault(r.epc, id, 0), 0);
	assert_int_equal(cm_epc_vepc_pages(r.epc, id), 1000);
	assert_int_equal(cm_epc_vepc_create(r.epc, cg, 100, &id2), 0);
	assert_int_equal(cm_epc_vepc_fault(r.epc, id2, 0), -EFAULT);
	assert_int_equal(cm_epc_counter_total(r.epc, CM_SGX_SIGBUS), 1);
	cm_epc_vepc_release(r.epc, id2);
	assert_epc_ok(&r);
	cm_epc_vepc_release(r.epc, id);
	assert_int_equal(cm_epc_free_pages(r.epc), 2048);
	rig_fini(&r);
}

/* sgx.oom=kill-enclave: the biggest enclave in the subtree is killed and the charge retried. */
static void test_oom_kill_enclave(void **state)
{
	struct rig r;
	int cg, big, small;

	(void)state;
	rig_init(&r, 8 * MiB);
	r.config.sgx_oom = CM_SGX_OOM_KILL_ENCLAVE;
	cg = cgroup(&r, "/k", 0);
	cm_epc_cgroup_set_max(r.epc, cg, 8);
	small = build(&r, cg, 3);	/* SECS + VA + 3 pages = 5 */
	assert_true(small >= 0);
	/* A second enclave whose VA pages cannot fit: it ends up with the most EPC and is killed. */
	big = build(&r, cg, 4096);
	assert_int_equal(big, -ENOMEM);
	assert_int_equal(cm_epc_counter_total(r.epc, CM_SGX_OOM_KILL), 1);
	assert_false(cm_epc_enclave_dead(r.epc, small));
	assert_true(cm_epc_enclave_dead(r.epc, 1));
	assert_non_null(strstr(cm_epc_enclave_reason(r.epc, 1), "sgx.oom=kill-enclave"));
	assert_epc_ok(&r);
	rig_fini(&r);
}

/* A vEPC fault at the limit retries while an enclave in the cgroup has reclaimable pages. */
static void test_vepc_fault_retries_while_reclaimable(void **state)
{
	struct rig r;
	int cg, encl, vm;

	(void)state;
	rig_init(&r, 8 * MiB);
	cg = cgroup(&r, "/mix", 0);
	cm_epc_cgroup_set_max(r.epc, cg, 600);
	encl = build(&r, cg, 500);
	assert_true(encl >= 0);
	assert_int_equal(cm_epc_vepc_create(r.epc, cg, 300, &vm), 0);
	assert_int_equal(cm_epc_vepc_fault(r.epc, vm, 0), -EBUSY);
	for (int tick = 0; tick < 100 && cm_epc_vepc_fault(r.epc, vm, 0) == -EBUSY; tick++)
		cm_epc_run_background(r.epc);
	assert_int_equal(cm_epc_vepc_pages(r.epc, vm), 300);
	assert_int_equal(cm_epc_counter_total(r.epc, CM_SGX_SIGBUS), 0);
	assert_epc_ok(&r);
	rig_fini(&r);
}

/* The EPC OOM choice may pick the enclave that is allocating: nothing it allocated leaks. */
static void test_oom_kill_of_the_allocating_enclave_leaks_nothing(void **state)
{
	struct rig r;
	struct cm_epc_cgroup_info info;
	int cg;

	(void)state;
	rig_init(&r, 8 * MiB);
	r.config.sgx_oom = CM_SGX_OOM_KILL_ENCLAVE;
	cg = cgroup(&r, "/tiny", 0);
	cm_epc_cgroup_set_max(r.epc, cg, 1);
	assert_true(build(&r, cg, 4) < 0);
	cm_epc_cgroup_info(r.epc, cg, &info);
	assert_int_equal(info.current_pages, 0);
	assert_int_equal(cm_epc_free_pages(r.epc), 2048);
	assert_epc_ok(&r);
	rig_fini(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enclave_epc_pages_at_peak),
		cmocka_unit_test(test_overcommit_reclaims_with_backing),
		cmocka_unit_test(test_small_limit_fails_for_va_pages),
		cmocka_unit_test(test_fault_at_limit_is_ebusy_then_async_reclaim),
		cmocka_unit_test(test_lowering_max_is_not_preemptive),
		cmocka_unit_test(test_physical_exhaustion_reclaims_globally),
		cmocka_unit_test(test_vepc_is_never_reclaimed),
		cmocka_unit_test(test_oom_kill_enclave),
		cmocka_unit_test(test_vepc_fault_retries_while_reclaimable),
		cmocka_unit_test(test_oom_kill_of_the_allocating_enclave_leaks_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
