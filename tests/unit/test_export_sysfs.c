// SPDX-License-Identifier: MIT
/*
 * cm_export_sysfs(): the tree stays inside its directory. An empty name
 * and the root directory are refused (checked inside a chroot, so a
 * regression cannot write into the real root), planted links are never
 * followed, a non-empty directory is refused unless asked to replace,
 * and the entry count is checked against the limit before anything is
 * written.
 *
 * The platform of every test, in 128 MiB memory blocks:
 *
 *   block   0 ......... 8 ......... 15
 *   node 0  [0x100000 ...)[
 *   node 1               [1 GiB + 64 MiB ... 2 GiB)
 *
 * Block 8 holds memory of both nodes: one memory8 directory, two links.
 * Node 0 has CPUs 0-1 on package 0; node 1 none.
 * Entries: 7 fixed directories (sys, sys/devices, .../system, .../memory,
 * .../node, .../cpu, proc), block_size_bytes and proc/iomem, 2 x 5 per
 * node, 9 + 8 links, 16 x 4 per block and 2 x 3 per CPU (cpuN, topology,
 * physical_package_id) = 106.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "confmem/report.h"

#define TREE_ENTRIES 106

struct fixture {
	struct cm_platform *p;
	struct cm_node_capability caps[2];
	char base[64];		/* a fresh directory per test */
	char target[128];	/* base/out, not created */
	char outside[128];	/* base/victim, a file outside the target */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->p = tp_new(2);
	f->p->tdx.enabled = false;
	tp_ram(f->p, 0, 0x100000, GiB + 64 * MiB);
	tp_ram(f->p, 1, GiB + 64 * MiB, 2 * GiB);
	cm_bitmap_set(&f->p->nodes[0].cpus, 0);
	cm_bitmap_set(&f->p->nodes[0].cpus, 1);
	f->p->nodes[0].package = 0;
	tp_finalize(f->p);
	snprintf(f->base, sizeof(f->base), "/tmp/confmem-export.XXXXXX");
	assert_non_null(mkdtemp(f->base));
	snprintf(f->target, sizeof(f->target), "%s/out", f->base);
	snprintf(f->outside, sizeof(f->outside), "%s/victim", f->base);
	*state = f;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	nftw(f->base, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	cm_platform_free(f->p);
	free(f);
	return 0;
}

static int export(struct fixture *f, const char *dir, enum cm_sysfs_export_existing existing, uint64_t max_entries,
		  struct cm_error *err)
{
	struct cm_sysfs_export_options opts = { .existing = existing, .max_entries = max_entries };

	return cm_export_sysfs(f->p, f->caps, dir, &opts, err);
}

static void write_text(const char *path, const char *text)
{
	FILE *file = fopen(path, "w");

	assert_non_null(file);
	fputs(text, file);
	assert_int_equal(fclose(file), 0);
}

static void expect_text(const char *path, const char *want)
{
	char got[256] = "";
	FILE *file = fopen(path, "r");

	assert_non_null(file);
	assert_non_null(fgets(got, sizeof(got), file));
	fclose(file);
	assert_string_equal(got, want);
}

static uint64_t nr_walked;

static int count_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path;
	(void)st;
	(void)flag;
	if (ftw->level > 0)
		nr_walked++;
	return 0;
}

static uint64_t count_tree(const char *dir)
{
	nr_walked = 0;
	assert_int_equal(nftw(dir, count_entry, 16, FTW_PHYS), 0);
	return nr_walked;
}

/*
 * In a child chrooted into the test's directory (or, unprivileged, in a
 * user namespace that allows chroot): "", "/", its other spellings and
 * a link to it are refused, and no
 * "sys" appears at the root. Exit 0 when that holds, 77 when no
 * chroot is possible here.
 */
static int refuse_root_in_jail(struct fixture *f)
{
	static const char *const names[] = { "", "/", "//", "/.", "/rootlink", NULL };
	struct cm_error err = { 0 };

	if (chroot(f->base) && (unshare(CLONE_NEWUSER) || chroot(f->base)))
		return 77;
	if (chdir("/"))
		return 1;
	for (size_t i = 0; names[i]; i++)
		if (export(f, names[i], CM_SYSFS_EXPORT_REPLACE, 0, &err) != -EINVAL)
			return 2;
	return access("/sys", F_OK) ? 0 : 3;
}

