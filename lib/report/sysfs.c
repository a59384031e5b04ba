// SPDX-License-Identifier: MIT
/*
 * A sysfs-like tree of a model platform (SPEC 4, --export-sysfs), so that
 * scripts written for /sys can run against it: DIR/sys/devices/system/
 * {node,memory,cpu} and DIR/proc/iomem, the layout the live reader reads
 * back (--live --sysroot DIR).
 *
 * The target directory is opened once and every entry is created relative
 * to it (mkdirat, openat, symlinkat) without following a symbolic link, so
 * a link planted inside the target cannot redirect a write outside it. The
 * number of entries is computed from the platform and checked against the
 * limit before anything is written.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confmem/report.h"
#include "platform/names.h"

/* The fixed directories: sys, sys/devices, .../system, .../memory, .../node, .../cpu and proc. */
#define SYSFS_NR_FIXED_DIRS 7
/* The fixed files: block_size_bytes and proc/iomem. */
#define SYSFS_NR_FIXED_FILES 2
/* Per node: its directory, crypto_capable, cpulist, distance, meminfo. */
#define SYSFS_NR_NODE_ENTRIES 5
/* Per memory block: its directory, online, state, phys_index. */
#define SYSFS_NR_BLOCK_ENTRIES 4
/* Per CPU of a node whose package is known: cpuN, cpuN/topology, .../physical_package_id. */
#define SYSFS_NR_CPU_ENTRIES 3

/* A run of memory blocks [first, last], as block indices. */
struct block_run {
	uint64_t first, last;
};

struct sysfs_export {
	const struct cm_platform *p;
	const struct cm_node_capability *caps;
	const char *root;	/* the target as named, for messages */
	enum cm_sysfs_export_existing existing;
	struct block_run *runs;	/* every node's blocks, merged: each block once */
	size_t nr_runs;
	uint64_t nr_blocks;	/* in @runs */
	uint64_t nr_links;	/* node/nodeN/memoryB: a block in two nodes has two */
	struct cm_error *err;
};

static int export_errno(struct sysfs_export *x, const char *where, const char *name)
{
	int code = -errno;

	if (errno == ELOOP)
		return cm_error_set(x->err, code, "%s/%s%s%s: is a symbolic link, not followed", x->root, where,
				    *where ? "/" : "", name);
	return cm_error_set(x->err, code, "%s/%s%s%s: %s", x->root, where, *where ? "/" : "", name, strerror(errno));
}

/* Create directory @name under @parent (once) and open it without following a link. */
static int make_dir(struct sysfs_export *x, int parent, const char *where, const char *name)
{
	int fd;

	if (mkdirat(parent, name, 0755) && !(errno == EEXIST && x->existing == CM_SYSFS_EXPORT_REPLACE))
		return export_errno(x, where, name);
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		struct stat st;

		/* O_NOFOLLOW|O_DIRECTORY says ENOTDIR for a link: name the link. */
		if (errno == ENOTDIR && !fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) && S_ISLNK(st.st_mode))
			errno = ELOOP;
		return export_errno(x, where, name);
	}
	return fd;
}

/* With REPLACE, an existing file or link is removed first (unlinkat never follows it). */
static int make_entry_room(struct sysfs_export *x, int dir, const char *where, const char *name)
{
	if (errno != EEXIST || x->existing != CM_SYSFS_EXPORT_REPLACE)
		return export_errno(x, where, name);
	if (unlinkat(dir, name, 0))
		return export_errno(x, where, name);
	return 0;
}

static int write_file(struct sysfs_export *x, int dir, const char *where, const char *name, const char *text)
{
	size_t len = strlen(text), done = 0;
	int fd, ret;

	fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = make_entry_room(x, dir, where, name);
		if (ret)
			return ret;
		fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0)
			return export_errno(x, where, name);
	}
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = export_errno(x, where, name);
			close(fd);
			return ret;
		}
		done += (size_t)n;
	}
	if (close(fd))
		return export_errno(x, where, name);
	return 0;
}

static int make_link(struct sysfs_export *x, int dir, const char *where, const char *name, const char *target)
{
	int ret;

	if (!symlinkat(target, dir, name))
		return 0;
	ret = make_entry_room(x, dir, where, name);
	if (ret)
		return ret;
	if (symlinkat(target, dir, name))
		return export_errno(x, where, name);
	return 0;
}

/* The blocks of one boot RAM range of a node. */
static struct block_run range_blocks(const struct cm_platform *p, const struct cm_range *r)
{
	return (struct block_run){ r->start / p->memory_block_size, (r->end - 1) / p->memory_block_size };
}

