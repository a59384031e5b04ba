// SPDX-License-Identifier: MIT
/*
 * A sysfs-like tree of a model platform (SPEC 4, --export-sysfs), so that
 * scripts written for /sys can run against it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confmem/report.h"

static int make_dirs(const char *path, struct cm_error *err)
{
	char tmp[4096];

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return cm_error_set(err, -ENAMETOOLONG, "%s: path too long", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return cm_error_set(err, -errno, "%s: %s", tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return cm_error_set(err, -errno, "%s: %s", tmp, strerror(errno));
	return 0;
}

static int write_file(const char *dir, const char *name, const char *text, struct cm_error *err)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return cm_error_set(err, -errno, "%s: %s", path, strerror(errno));
	fputs(text, f);
	if (fclose(f))
		return cm_error_set(err, -EIO, "%s: write failed", path);
	return 0;
}

/* The memory blocks that hold boot RAM of a node, as block indices. */
static int export_blocks(const struct cm_platform *p, const char *dir, const char *memdir, struct cm_error *err)
{
	char path[4096], text[64];
	int ret;

	for (size_t i = 0; i < p->nr_nodes; i++) {
		const struct cm_node *n = &p->nodes[i];
		uint64_t last = UINT64_MAX;

		for (size_t j = 0; j < n->nr_memory; j++) {
			uint64_t first = n->memory[j].start / p->memory_block_size;
			uint64_t end = (n->memory[j].end - 1) / p->memory_block_size;

			for (uint64_t b = first; b <= end; b++) {
				if (b == last)
					continue;
				last = b;
				snprintf(path, sizeof(path), "%s/memory%" PRIu64, memdir, b);
				ret = make_dirs(path, err);
				if (!ret)
					ret = write_file(path, "online", "1\n", err);
				if (!ret)
					ret = write_file(path, "state", "online\n", err);
				snprintf(text, sizeof(text), "%08" PRIx64 "\n", b);
				if (!ret)
					ret = write_file(path, "phys_index", text, err);
				snprintf(path, sizeof(path), "%s/node/node%d/memory%" PRIu64, dir, n->id, b);
				snprintf(text, sizeof(text), "../../memory/memory%" PRIu64, b);
				if (!ret && symlink(text, path) && errno != EEXIST)
					ret = cm_error_set(err, -errno, "%s: %s", path, strerror(errno));
				if (ret)
					return ret;
			}
		}
	}
	return 0;
}

int cm_export_sysfs(const struct cm_platform *p, const struct cm_node_capability *caps, const char *root,
		    struct cm_error *err)
{
	char dir[4096], nodedir[4096], memdir[4096], text[4096];
	int ret;

	/* Keep every path this writes well inside the buffers. */
	if (strlen(root) > 2048)
		return cm_error_set(err, -ENAMETOOLONG, "directory name too long");
	snprintf(dir, sizeof(dir), "%s/devices/system", root);
	snprintf(memdir, sizeof(memdir), "%s/memory", dir);
	ret = make_dirs(memdir, err);
	if (ret)
		return ret;
	snprintf(text, sizeof(text), "%" PRIx64 "\n", p->memory_block_size);
	ret = write_file(memdir, "block_size_bytes", text, err);
	for (size_t i = 0; i < p->nr_nodes && !ret; i++) {
		const struct cm_node *n = &p->nodes[i];
		uint64_t total_kb = cm_node_memory_bytes(n) / 1024, used_kb = caps[i].pamt_bytes / 1024;
		size_t len = 0;

		snprintf(nodedir, sizeof(nodedir), "%s/node/node%d", dir, n->id);
		ret = make_dirs(nodedir, err);
		if (ret)
			break;
		snprintf(text, sizeof(text), "%d\n", caps[i].crypto_capable);
		ret = write_file(nodedir, "crypto_capable", text, err);
		len = cm_bitmap_format_list(&n->cpus, text, sizeof(text) - 1);
		snprintf(text + (len < sizeof(text) - 1 ? len : sizeof(text) - 2), 2, "\n");
		if (!ret)
			ret = write_file(nodedir, "cpulist", text, err);
		len = 0;
		for (size_t j = 0; j < p->nr_nodes && len < sizeof(text); j++)
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%u", j ? " " : "",
						p->distance[i * p->nr_nodes + j]);
		if (len < sizeof(text) - 1)
			snprintf(text + len, sizeof(text) - len, "\n");
		if (!ret)
			ret = write_file(nodedir, "distance", text, err);
		/* At boot the model has nothing allocated but the PAMT blocks. */
		snprintf(text, sizeof(text), "Node %d MemTotal:       %8" PRIu64 " kB\nNode %d MemFree:        %8" PRIu64
			 " kB\nNode %d MemUsed:        %8" PRIu64 " kB\n", n->id, total_kb, n->id, total_kb - used_kb,
			 n->id, used_kb);
		if (!ret)
			ret = write_file(nodedir, "meminfo", text, err);
	}
	if (!ret)
		ret = export_blocks(p, dir, memdir, err);
	return ret;
}
