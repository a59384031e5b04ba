// SPDX-License-Identifier: MIT
/*
 * Reading an input file whole (util.h): only a regular file, and only up
 * to a limit, so that a FIFO, a device or a huge file named by mistake is
 * refused at once instead of blocking or filling memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confmem/util.h"

/* The first buffer; it doubles while the file is larger. */
#define READ_FILE_FIRST_CAPACITY (64U << 10)

static int refuse_too_large(const char *path, size_t max_bytes, struct cm_error *err)
{
	if (max_bytes % (1U << 20))
		return cm_error_set(err, -EFBIG, "%s: file is larger than the limit of %zu bytes", path,
				    max_bytes);
	return cm_error_set(err, -EFBIG, "%s: file is larger than the limit of %zu MiB", path,
			    max_bytes >> 20);
}

/* Grow @buf (of *capacity + 1 bytes) to hold twice as much, up to @max_bytes + 1. */
static int grow_buffer(char **buf, size_t *capacity, size_t max_bytes)
{
	size_t bigger_capacity = *capacity * 2 > max_bytes + 1 ? max_bytes + 1 : *capacity * 2;
	char *bigger = realloc(*buf, bigger_capacity + 1);

	if (!bigger)
		return -ENOMEM;
	*buf = bigger;
	*capacity = bigger_capacity;
	return 0;
}

int cm_read_fd(int fd, const char *path, size_t max_bytes, char **text, size_t *len, struct cm_error *err)
{
	/* A sysfs file of at most a page never takes the 64 KiB first buffer of a JSON document. */
	size_t capacity = max_bytes < READ_FILE_FIRST_CAPACITY ? max_bytes + 1 : READ_FILE_FIRST_CAPACITY, used = 0;
	char *buf = malloc(capacity + 1);
	int ret = 0;

	if (!buf)
		return cm_error_set(err, -ENOMEM, "%s: out of memory", path);
	for (;;) {
		ssize_t n;

		if (used == capacity && grow_buffer(&buf, &capacity, max_bytes)) {
			ret = cm_error_set(err, -ENOMEM, "%s: out of memory", path);
			break;
		}
		n = read(fd, buf + used, capacity - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = cm_error_set(err, -errno, "%s: cannot read: %s", path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > max_bytes) {
			ret = refuse_too_large(path, max_bytes, err);
			break;
		}
	}
	if (ret) {
		free(buf);
		return ret;
	}
	buf[used] = '\0';
	*text = buf;
	*len = used;
	return 0;
}

int cm_read_file(const char *path, size_t max_bytes, char **text, size_t *len, struct cm_error *err)
{
	struct stat st;
	int fd, ret;

	*text = NULL;
	*len = 0;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return cm_error_set(err, -errno, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		ret = cm_error_set(err, -errno, "%s: cannot read: %s", path, strerror(errno));
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = cm_error_set(err, S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL, "%s: not a regular file",
				   path);
		goto out_close;
	}
	if ((uint64_t)st.st_size > max_bytes) {
		ret = refuse_too_large(path, max_bytes, err);
		goto out_close;
	}
	ret = cm_read_fd(fd, path, max_bytes, text, len, err);
out_close:
	close(fd);
	return ret;
}