static int compare_runs(const void *a, const void *b)
{
	const struct block_run *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/*
 * Count the tree's memory blocks and node links, and merge every node's
 * blocks into runs so that each block directory is made once. Arithmetic
 * on the ranges only: the work does not grow with the number of blocks.
 */
static int plan_blocks(struct sysfs_export *x)
{
	const struct cm_platform *p = x->p;
	size_t nr_ranges = 0;

	for (size_t i = 0; i < p->nr_nodes; i++) {
		uint64_t last = UINT64_MAX;

		for (size_t j = 0; j < p->nodes[i].nr_memory; j++) {
			struct block_run run = range_blocks(p, &p->nodes[i].memory[j]);

			/* A node's ranges are sorted: only its previous one can share a block. */
			x->nr_links += run.last - run.first + (run.first != last);
			last = run.last;
			nr_ranges++;
		}
	}
	x->runs = calloc(nr_ranges ? nr_ranges : 1, sizeof(*x->runs));
	if (!x->runs)
		return cm_error_set(x->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < p->nr_nodes; i++)
		for (size_t j = 0; j < p->nodes[i].nr_memory; j++)
			x->runs[x->nr_runs++] = range_blocks(p, &p->nodes[i].memory[j]);
	qsort(x->runs, x->nr_runs, sizeof(*x->runs), compare_runs);
	nr_ranges = x->nr_runs;
	x->nr_runs = 0;
	for (size_t i = 0; i < nr_ranges; i++) {
		struct block_run *prev = x->nr_runs ? &x->runs[x->nr_runs - 1] : NULL;

		if (prev && x->runs[i].first <= prev->last + 1) {
			if (x->runs[i].last > prev->last)
				prev->last = x->runs[i].last;
			continue;
		}
		x->runs[x->nr_runs++] = x->runs[i];
	}
	for (size_t i = 0; i < x->nr_runs; i++)
		x->nr_blocks += x->runs[i].last - x->runs[i].first + 1;
	return 0;
}

static uint64_t nr_package_cpus(const struct cm_platform *p)
{
	uint64_t nr = 0;

	for (size_t i = 0; i < p->nr_nodes; i++)
		if (p->nodes[i].package >= 0)
			nr += cm_bitmap_weight(&p->nodes[i].cpus);
	return nr;
}

static uint64_t nr_entries(const struct sysfs_export *x)
{
	return SYSFS_NR_FIXED_DIRS + SYSFS_NR_FIXED_FILES + SYSFS_NR_NODE_ENTRIES * (uint64_t)x->p->nr_nodes +
	       x->nr_links + SYSFS_NR_BLOCK_ENTRIES * x->nr_blocks + SYSFS_NR_CPU_ENTRIES * nr_package_cpus(x->p);
}

/* The cpulist file, however long the list (thousands of CPUs are not cut). */
static int write_cpulist(struct sysfs_export *x, int fd, const char *where, const struct cm_bitmap *cpus)
{
	size_t len = cm_bitmap_format_list(cpus, NULL, 0);
	char *text = malloc(len + 2);
	int ret;

	if (!text)
		return cm_error_set(x->err, -ENOMEM, "%s/cpulist: out of memory", where);
	cm_bitmap_format_list(cpus, text, len + 1);
	text[len] = '\n';
	text[len + 1] = '\0';
	ret = write_file(x, fd, where, "cpulist", text);
	free(text);
	return ret;
}

/* node/nodeN: its attributes and a link to each of its memory blocks. */
static int export_node(struct sysfs_export *x, int nodes_fd, size_t i)
{
	const struct cm_platform *p = x->p;
	const struct cm_node *n = &p->nodes[i];
	uint64_t total_kb = cm_node_memory_bytes(n) / 1024, used_kb = x->caps[i].pamt_bytes / 1024;
	uint64_t last = UINT64_MAX;
	char name[32], where[64], text[4096], target[64];
	size_t len;
	int fd, ret;

	snprintf(name, sizeof(name), "node%d", n->id);
	fd = make_dir(x, nodes_fd, "sys/devices/system/node", name);
	if (fd < 0)
		return fd;
	snprintf(where, sizeof(where), "sys/devices/system/node/%s", name);
	snprintf(text, sizeof(text), "%d\n", x->caps[i].crypto_capable);
	ret = write_file(x, fd, where, "crypto_capable", text);
	if (!ret)
		ret = write_cpulist(x, fd, where, &n->cpus);
	len = 0;
	for (size_t j = 0; j < p->nr_nodes && len < sizeof(text); j++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%u", j ? " " : "",
					p->distance[i * p->nr_nodes + j]);
	if (len < sizeof(text) - 1)
		snprintf(text + len, sizeof(text) - len, "\n");
	if (!ret)
		ret = write_file(x, fd, where, "distance", text);
	/* At boot the model has nothing allocated but the PAMT blocks. */
	snprintf(text, sizeof(text), "Node %d MemTotal:       %8" PRIu64 " kB\nNode %d MemFree:        %8" PRIu64
		 " kB\nNode %d MemUsed:        %8" PRIu64 " kB\n", n->id, total_kb, n->id, total_kb - used_kb,
		 n->id, used_kb);
	if (!ret)
		ret = write_file(x, fd, where, "meminfo", text);
	for (size_t j = 0; j < n->nr_memory && !ret; j++) {
		struct block_run run = range_blocks(p, &n->memory[j]);

		for (uint64_t b = run.first == last ? run.first + 1 : run.first; b <= run.last && !ret; b++) {
			snprintf(name, sizeof(name), "memory%" PRIu64, b);
			snprintf(target, sizeof(target), "../../memory/memory%" PRIu64, b);
			ret = make_link(x, fd, where, name, target);
		}
		last = run.last;
	}
	close(fd);
	return ret;
}

/* cpu/cpuN/topology/physical_package_id for each CPU of a node whose package is known. */
static int export_cpus(struct sysfs_export *x, int cpu_fd)
{
	char name[32], where[96], text[32];
	int ret = 0;

	for (size_t i = 0; i < x->p->nr_nodes && !ret; i++) {
		const struct cm_node *n = &x->p->nodes[i];

		for (unsigned int cpu = 0; n->package >= 0 && cpu < n->cpus.nbits && !ret; cpu++) {
			int fd, topology;

			if (!cm_bitmap_test(&n->cpus, cpu))
				continue;
			snprintf(name, sizeof(name), "cpu%u", cpu);
			fd = make_dir(x, cpu_fd, "sys/devices/system/cpu", name);
			if (fd < 0)
				return fd;
			snprintf(where, sizeof(where), "sys/devices/system/cpu/%s", name);
			topology = make_dir(x, fd, where, "topology");
			close(fd);
			if (topology < 0)
				return topology;
			snprintf(where, sizeof(where), "sys/devices/system/cpu/cpu%u/topology", cpu);
			snprintf(text, sizeof(text), "%d\n", n->package);
			ret = write_file(x, topology, where, "physical_package_id", text);
			close(topology);
		}
	}
	return ret;
}

/* memory/memoryB: online, state, phys_index. */
static int export_block(struct sysfs_export *x, int memory_fd, uint64_t b)
{
	char name[32], where[64], text[32];
	int fd, ret;

	snprintf(name, sizeof(name), "memory%" PRIu64, b);
	fd = make_dir(x, memory_fd, "sys/devices/system/memory", name);
	if (fd < 0)
		return fd;
	snprintf(where, sizeof(where), "sys/devices/system/memory/%s", name);
	ret = write_file(x, fd, where, "online", "1\n");
	if (!ret)
		ret = write_file(x, fd, where, "state", "online\n");
	snprintf(text, sizeof(text), "%08" PRIx64 "\n", b);
	if (!ret)
		ret = write_file(x, fd, where, "phys_index", text);
	close(fd);
	return ret;
}

/* The kernel's name of an e820 type in /proc/iomem: the first spelling the live reader knows. */
static const char *iomem_name(enum cm_e820_type type)
{
	for (size_t i = 0; i < nr_e820_iomem_spellings; i++)
		if (e820_iomem_spellings[i].type == type)
			return e820_iomem_spellings[i].text;
	return "Reserved";
}

/* proc/iomem: the e820 map's top-level entries, "00100000-7fffffff : System RAM". */
static int export_iomem(struct sysfs_export *x, int proc_fd)
{
	const struct cm_platform *p = x->p;
	size_t len = 0, size = 64 * (p->nr_e820 + 1);
	char *text = malloc(size);
	int ret;

	if (!text)
		return cm_error_set(x->err, -ENOMEM, "%s/proc/iomem: out of memory", x->root);
	text[0] = '\0';
	for (size_t i = 0; i < p->nr_e820 && len < size; i++)
		len += (size_t)snprintf(text + len, size - len, "%08" PRIx64 "-%08" PRIx64 " : %s\n",
					p->e820[i].start, p->e820[i].end - 1, iomem_name(p->e820[i].type));
	ret = write_file(x, proc_fd, "proc", "iomem", text);
	free(text);
	return ret;
}

/* sys/devices/system/{memory,node} and proc/iomem under the target @root_fd. */
static int export_tree(struct sysfs_export *x, int root_fd)
{
	int fds[SYSFS_NR_FIXED_DIRS] = { -1, -1, -1, -1, -1, -1, -1 };
	int *sys = &fds[0], *devices = &fds[1], *system = &fds[2], *memory = &fds[3], *nodes = &fds[4];
	int *proc = &fds[5], *cpus = &fds[6];
	char text[32];
	int ret = 0;

	if ((*sys = make_dir(x, root_fd, "", "sys")) < 0 ||
	    (*devices = make_dir(x, *sys, "sys", "devices")) < 0 ||
	    (*system = make_dir(x, *devices, "sys/devices", "system")) < 0 ||
	    (*memory = make_dir(x, *system, "sys/devices/system", "memory")) < 0 ||
	    (*nodes = make_dir(x, *system, "sys/devices/system", "node")) < 0 ||
	    (*cpus = make_dir(x, *system, "sys/devices/system", "cpu")) < 0 ||
	    (*proc = make_dir(x, root_fd, "", "proc")) < 0) {
		ret = x->err->code;
		goto out_close;
	}
	snprintf(text, sizeof(text), "%" PRIx64 "\n", x->p->memory_block_size);
	ret = write_file(x, *memory, "sys/devices/system/memory", "block_size_bytes", text);
	for (size_t i = 0; i < x->p->nr_nodes && !ret; i++)
		ret = export_node(x, *nodes, i);
	if (!ret)
		ret = export_cpus(x, *cpus);
	for (size_t i = 0; i < x->nr_runs && !ret; i++)
		for (uint64_t b = x->runs[i].first; b <= x->runs[i].last && !ret; b++)
			ret = export_block(x, *memory, b);
	if (!ret)
		ret = export_iomem(x, *proc);
out_close:
	for (size_t i = 0; i < SYSFS_NR_FIXED_DIRS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return ret;
}

/* Open the target, creating it when missing; never the root directory. */
static int open_target(struct sysfs_export *x)
{
	struct stat st, root_st;
	int fd;

	fd = open(x->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && !mkdir(x->root, 0755))
		fd = open(x->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return cm_error_set(x->err, -errno, "%s: %s", x->root, strerror(errno));
	if (fstat(fd, &st) || stat("/", &root_st)) {
		int ret = cm_error_set(x->err, -errno, "%s: %s", x->root, strerror(errno));

		close(fd);
		return ret;
	}
	if (st.st_dev == root_st.st_dev && st.st_ino == root_st.st_ino) {
		close(fd);
		return cm_error_set(x->err, -EINVAL, "%s is the root directory; name a directory to write under",
				    x->root);
	}
	return fd;
}

/* -ENOTEMPTY unless the directory open at @fd holds nothing. */
static int check_empty(struct sysfs_export *x, int fd)
{
	int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	struct dirent *d;
	DIR *dir;
	int ret = 0;

	if (dup_fd < 0)
		return cm_error_set(x->err, -errno, "%s: %s", x->root, strerror(errno));
	dir = fdopendir(dup_fd);
	if (!dir) {
		ret = cm_error_set(x->err, -errno, "%s: %s", x->root, strerror(errno));
		close(dup_fd);
		return ret;
	}
	errno = 0;
	while ((d = readdir(dir))) {
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..")) {
			ret = cm_error_set(x->err, -ENOTEMPTY, "%s: directory not empty", x->root);
			break;
		}
	}
	if (!d && errno)
		ret = cm_error_set(x->err, -errno, "%s: %s", x->root, strerror(errno));
	closedir(dir);
	return ret;
}

int cm_export_sysfs(const struct cm_platform *p, const struct cm_node_capability *caps, const char *root,
		    const struct cm_sysfs_export_options *opts, struct cm_error *err)
{
	struct sysfs_export x = { .p = p, .caps = caps, .root = root, .err = err,
				  .existing = opts ? opts->existing : CM_SYSFS_EXPORT_REFUSE_NONEMPTY };
	uint64_t max_entries = opts && opts->max_entries ? opts->max_entries : CM_SYSFS_EXPORT_MAX_ENTRIES;
	int fd, ret;

	if (!*root)
		return cm_error_set(err, -EINVAL, "an empty directory name; name the directory to write under");
	ret = plan_blocks(&x);
	if (ret)
		goto out_free;
	if (nr_entries(&x) > max_entries) {
		ret = cm_error_set(err, -EFBIG, "the tree would hold %" PRIu64 " entries (%" PRIu64
				   " memory blocks of 0x%" PRIx64 " bytes), more than the limit of %" PRIu64
				   "; a larger memory_block_size makes fewer",
				   nr_entries(&x), x.nr_blocks, p->memory_block_size, max_entries);
		goto out_free;
	}
	fd = open_target(&x);
	if (fd < 0) {
		ret = fd;
		goto out_free;
	}
	if (x.existing == CM_SYSFS_EXPORT_REFUSE_NONEMPTY)
		ret = check_empty(&x, fd);
	if (!ret)
		ret = export_tree(&x, fd);
	close(fd);
out_free:
	free(x.runs);
	return ret;
}
