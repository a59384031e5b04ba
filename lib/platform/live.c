// SPDX-License-Identifier: MIT
/*
 * The live-machine platform source (SPEC 1, "Platform sources" item 4):
 * /proc/iomem for the memory map, /sys/devices/system/node for nodes, CPUs,
 * distances and the memory blocks of each node, and
 * /sys/devices/system/memory for the block size. Every path is read below a
 * root (the --sysroot habit of lsmem and hwloc) so the source is tested
 * against captured trees.
 *
 * The kernel shows /proc/iomem addresses only to CAP_SYS_ADMIN (root); another
 * reader sees zeros. Then RAM is taken from the memory blocks in sysfs, at
 * block granularity, and the platform says so in its "assumed" notes.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/live_internal.h"

/* Record what the source could not read and took from elsewhere. */
void live_note(struct live_reader *r, const char *fmt, ...)
{
	char text[CM_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	cm_log_add(&r->p->assumed, CM_LOG_INFO, "assumed: %s", text);
}

/* ROOT + the formatted rest into a PATH_MAX buffer. */
int live_make_path(const struct live_reader *r, char *buf, const char *fmt, ...)
{
	char rest[PATH_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(rest, sizeof(rest), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(rest) ||
	    (size_t)snprintf(buf, PATH_MAX, "%s%s", r->root, rest) >= PATH_MAX)
		return cm_error_set(r->err, -ENAMETOOLONG, "%s%s: path too long", r->root, rest);
	return 0;
}

/* DIR/NAME into a PATH_MAX buffer. */
int live_join_path(const struct live_reader *r, char *buf, const char *dir, const char *name)
{
	int n = snprintf(buf, PATH_MAX, "%s/%s", dir, name);

	if (n < 0 || n >= PATH_MAX)
		return cm_error_set(r->err, -ENAMETOOLONG, "%s/%s: path too long", dir, name);
	return 0;
}

/*
 * Read a whole file of at most @max_bytes into a NUL-terminated buffer.
 * Returns 0 or a negative errno with "PATH: ..." in @err.
 */
int live_read_text_file(const char *path, size_t max_bytes, char **text, size_t *len,
			struct cm_error *err)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);	/* a FIFO in a tree must not hang */
	if (fd < 0)
		return cm_error_set(err, -errno, "%s: cannot read: %s", path, strerror(errno));
	ret = cm_read_fd(fd, path, max_bytes, text, len, err);
	close(fd);
	return ret;
}

/* A missing file: the caller falls back to a default. */
bool live_is_missing(int ret)
{
	return ret == -ENOENT || ret == -ENOTDIR;
}

int live_read_sysfs_u64(struct live_reader *r, const char *path, enum sysfs_number_base base,
			uint64_t *value)
{
	char *text;
	size_t len;
	int ret = live_read_text_file(path, LIVE_SYSFS_FILE_MAX, &text, &len, r->err);

	if (live_is_missing(ret)) {
		cm_error_clear(r->err);
		return 0;
	}
	if (ret)
		return ret;
	ret = parse_sysfs_u64_text(text, len, base, path, value, r->err);
	free(text);
	return ret ? ret : 1;
}

static int set_tdx(struct live_reader *r, const struct cm_range *cmrs, unsigned int nr_cmrs)
{
	struct cm_tdx_config *tdx = &r->p->tdx;

	cm_tdx_config_set_defaults(tdx);
	if (nr_cmrs == 0) {
		tdx->enabled = false;
		live_note(r, "no CMRs given; TDX reported as not enabled");
		return 0;
	}
	if (!cmrs || nr_cmrs > CM_MAX_CMRS)
		return cm_error_set(r->err, -EINVAL, "CMRs: expected 1..%d, found %u",
				    CM_MAX_CMRS, nr_cmrs);
	tdx->enabled = true;
	memcpy(tdx->cmrs, cmrs, nr_cmrs * sizeof(*cmrs));
	tdx->nr_cmrs = nr_cmrs;
	live_note(r, "TDX module limits are defaults");
	return 0;
}

static int set_root(struct live_reader *r, const char *sysroot)
{
	size_t len = sysroot ? strlen(sysroot) : 0;
	struct stat st;

	if (len && stat(sysroot, &st))
		return cm_error_set(r->err, -errno, "%s: expected a directory holding a copy of the machine's "
				    "proc/iomem and sys/devices/system, found none: %s", sysroot, strerror(errno));
	if (len && !S_ISDIR(st.st_mode))
		return cm_error_set(r->err, -ENOTDIR, "%s: expected a directory holding a copy of the machine's "
				    "proc/iomem and sys/devices/system, found a file", sysroot);
	while (len > 0 && sysroot[len - 1] == '/')
		len--;
	if (len >= PATH_MAX - 128)
		return cm_error_set(r->err, -ENAMETOOLONG, "%.64s...: sysroot path too long", sysroot);
	if (len)
		memcpy(r->root, sysroot, len);
	r->root[len] = '\0';
	return 0;
}