static void test_empty_name_and_root_are_refused_before_any_write(void **state)
{
	struct fixture *f = *state;
	char devices[128], rootlink[128];
	int status;
	pid_t pid;

	snprintf(rootlink, sizeof(rootlink), "%s/rootlink", f->base);
	assert_int_equal(symlink("/", rootlink), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(refuse_root_in_jail(f));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
	snprintf(devices, sizeof(devices), "%s/sys", f->base);
	assert_int_not_equal(access(devices, F_OK), 0);
}

/* Expect: 106 entries; block 8 once under memory/, linked from both nodes. */
static void test_tree_holds_each_block_once_and_a_link_per_node(void **state)
{
	struct fixture *f = *state;
	struct cm_error err = { 0 };
	char path[256], link[64];
	ssize_t len;

	assert_int_equal(export(f, f->target, CM_SYSFS_EXPORT_REFUSE_NONEMPTY, 0, &err), 0);
	assert_int_equal(count_tree(f->target), TREE_ENTRIES);
	snprintf(path, sizeof(path), "%s/sys/devices/system/memory/memory8/phys_index", f->target);
	expect_text(path, "00000008\n");
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/cpu1/topology/physical_package_id", f->target);
	expect_text(path, "0\n");
	for (int node = 0; node < 2; node++) {
		snprintf(path, sizeof(path), "%s/sys/devices/system/node/node%d/memory8", f->target, node);
		len = readlink(path, link, sizeof(link) - 1);
		assert_true(len > 0);
		link[len] = '\0';
		assert_string_equal(link, "../../memory/memory8");
	}
}

/* Expect: a link planted at block_size_bytes is replaced; its target outside keeps its text. */
static void test_planted_file_link_is_replaced_not_followed(void **state)
{
	struct fixture *f = *state;
	struct cm_error err = { 0 };
	char path[256];
	struct stat st;

	assert_int_equal(export(f, f->target, CM_SYSFS_EXPORT_REFUSE_NONEMPTY, 0, &err), 0);
	write_text(f->outside, "untouched\n");
	snprintf(path, sizeof(path), "%s/sys/devices/system/memory/block_size_bytes", f->target);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(f->outside, path), 0);
	assert_int_equal(export(f, f->target, CM_SYSFS_EXPORT_REPLACE, 0, &err), 0);
	expect_text(f->outside, "untouched\n");
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	expect_text(path, "8000000\n");
}

/* Expect: a link planted at sys/ is refused by name; the directory it names stays empty. */
static void test_planted_directory_link_is_refused(void **state)
{
	struct fixture *f = *state;
	struct cm_error err = { 0 };
	char path[256];

	assert_int_equal(mkdir(f->target, 0755), 0);
	assert_int_equal(mkdir(f->outside, 0755), 0);
	snprintf(path, sizeof(path), "%s/sys", f->target);
	assert_int_equal(symlink(f->outside, path), 0);
	assert_int_equal(export(f, f->target, CM_SYSFS_EXPORT_REPLACE, 0, &err), -ELOOP);
	assert_non_null(strstr(err.msg, "/sys: is a symbolic link, not followed"));
	assert_int_equal(count_tree(f->outside), 0);
}

/* Expect: a directory holding a file is refused (nothing added) unless REPLACE. */
static void test_non_empty_target_is_refused_unless_replace(void **state)
{
	struct fixture *f = *state;
	struct cm_error err = { 0 };
	char path[256];

	assert_int_equal(mkdir(f->target, 0755), 0);
	snprintf(path, sizeof(path), "%s/mine", f->target);
	write_text(path, "mine\n");
	assert_int_equal(export(f, f->target, CM_SYSFS_EXPORT_REFUSE_NONEMPTY, 0, &err), -ENOTEMPTY);
	assert_non_null(strstr(err.msg, "directory not empty"));
	assert_int_equal(count_tree(f->target), 1);
	assert_int_equal(export(f, f->target, CM_SYSFS_EXPORT_REPLACE, 0, &err), 0);
	assert_int_equal(count_tree(f->target), TREE_ENTRIES + 1);
	expect_text(path, "mine\n");
}

/* Expect: a limit of 106 entries writes the tree; 105 is refused, naming both, before the directory is made. */
static void test_entry_limit_is_checked_before_writing(void **state)
{
	struct fixture *f = *state;
	struct cm_error err = { 0 };

	assert_int_equal(export(f, f->target, CM_SYSFS_EXPORT_REFUSE_NONEMPTY, TREE_ENTRIES - 1, &err), -EFBIG);
	assert_non_null(strstr(err.msg, "the tree would hold 106 entries (16 memory blocks of 0x8000000 bytes)"));
	assert_non_null(strstr(err.msg, "limit of 105"));
	assert_int_not_equal(access(f->target, F_OK), 0);
	assert_int_equal(export(f, f->target, CM_SYSFS_EXPORT_REFUSE_NONEMPTY, TREE_ENTRIES, &err), 0);
	assert_int_equal(count_tree(f->target), TREE_ENTRIES);
}

/* Expect: 4 KiB blocks over 2 GiB (524 288 blocks) exceed the default limit; nothing is made. */
static void test_default_limit_refuses_millions_of_files(void **state)
{
	struct fixture *f = *state;
	struct cm_error err = { 0 };

	f->p->memory_block_size = CM_PAGE_SIZE;
	assert_int_equal(export(f, f->target, CM_SYSFS_EXPORT_REFUSE_NONEMPTY, 0, &err), -EFBIG);
	assert_non_null(strstr(err.msg, "limit of 262144"));
	assert_int_not_equal(access(f->target, F_OK), 0);
}

/* Expect: the target's parent is not created: a missing one is an error with strerror. */
static void test_missing_parent_is_an_error(void **state)
{
	struct fixture *f = *state;
	struct cm_error err = { 0 };
	char path[256];

	snprintf(path, sizeof(path), "%s/missing/out", f->base);
	assert_int_equal(export(f, path, CM_SYSFS_EXPORT_REFUSE_NONEMPTY, 0, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "No such file or directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_name_and_root_are_refused_before_any_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree_holds_each_block_once_and_a_link_per_node, setup, teardown),
		cmocka_unit_test_setup_teardown(test_planted_file_link_is_replaced_not_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_planted_directory_link_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_non_empty_target_is_refused_unless_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_limit_is_checked_before_writing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_limit_refuses_millions_of_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_parent_is_an_error, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