static void reader_release(struct live_reader *r)
{
	iomem_map_free(&r->iomem);
	for (size_t i = 0; i < r->nr_nodes; i++) {
		cm_bitmap_free(&r->nodes[i].cpus);
		free(r->nodes[i].distance);
	}
	free(r->nodes);
	free(r->blocks);
	free(r->runs);
}

/*
 * Neither /proc/iomem's addresses nor memory blocks: say what was missing
 * and what would help. Root helps only on this machine, and only when not
 * root already.
 */
static int no_memory_error(struct live_reader *r)
{
	char blocks[PATH_MAX];
	struct stat st;
	const char *advice;
	int ret = live_make_path(r, blocks, "/sys/devices/system/memory");

	if (ret)
		return ret;
	if (r->root[0])
		advice = "copy both from the machine (as root, so that /proc/iomem shows its addresses), "
			 "or read its boot log or a platform file";
	else if (geteuid() != 0)
		advice = "run as root (the kernel shows /proc/iomem's addresses only to root), "
			 "or read a boot log or a platform file";
	else
		advice = "this process is root but lacks CAP_SYS_ADMIN (a container?), which /proc/iomem's "
			 "addresses need: run it on the host, or read a boot log or a platform file";
	return cm_error_set(r->err, -EINVAL, "no memory found: %s, and %s %s; %s", r->iomem_problem, blocks,
			    stat(blocks, &st) ? "is missing" : S_ISDIR(st.st_mode) ? "lists no memory blocks" :
			    "is not a directory", advice);
}

/* Nodes and their RAM, from whichever of /proc/iomem and the blocks is readable. */
static int read_memory(struct live_reader *r)
{
	struct cm_range *ram = NULL;
	size_t nr_ram = 0;
	int ret;

	ret = live_read_numa_nodes(r);
	if (!ret && !r->numa)
		ret = live_read_single_node(r);
	if (!ret && !r->iomem_visible)
		ret = live_read_memory_blocks(r);
	if (!ret)
		ret = live_build_block_runs(r);
	if (ret)
		return ret;
	if (!r->iomem_visible && r->nr_blocks == 0)
		return no_memory_error(r);
	ret = live_create_nodes(r);
	if (!ret)
		ret = live_collect_ram(r, &ram, &nr_ram);
	if (!ret)
		ret = live_assign_ram(r, ram, nr_ram);
	free(ram);
	if (ret)
		return ret;
	for (size_t i = 0; r->numa && i < r->p->nr_nodes; i++)
		live_set_node_kind(r, &r->p->nodes[i]);
	return 0;
}

int cm_platform_from_live(const char *sysroot, const struct cm_range *cmrs, unsigned int nr_cmrs,
			  struct cm_platform **out, struct cm_error *err)
{
	struct live_reader r = { .err = err };
	struct cm_error unused_err;
	int ret;

	if (!r.err)
		r.err = err = &unused_err;
	*out = NULL;
	ret = set_root(&r, sysroot);
	if (ret)
		return ret;
	r.p = cm_platform_new();
	if (!r.p)
		return cm_error_set(err, -ENOMEM, "live: out of memory");
	snprintf(r.p->name, sizeof(r.p->name), "live");
	ret = live_read_block_size(&r);
	if (!ret)
		ret = live_read_iomem(&r);
	if (!ret) {
		r.p->memory_block_size = r.block_size;
		ret = read_memory(&r);
	}
	if (!ret && r.iomem_visible)
		ret = live_add_soft_reserved_windows(&r);
	if (!ret)
		ret = live_build_distances(&r);
	if (!ret && r.iomem_visible)
		ret = live_add_e820(&r);
	if (!ret)
		ret = set_tdx(&r, cmrs, nr_cmrs);
	if (!ret)
		ret = live_note_sgx(&r);
	if (!ret)
		ret = cm_platform_finalize(r.p, r.root[0] ? r.root : "live", err);
	reader_release(&r);
	if (ret) {
		cm_platform_free(r.p);
		return ret;
	}
	*out = r.p;
	return 0;
}
