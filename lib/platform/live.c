// SPDX-License-Identifier: MIT
/*
 * The live-machine platform source (SPEC 1, "Platform sources" item 4):
 * /proc/iomem for the memory map, /sys/devices/system/node for nodes, CPUs,
 * distances and the memory blocks of each node, and
 * /sys/devices/system/memory for the block size. Every path is read below a
 * root (the --sysroot habit of lsmem and hwloc) so the source is tested
 * against captured trees.
 *
 * The kernel shows /proc/iomem addresses only to root; an unprivileged
 * reader sees zeros. Then RAM is taken from the memory blocks in sysfs, at
 * block granularity, and the platform says so in its "assumed" notes.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "confmem/platform.h"
#include "platform/live_parse.h"

/* Largest /proc/iomem accepted (a big server's is a few hundred KiB). */
#define LIVE_IOMEM_FILE_MAX (8U << 20)
/* Characters of offending input quoted in an error message. */
#define EXCERPT_MAX 48
/* The kernel's REMOTE_DISTANCE. */
#define LIVE_REMOTE_DISTANCE 20

/* ---- parsers on bytes (live_parse.h) ---- */

/* Quote at most EXCERPT_MAX bytes of input, non-printable bytes as '?'. */
static void quote_excerpt(const char *s, size_t len, char *buf, size_t size)
{
	size_t n = 0, i;

	for (i = 0; i < len && i < EXCERPT_MAX && n + 1 < size; i++)
		buf[n++] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (i < len && n + 3 < size) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
}

struct text_cursor {
	const char *text;
	size_t len;
	size_t pos;
	unsigned int line_no;
};

/* The next line without its newline; false at the end of the text. */
static bool next_line(struct text_cursor *c, const char **line, size_t *line_len)
{
	const char *newline;

	if (c->pos >= c->len)
		return false;
	*line = c->text + c->pos;
	newline = memchr(*line, '\n', c->len - c->pos);
	*line_len = newline ? (size_t)(newline - *line) : c->len - c->pos;
	c->pos += *line_len + (newline ? 1 : 0);
	c->line_no++;
	return true;
}

static int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One line of /proc/iomem: "%*s%08llx-%08llx : NAME", the end inclusive. */
struct iomem_line {
	unsigned int depth;	/* leading spaces: 0 for a top-level entry */
	uint64_t start;
	uint64_t last;
	const char *name;
	size_t name_len;
};

static int parse_hex_address(const char **cursor, const char *end, uint64_t *out)
{
	const char *s = *cursor;
	uint64_t value = 0;
	unsigned int nr_digits = 0;

	for (; s < end && hex_digit_value(*s) >= 0; s++, nr_digits++) {
		if (nr_digits == 16)
			return -ERANGE;
		value = value << 4 | (uint64_t)hex_digit_value(*s);
	}
	if (nr_digits == 0)
		return -EINVAL;
	*cursor = s;
	*out = value;
	return 0;
}

/* Returns 0, or -EINVAL with what was expected in @expected. */
static int parse_iomem_line(const char *line, size_t len, struct iomem_line *out, const char **expected)
{
	const char *s = line, *end = line + len;
	int ret;

	while (s < end && *s == ' ')
		s++;
	out->depth = (unsigned int)(s - line);
	ret = parse_hex_address(&s, end, &out->start);
	if (ret) {
		*expected = ret == -ERANGE ? "a start address of at most 16 hex digits" :
					     "\"START-END : NAME\" with hexadecimal addresses";
		return -EINVAL;
	}
	if (s == end || *s != '-') {
		*expected = "'-' after the start address";
		return -EINVAL;
	}
	s++;
	ret = parse_hex_address(&s, end, &out->last);
	if (ret) {
		*expected = ret == -ERANGE ? "an end address of at most 16 hex digits" :
					     "a hexadecimal end address after '-'";
		return -EINVAL;
	}
	if ((size_t)(end - s) < 3 || memcmp(s, " : ", 3)) {
		*expected = "\" : \" after the end address";
		return -EINVAL;
	}
	s += 3;
	if (s == end) {
		*expected = "a resource name after \" : \"";
		return -EINVAL;
	}
	out->name = s;
	out->name_len = (size_t)(end - s);
	return 0;
}

int iomem_name_to_e820_type(const char *name, size_t len, enum cm_e820_type *type)
{
	static const struct {
		const char *name;
		enum cm_e820_type type;
	} names[] = {
		{ "System RAM", CM_E820_USABLE },
		{ "Soft Reserved", CM_E820_SOFT_RESERVED },
		{ "Persistent Memory", CM_E820_PMEM },
		{ "Persistent Memory (legacy)", CM_E820_PMEM },
		{ "Reserved", CM_E820_RESERVED },
		{ "reserved", CM_E820_RESERVED },
		{ "ACPI Tables", CM_E820_ACPI },
		{ "ACPI Non-volatile Storage", CM_E820_NVS },
		{ "Unusable memory", CM_E820_UNUSABLE },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i].name) == len && !memcmp(names[i].name, name, len)) {
			*type = names[i].type;
			return 0;
		}
	}
	return -ENOENT;
}

void iomem_map_free(struct iomem_map *map)
{
	free(map->entries);
	map->entries = NULL;
	map->nr_entries = 0;
}

static int iomem_add_entry(struct iomem_map *map, uint64_t start, uint64_t end, enum cm_e820_type type)
{
	struct cm_e820_entry *entries = realloc(map->entries, (map->nr_entries + 1) * sizeof(*entries));

	if (!entries)
		return -ENOMEM;
	map->entries = entries;
	entries[map->nr_entries].start = start;
	entries[map->nr_entries].end = end;
	entries[map->nr_entries].type = type;
	map->nr_entries++;
	return 0;
}

/* First pass: the syntax of every line, and whether all addresses read zero. */
static int iomem_check_syntax(const char *text, size_t len, const char *path, struct iomem_map *map,
			      struct cm_error *err)
{
	struct text_cursor c = { .text = text, .len = len };
	bool seen_top_level = false, all_zero = true;
	char excerpt[EXCERPT_MAX + 4];
	const char *line, *expected;
	size_t line_len;

	while (next_line(&c, &line, &line_len)) {
		struct iomem_line entry;

		if (line_len == 0)
			continue;
		if (line_len > LIVE_IOMEM_LINE_MAX)
			return cm_error_set(err, -EINVAL, "%s:%u: expected a line of at most %d characters, "
					    "found %zu", path, c.line_no, LIVE_IOMEM_LINE_MAX, line_len);
		if (parse_iomem_line(line, line_len, &entry, &expected)) {
			quote_excerpt(line, line_len, excerpt, sizeof(excerpt));
			return cm_error_set(err, -EINVAL, "%s:%u: expected %s, found \"%s\"", path,
					    c.line_no, expected, excerpt);
		}
		if (entry.last < entry.start)
			return cm_error_set(err, -EINVAL, "%s:%u: expected an end address at or above the "
					    "start, found %" PRIx64 "-%" PRIx64, path, c.line_no,
					    entry.start, entry.last);
		if (entry.depth > 0 && !seen_top_level)
			return cm_error_set(err, -EINVAL, "%s:%u: expected a top-level entry first, found "
					    "a nested one (leading spaces)", path, c.line_no);
		seen_top_level |= entry.depth == 0;
		all_zero &= entry.start == 0 && entry.last == 0;
		map->nr_lines++;
	}
	map->addresses_hidden = map->nr_lines > 0 && all_zero;
	return 0;
}

/* Second pass: top-level order, and the entries the e820 model keeps. */
static int iomem_collect(const char *text, size_t len, const char *path, struct iomem_map *map,
			 struct cm_error *err)
{
	struct text_cursor c = { .text = text, .len = len };
	struct iomem_line previous = { 0 };
	bool have_previous = false;
	const char *line, *expected;
	size_t line_len;

	while (next_line(&c, &line, &line_len)) {
		struct iomem_line entry;
		enum cm_e820_type type;

		if (line_len == 0 || parse_iomem_line(line, line_len, &entry, &expected) || entry.depth)
			continue;
		if (have_previous && entry.start <= previous.last)
			return cm_error_set(err, -EINVAL, "%s:%u: expected top-level entries in ascending "
					    "order without overlap, found %" PRIx64 "-%" PRIx64
					    " after %" PRIx64 "-%" PRIx64, path, c.line_no, entry.start,
					    entry.last, previous.start, previous.last);
		previous = entry;
		have_previous = true;
		if (iomem_name_to_e820_type(entry.name, entry.name_len, &type))
			continue;
		if (entry.last >= CM_PHYS_LIMIT)
			return cm_error_set(err, -EINVAL, "%s:%u: expected addresses below the 52-bit "
					    "physical limit 0x%llx, found %" PRIx64 "-%" PRIx64, path,
					    c.line_no, CM_PHYS_LIMIT, entry.start, entry.last);
		if (iomem_add_entry(map, entry.start, entry.last + 1, type))
			return cm_error_set(err, -ENOMEM, "%s: out of memory", path);
	}
	return 0;
}

int parse_iomem_text(const char *text, size_t len, const char *path, struct iomem_map *map,
		     struct cm_error *err)
{
	int ret;

	memset(map, 0, sizeof(*map));
	ret = iomem_check_syntax(text, len, path, map, err);
	if (ret || map->addresses_hidden)
		return ret;
	ret = iomem_collect(text, len, path, map, err);
	if (ret)
		iomem_map_free(map);
	return ret;
}

/* Drop the one trailing newline a sysfs attribute ends with. */
static size_t strip_newline(const char *text, size_t len)
{
	return len > 0 && text[len - 1] == '\n' ? len - 1 : len;
}

int parse_sysfs_u64_text(const char *text, size_t len, enum sysfs_number_base base,
			 const char *path, uint64_t *out, struct cm_error *err)
{
	const char *what = base == SYSFS_HEX ? "a hexadecimal number (no 0x prefix)" : "a decimal number";
	char excerpt[EXCERPT_MAX + 4];
	uint64_t value = 0;
	size_t n = strip_newline(text, len);

	if (n == 0)
		return cm_error_set(err, -EINVAL, "%s: expected %s, found an empty file", path, what);
	for (size_t i = 0; i < n; i++) {
		int digit = hex_digit_value(text[i]);

		if (digit < 0 || digit >= (int)base) {
			quote_excerpt(text, n, excerpt, sizeof(excerpt));
			return cm_error_set(err, -EINVAL, "%s: expected %s, found \"%s\"", path, what,
					    excerpt);
		}
		if (value > (UINT64_MAX - (uint64_t)digit) / base) {
			quote_excerpt(text, n, excerpt, sizeof(excerpt));
			return cm_error_set(err, -ERANGE, "%s: expected %s below 2^64, found \"%s\"",
					    path, what, excerpt);
		}
		value = value * base + (uint64_t)digit;
	}
	*out = value;
	return 0;
}

int parse_sysfs_list_text(const char *text, size_t len, const char *path, struct cm_bitmap *set,
			  struct cm_error *err)
{
	char excerpt[EXCERPT_MAX + 4];
	const char *why = NULL;
	char *copy;
	int ret;

	quote_excerpt(text, strip_newline(text, len), excerpt, sizeof(excerpt));
	if (len > LIVE_SYSFS_FILE_MAX)
		return cm_error_set(err, -EINVAL, "%s: expected a list of at most %d characters, found %zu",
				    path, LIVE_SYSFS_FILE_MAX, len);
	if (memchr(text, '\0', len))
		return cm_error_set(err, -EINVAL, "%s: expected a list like 0-3,8, found \"%s\" "
				    "(a NUL byte)", path, excerpt);
	copy = malloc(len + 1);
	if (!copy)
		return cm_error_set(err, -ENOMEM, "%s: out of memory", path);
	memcpy(copy, text, len);
	copy[len] = '\0';
	ret = cm_bitmap_parse_list(set, copy, &why);
	free(copy);
	if (ret)
		return cm_error_set(err, -EINVAL, "%s: expected a list like 0-3,8, found \"%s\" (%s)",
				    path, excerpt, why ? why : "malformed");
	return 0;
}

int parse_sysfs_distance_text(const char *text, size_t len, const char *path, size_t self_index,
			      size_t nr_nodes, unsigned int *row, struct cm_error *err)
{
	char excerpt[EXCERPT_MAX + 4];
	size_t n = strip_newline(text, len), i = 0, nr_found = 0;

	quote_excerpt(text, n, excerpt, sizeof(excerpt));
	while (i < n) {
		unsigned int value = 0;
		size_t nr_digits = 0;

		while (i < n && text[i] == ' ')
			i++;
		if (i == n)
			break;
		for (; i < n && text[i] >= '0' && text[i] <= '9'; i++, nr_digits++)
			if (value < 100000)
				value = value * 10 + (unsigned int)(text[i] - '0');
		if (nr_digits == 0 || (i < n && text[i] != ' '))
			return cm_error_set(err, -EINVAL, "%s: expected decimal distances separated by "
					    "spaces, found \"%s\"", path, excerpt);
		if (nr_found < nr_nodes)
			row[nr_found] = value;
		nr_found++;
	}
	if (nr_found != nr_nodes)
		return cm_error_set(err, -EINVAL, "%s: expected %zu distances (one per online node), "
				    "found %zu", path, nr_nodes, nr_found);
	for (size_t j = 0; j < nr_nodes; j++) {
		if (j == self_index && row[j] != 10)
			return cm_error_set(err, -EINVAL, "%s: expected 10 (the node's distance to itself) "
					    "in column %zu, found %u", path, j + 1, row[j]);
		if (j != self_index && (row[j] <= 10 || row[j] > 254))
			return cm_error_set(err, -EINVAL, "%s: expected a distance of 11..254 to another "
					    "node in column %zu, found %u", path, j + 1, row[j]);
	}
	return 0;
}

bool parse_sysfs_entry_number(const char *name, const char *prefix, uint64_t *out)
{
	size_t prefix_len = strlen(prefix);
	const char *s = name + prefix_len;
	uint64_t value = 0;

	if (strncmp(name, prefix, prefix_len) || *s == '\0' || (s[0] == '0' && s[1] != '\0'))
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || value > (UINT64_MAX - 9) / 10)
			return false;
		value = value * 10 + (uint64_t)(*s - '0');
	}
	*out = value;
	return true;
}

/* ---- reading the tree ---- */

/* A memory block listed in sysfs and the node directory that lists it. */
struct live_block {
	uint64_t id;
	int node;		/* -1: listed in no node directory */
};

/* A run of consecutive blocks of one node, as an address range. */
struct block_run {
	uint64_t start;
	uint64_t end;
	int node;
};

struct live_node {
	int id;
	struct cm_bitmap cpus;
	unsigned int *distance;	/* one entry per sysfs node; NULL when the file is missing */
};

struct live_reader {
	char root[PATH_MAX];		/* sysroot without trailing '/'; "" for "/" */
	char iomem_path[PATH_MAX];
	struct cm_platform *p;
	struct cm_error *err;

	uint64_t block_size;
	struct iomem_map iomem;
	bool iomem_visible;		/* addresses readable: the map is the truth */
	char iomem_problem[CM_ERR_MSG_MAX];	/* why not, when it is not */

	bool numa;			/* the node directory exists and lists nodes */
	struct live_node *nodes;	/* sorted by id */
	size_t nr_nodes;

	struct live_block *blocks;	/* sorted by id, one per block */
	size_t nr_blocks;
	size_t blocks_capacity;
	struct block_run *runs;		/* blocks with a node, merged */
	size_t nr_runs;
};

static void note(struct live_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record what the source could not read and took from elsewhere. */
static void note(struct live_reader *r, const char *fmt, ...)
{
	char text[CM_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	cm_log_add(&r->p->assumed, CM_LOG_INFO, "assumed: %s", text);
}

static int make_path(const struct live_reader *r, char *buf, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ROOT + the formatted rest into a PATH_MAX buffer. */
static int make_path(const struct live_reader *r, char *buf, const char *fmt, ...)
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
static int join_path(const struct live_reader *r, char *buf, const char *dir, const char *name)
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
static int read_text_file(const char *path, size_t max_bytes, char **text, size_t *len,
			  struct cm_error *err)
{
	size_t capacity = 4096, used = 0;
	char *buf = NULL;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);	/* a FIFO in a tree must not hang */
	if (fd < 0)
		return cm_error_set(err, -errno, "%s: cannot read: %s", path, strerror(errno));
	for (;;) {
		ssize_t n;

		if (!buf || used == capacity) {
			char *bigger;

			if (buf)
				capacity *= 2;
			bigger = realloc(buf, capacity + 1);
			if (!bigger) {
				ret = cm_error_set(err, -ENOMEM, "%s: out of memory", path);
				break;
			}
			buf = bigger;
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
			ret = cm_error_set(err, -EFBIG, "%s: expected at most %zu bytes, found more",
					   path, max_bytes);
			break;
		}
	}
	close(fd);
	if (ret) {
		free(buf);
		return ret;
	}
	buf[used] = '\0';
	*text = buf;
	*len = used;
	return 0;
}

/* A missing file: the caller falls back to a default. */
static bool is_missing(int ret)
{
	return ret == -ENOENT || ret == -ENOTDIR;
}

static int read_block_size(struct live_reader *r)
{
	char path[PATH_MAX], *text;
	size_t len;
	uint64_t size;
	int ret;

	ret = make_path(r, path, "/sys/devices/system/memory/block_size_bytes");
	if (ret)
		return ret;
	ret = read_text_file(path, LIVE_SYSFS_FILE_MAX, &text, &len, r->err);
	if (is_missing(ret)) {
		cm_error_clear(r->err);
		r->block_size = CM_DEFAULT_BLOCK_SIZE;
		note(r, "%s missing; memory block size 0x%llx (the x86_64 default)", path,
		     CM_DEFAULT_BLOCK_SIZE);
		return 0;
	}
	if (ret)
		return ret;
	ret = parse_sysfs_u64_text(text, len, SYSFS_HEX, path, &size, r->err);
	free(text);
	if (ret)
		return ret;
	if (size < CM_PAGE_SIZE || size >= CM_PHYS_LIMIT || (size & (size - 1)))
		return cm_error_set(r->err, -EINVAL, "%s: expected a power of two from 0x1000 to "
				    "0x%llx, found 0x%" PRIx64, path, CM_PHYS_LIMIT >> 1, size);
	r->block_size = size;
	return 0;
}

/*
 * /proc/iomem: a malformed file is an error; a missing, unreadable, empty
 * or hidden one leaves @iomem_visible false and the memory blocks decide.
 */
static int read_iomem(struct live_reader *r)
{
	char *text;
	size_t len;
	int ret;

	ret = make_path(r, r->iomem_path, "/proc/iomem");
	if (ret)
		return ret;
	ret = read_text_file(r->iomem_path, LIVE_IOMEM_FILE_MAX, &text, &len, r->err);
	if (ret && !is_missing(ret) && ret != -EACCES && ret != -EPERM)
		return ret;
	if (ret) {
		snprintf(r->iomem_problem, sizeof(r->iomem_problem), "%s", r->err->msg);
		note(r, "%s; RAM taken from memory blocks in /sys (block granularity)", r->err->msg);
		cm_error_clear(r->err);
		return 0;
	}
	ret = parse_iomem_text(text, len, r->iomem_path, &r->iomem, r->err);
	free(text);
	if (ret)
		return ret;
	if (r->iomem.nr_lines == 0) {
		snprintf(r->iomem_problem, sizeof(r->iomem_problem), "%.400s: empty file", r->iomem_path);
		note(r, "%s is empty; RAM taken from memory blocks in /sys (block granularity)",
		     r->iomem_path);
		return 0;
	}
	if (r->iomem.addresses_hidden) {
		snprintf(r->iomem_problem, sizeof(r->iomem_problem), "%.380s: addresses are hidden "
			 "(all zero): the kernel shows them only to root (CAP_SYS_ADMIN)", r->iomem_path);
		note(r, "%s addresses hidden (not root); RAM taken from memory blocks in /sys "
		     "(block granularity)", r->iomem_path);
		return 0;
	}
	for (size_t i = 0; i < r->iomem.nr_entries; i++)
		if (r->iomem.entries[i].type == CM_E820_USABLE)
			r->iomem_visible = true;
	if (!r->iomem_visible)
		return cm_error_set(r->err, -EINVAL, "%s: expected at least one \"System RAM\" entry, "
				    "found none", r->iomem_path);
	return 0;
}

static int add_block(struct live_reader *r, const char *path, uint64_t id, int node)
{
	if (id >= CM_PHYS_LIMIT / r->block_size)
		return cm_error_set(r->err, -EINVAL, "%s: expected a memory block below the 52-bit "
				    "physical limit, found block %" PRIu64 " of 0x%" PRIx64 " bytes",
				    path, id, r->block_size);
	if (r->nr_blocks == r->blocks_capacity) {
		size_t capacity = r->blocks_capacity ? r->blocks_capacity * 2 : 64;
		struct live_block *blocks = realloc(r->blocks, capacity * sizeof(*blocks));

		if (!blocks)
			return cm_error_set(r->err, -ENOMEM, "%s: out of memory", path);
		r->blocks = blocks;
		r->blocks_capacity = capacity;
	}
	r->blocks[r->nr_blocks].id = id;
	r->blocks[r->nr_blocks].node = node;
	r->nr_blocks++;
	return 0;
}

/* The memoryN entries (symlinks in sysfs; files or directories in a captured tree) of a directory. */
static int read_block_entries(struct live_reader *r, const char *dir_path, int node)
{
	char entry_path[PATH_MAX];
	struct dirent *entry;
	DIR *dir;
	int ret = 0;

	dir = opendir(dir_path);
	if (!dir)
		return cm_error_set(r->err, -errno, "%s: cannot list: %s", dir_path, strerror(errno));
	while ((entry = readdir(dir))) {
		uint64_t id;

		if (!parse_sysfs_entry_number(entry->d_name, "memory", &id))
			continue;
		ret = join_path(r, entry_path, dir_path, entry->d_name);
		if (!ret)
			ret = add_block(r, entry_path, id, node);
		if (ret)
			break;
	}
	closedir(dir);
	return ret;
}

static int read_cpulist(struct live_reader *r, const char *path, struct cm_bitmap *cpus)
{
	char *text;
	size_t len;
	int ret;

	ret = read_text_file(path, LIVE_SYSFS_FILE_MAX, &text, &len, r->err);
	if (ret)
		return ret;
	ret = parse_sysfs_list_text(text, len, path, cpus, r->err);
	free(text);
	return ret;
}

static int compare_node_ids(const void *a, const void *b)
{
	const struct live_node *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* The nodeN directories; none at all means a kernel without NUMA. */
static int list_nodes(struct live_reader *r, const char *node_dir)
{
	struct dirent *entry;
	DIR *dir;
	int ret = 0;

	dir = opendir(node_dir);
	if (!dir) {
		if (errno == ENOENT)
			return 0;
		return cm_error_set(r->err, -errno, "%s: cannot list: %s", node_dir, strerror(errno));
	}
	while ((entry = readdir(dir))) {
		struct live_node *nodes;
		uint64_t id;

		if (!parse_sysfs_entry_number(entry->d_name, "node", &id))
			continue;
		if (id >= CM_MAX_NUMNODES) {
			ret = cm_error_set(r->err, -EINVAL, "%s/%s: expected node ids 0..%d, found %" PRIu64,
					   node_dir, entry->d_name, CM_MAX_NUMNODES - 1, id);
			break;
		}
		nodes = realloc(r->nodes, (r->nr_nodes + 1) * sizeof(*nodes));
		if (!nodes) {
			ret = cm_error_set(r->err, -ENOMEM, "%s: out of memory", node_dir);
			break;
		}
		r->nodes = nodes;
		memset(&nodes[r->nr_nodes], 0, sizeof(nodes[0]));
		nodes[r->nr_nodes].id = (int)id;
		r->nr_nodes++;
		if (cm_bitmap_init(&nodes[r->nr_nodes - 1].cpus, CM_MAX_CPUS)) {
			ret = cm_error_set(r->err, -ENOMEM, "%s: out of memory", node_dir);
			break;
		}
	}
	closedir(dir);
	if (ret)
		return ret;
	if (r->nr_nodes)
		qsort(r->nodes, r->nr_nodes, sizeof(*r->nodes), compare_node_ids);
	return 0;
}

/* Every distance file, or none: a partial matrix is not usable. */
static int read_distances(struct live_reader *r)
{
	char path[PATH_MAX], *text;
	size_t len;
	int ret;

	for (size_t i = 0; i < r->nr_nodes; i++) {
		struct live_node *n = &r->nodes[i];

		ret = make_path(r, path, "/sys/devices/system/node/node%d/distance", n->id);
		if (ret)
			return ret;
		ret = read_text_file(path, LIVE_SYSFS_FILE_MAX, &text, &len, r->err);
		if (is_missing(ret)) {
			cm_error_clear(r->err);
			note(r, "%s missing; distances default (10 local, %d remote)", path,
			     LIVE_REMOTE_DISTANCE);
			for (size_t j = 0; j < i; j++) {
				free(r->nodes[j].distance);
				r->nodes[j].distance = NULL;
			}
			return 0;
		}
		if (ret)
			return ret;
		n->distance = calloc(r->nr_nodes, sizeof(*n->distance));
		if (!n->distance) {
			free(text);
			return cm_error_set(r->err, -ENOMEM, "%s: out of memory", path);
		}
		ret = parse_sysfs_distance_text(text, len, path, i, r->nr_nodes, n->distance, r->err);
		free(text);
		if (ret)
			return ret;
	}
	return 0;
}

static int read_numa_nodes(struct live_reader *r)
{
	char node_dir[PATH_MAX], path[PATH_MAX];
	int ret;

	ret = make_path(r, node_dir, "/sys/devices/system/node");
	if (ret)
		return ret;
	ret = list_nodes(r, node_dir);
	if (ret || r->nr_nodes == 0)
		return ret;
	r->numa = true;
	for (size_t i = 0; i < r->nr_nodes; i++) {
		struct live_node *n = &r->nodes[i];

		ret = make_path(r, path, "/sys/devices/system/node/node%d/cpulist", n->id);
		if (!ret)
			ret = read_cpulist(r, path, &n->cpus);
		if (!ret)
			ret = make_path(r, path, "/sys/devices/system/node/node%d", n->id);
		if (!ret)
			ret = read_block_entries(r, path, n->id);
		if (ret)
			return ret;
	}
	return read_distances(r);
}

/* A kernel without NUMA: one node 0 with every online CPU. */
static int read_single_node(struct live_reader *r)
{
	char path[PATH_MAX];
	int ret;

	r->nodes = calloc(1, sizeof(*r->nodes));
	if (!r->nodes || cm_bitmap_init(&r->nodes[0].cpus, CM_MAX_CPUS))
		return cm_error_set(r->err, -ENOMEM, "live: out of memory");
	r->nr_nodes = 1;
	ret = make_path(r, path, "/sys/devices/system/node");
	if (ret)
		return ret;
	note(r, "%s lists no nodes (a kernel without NUMA); all memory on node 0", path);
	ret = make_path(r, path, "/sys/devices/system/cpu/online");
	if (ret)
		return ret;
	ret = read_cpulist(r, path, &r->nodes[0].cpus);
	if (is_missing(ret)) {
		cm_error_clear(r->err);
		cm_bitmap_set(&r->nodes[0].cpus, 0);
		note(r, "%s missing; node 0 given CPU 0", path);
		return 0;
	}
	return ret;
}

/* phys_index of memory/memoryN, when the directory has one, must name block N. */
static int check_phys_index(struct live_reader *r, const char *name, uint64_t id)
{
	char path[PATH_MAX], *text;
	uint64_t phys_index;
	size_t len;
	int ret;

	ret = make_path(r, path, "/sys/devices/system/memory/%s/phys_index", name);
	if (ret)
		return ret;
	ret = read_text_file(path, LIVE_SYSFS_FILE_MAX, &text, &len, r->err);
	if (is_missing(ret)) {
		cm_error_clear(r->err);
		return 0;
	}
	if (ret)
		return ret;
	ret = parse_sysfs_u64_text(text, len, SYSFS_HEX, path, &phys_index, r->err);
	free(text);
	if (!ret && phys_index != id)
		ret = cm_error_set(r->err, -EINVAL, "%s: expected %" PRIx64 " (the block number of "
				   "%s), found %" PRIx64, path, id, name, phys_index);
	return ret;
}

/*
 * Without /proc/iomem addresses, every block in /sys/devices/system/memory
 * is RAM, including blocks no node directory lists.
 */
static int read_memory_blocks(struct live_reader *r)
{
	char dir_path[PATH_MAX], entry_path[PATH_MAX];
	struct dirent *entry;
	DIR *dir;
	int ret = 0;

	ret = make_path(r, dir_path, "/sys/devices/system/memory");
	if (ret)
		return ret;
	dir = opendir(dir_path);
	if (!dir) {
		if (errno == ENOENT)
			return 0;
		return cm_error_set(r->err, -errno, "%s: cannot list: %s", dir_path, strerror(errno));
	}
	while ((entry = readdir(dir))) {
		uint64_t id;

		if (!parse_sysfs_entry_number(entry->d_name, "memory", &id))
			continue;
		ret = join_path(r, entry_path, dir_path, entry->d_name);
		if (!ret)
			ret = check_phys_index(r, entry->d_name, id);
		if (!ret)
			ret = add_block(r, entry_path, id, -1);
		if (ret)
			break;
	}
	closedir(dir);
	return ret;
}

/* By id; for one id, blocks with a node first, lowest node first. */
static int compare_blocks(const void *a, const void *b)
{
	const struct live_block *x = a, *y = b;
	unsigned int xn = (unsigned int)x->node, yn = (unsigned int)y->node;	/* -1 sorts last */

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (xn > yn) - (xn < yn);
}

/* Sort the blocks, keep one per id, and merge the blocks with a node into runs. */
static int build_block_runs(struct live_reader *r)
{
	size_t kept = 0, nr_shared = 0;
	uint64_t first_shared = 0;
	int shared_nodes[2] = { 0, 0 };

	if (r->nr_blocks)
		qsort(r->blocks, r->nr_blocks, sizeof(*r->blocks), compare_blocks);
	for (size_t i = 0; i < r->nr_blocks; i++) {
		if (kept > 0 && r->blocks[kept - 1].id == r->blocks[i].id) {
			if (r->blocks[i].node >= 0 && r->blocks[i].node != r->blocks[kept - 1].node) {
				if (nr_shared++ == 0) {
					first_shared = r->blocks[i].id;
					shared_nodes[0] = r->blocks[kept - 1].node;
					shared_nodes[1] = r->blocks[i].node;
				}
			}
			continue;
		}
		r->blocks[kept++] = r->blocks[i];
	}
	r->nr_blocks = kept;
	if (nr_shared)
		note(r, "%zu memory block(s) listed under more than one node (first: memory%" PRIu64
		     " under nodes %d and %d); each given to its lowest node", nr_shared, first_shared,
		     shared_nodes[0], shared_nodes[1]);

	r->runs = malloc((r->nr_blocks ? r->nr_blocks : 1) * sizeof(*r->runs));
	if (!r->runs)
		return cm_error_set(r->err, -ENOMEM, "live: out of memory");
	for (size_t i = 0; i < r->nr_blocks; i++) {
		const struct live_block *b = &r->blocks[i];
		struct block_run *last = r->nr_runs ? &r->runs[r->nr_runs - 1] : NULL;
		uint64_t start = b->id * r->block_size;

		if (b->node < 0)
			continue;
		if (last && last->node == b->node && last->end == start) {
			last->end += r->block_size;
			continue;
		}
		r->runs[r->nr_runs].start = start;
		r->runs[r->nr_runs].end = start + r->block_size;
		r->runs[r->nr_runs].node = b->node;
		r->nr_runs++;
	}
	return 0;
}

/* The RAM to give to nodes: System RAM page-trimmed, or every memory block. */
static int collect_ram(struct live_reader *r, struct cm_range **out, size_t *nr_out)
{
	struct cm_range *ram;
	size_t n = 0, capacity = r->iomem_visible ? r->iomem.nr_entries : r->nr_blocks;

	ram = malloc((capacity ? capacity : 1) * sizeof(*ram));
	if (!ram)
		return cm_error_set(r->err, -ENOMEM, "live: out of memory");
	if (r->iomem_visible) {
		for (size_t i = 0; i < r->iomem.nr_entries; i++) {
			const struct cm_e820_entry *e = &r->iomem.entries[i];
			uint64_t start = cm_align_up(e->start, CM_PAGE_SIZE);
			uint64_t end = cm_align_down(e->end, CM_PAGE_SIZE);

			if (e->type == CM_E820_USABLE && start < end) {
				ram[n].start = start;
				ram[n].end = end;
				n++;
			}
		}
	} else {
		for (size_t i = 0; i < r->nr_blocks; i++) {
			uint64_t start = r->blocks[i].id * r->block_size;

			if (n > 0 && ram[n - 1].end == start) {
				ram[n - 1].end += r->block_size;
				continue;
			}
			ram[n].start = start;
			ram[n].end = start + r->block_size;
			n++;
		}
	}
	*out = ram;
	*nr_out = n;
	return 0;
}

/* Append [start, end) to a node's memory, merging with its last range. */
static int give_to_node(struct live_reader *r, int node_id, uint64_t start, uint64_t end)
{
	int index = cm_platform_node_index(r->p, node_id);
	struct cm_node *n;

	if (index < 0)
		return cm_error_set(r->err, -EINVAL, "live: memory for node %d, which is not listed",
				    node_id);
	n = &r->p->nodes[index];
	if (n->nr_memory && n->memory[n->nr_memory - 1].end == start) {
		n->memory[n->nr_memory - 1].end = end;
		return 0;
	}
	if (cm_node_add_memory(n, start, end))
		return cm_error_set(r->err, -ENOMEM, "live: out of memory");
	return 0;
}

/* RAM no node lists goes to the node of the nearest block below, else above, else the first node. */
static int fallback_node(const struct live_reader *r, size_t next_run)
{
	if (next_run > 0)
		return r->runs[next_run - 1].node;
	if (next_run < r->nr_runs)
		return r->runs[next_run].node;
	return r->p->nodes[0].id;
}

/* Split each RAM range over the node runs; both lists are sorted. */
static int assign_ram(struct live_reader *r, const struct cm_range *ram, size_t nr_ram)
{
	size_t k = 0, nr_orphans = 0;
	uint64_t orphan_bytes = 0;
	struct cm_range first_orphan = { 0, 0 };
	int ret;

	for (size_t i = 0; i < nr_ram; i++) {
		uint64_t pos = ram[i].start;

		while (pos < ram[i].end) {
			uint64_t end;
			int node;

			while (k < r->nr_runs && r->runs[k].end <= pos)
				k++;
			if (k < r->nr_runs && r->runs[k].start <= pos) {
				end = r->runs[k].end < ram[i].end ? r->runs[k].end : ram[i].end;
				node = r->runs[k].node;
			} else {
				end = k < r->nr_runs && r->runs[k].start < ram[i].end ? r->runs[k].start :
											 ram[i].end;
				node = fallback_node(r, k);
				if (nr_orphans++ == 0) {
					first_orphan.start = pos;
					first_orphan.end = end;
				}
				orphan_bytes += end - pos;
			}
			ret = give_to_node(r, node, pos, end);
			if (ret)
				return ret;
			pos = end;
		}
	}
	if (nr_orphans && r->numa)
		note(r, "%zu RAM range(s) (0x%" PRIx64 " bytes; first [0x%" PRIx64 ", 0x%" PRIx64
		     ")) in no node's memory blocks; each given to the node of the nearest block below "
		     "(above when none is below; the lowest node when no node lists blocks)", nr_orphans, orphan_bytes, first_orphan.start,
		     first_orphan.end);
	return 0;
}

/* Does any block run of @node overlap an iomem entry of @type? */
static bool node_blocks_have_type(const struct live_reader *r, int node, enum cm_e820_type type)
{
	for (size_t k = 0; k < r->nr_runs; k++) {
		if (r->runs[k].node != node)
			continue;
		for (size_t i = 0; i < r->iomem.nr_entries; i++) {
			const struct cm_e820_entry *e = &r->iomem.entries[i];

			if (e->type == type && e->start < r->runs[k].end && r->runs[k].start < e->end)
				return true;
		}
	}
	return false;
}

/* dram with CPUs; a memory-only node is cxl or pmem by what backs its blocks. */
static void set_node_kind(struct live_reader *r, struct cm_node *n)
{
	if (cm_node_has_cpus(n)) {
		n->kind = CM_NODE_DRAM;
	} else if (r->iomem_visible && node_blocks_have_type(r, n->id, CM_E820_SOFT_RESERVED)) {
		n->kind = CM_NODE_CXL;
		note(r, "node %d has no CPUs and its memory blocks are Soft Reserved: kind cxl", n->id);
	} else if (r->iomem_visible && node_blocks_have_type(r, n->id, CM_E820_PMEM)) {
		n->kind = CM_NODE_PMEM;
		note(r, "node %d has no CPUs and its memory blocks are Persistent Memory: kind pmem",
		     n->id);
	} else if (r->iomem_visible) {
		n->kind = CM_NODE_DRAM;
		note(r, "node %d has no CPUs and no Soft Reserved or Persistent Memory blocks: kind dram",
		     n->id);
	} else {
		n->kind = CM_NODE_DRAM;
		note(r, "node %d has no CPUs; kind dram (what backs its memory is hidden with the "
		     "/proc/iomem addresses)", n->id);
	}
}

static int create_nodes(struct live_reader *r)
{
	for (size_t i = 0; i < r->nr_nodes; i++) {
		struct cm_node *n = cm_platform_add_node(r->p, r->nodes[i].id, CM_NODE_DRAM);

		if (!n)
			return cm_error_set(r->err, -ENOMEM, "live: out of memory");
		cm_bitmap_free(&n->cpus);
		n->cpus = r->nodes[i].cpus;	/* moved */
		r->nodes[i].cpus.words = NULL;
		r->nodes[i].cpus.nbits = 0;
	}
	return 0;
}

/* The first node whose blocks overlap [start, end), or -1. */
static int node_of_range(const struct live_reader *r, uint64_t start, uint64_t end)
{
	for (size_t k = 0; k < r->nr_runs; k++)
		if (r->runs[k].start < end && start < r->runs[k].end)
			return r->runs[k].node;
	return -1;
}

/*
 * Soft Reserved memory is not boot RAM: it stays in the map and becomes a
 * window that may be hot-added, rounded in to whole memory blocks.
 */
static int add_soft_reserved_windows(struct live_reader *r)
{
	for (size_t i = 0; i < r->iomem.nr_entries; i++) {
		const struct cm_e820_entry *e = &r->iomem.entries[i];
		struct cm_hotplug_window w = { .convertible = false };
		uint64_t start = cm_align_up(e->start, r->block_size);
		uint64_t end = cm_align_down(e->end, r->block_size);

		if (e->type != CM_E820_SOFT_RESERVED)
			continue;
		if (start >= end) {
			note(r, "Soft Reserved [0x%" PRIx64 ", 0x%" PRIx64 ") holds no whole memory block "
			     "of 0x%" PRIx64 " bytes; no hot-add window for it", e->start, e->end,
			     r->block_size);
			continue;
		}
		w.start = start;
		w.size = end - start;
		w.node = node_of_range(r, start, end);
		if (w.node >= 0) {
			note(r, "Soft Reserved [0x%" PRIx64 ", 0x%" PRIx64 ") is online as node %d memory "
			     "(device-dax kmem); modelled as a hot-add window of node %d", start, end,
			     w.node, w.node);
		} else {
			struct cm_node *n;

			w.node = r->p->nodes[r->p->nr_nodes - 1].id + 1;
			if (w.node >= CM_MAX_NUMNODES)
				return cm_error_set(r->err, -EINVAL, "%s: Soft Reserved [0x%" PRIx64
						    ", 0x%" PRIx64 ") needs a new node, but node ids "
						    "stop at %d", r->iomem_path, e->start, e->end,
						    CM_MAX_NUMNODES - 1);
			n = cm_platform_add_node(r->p, w.node, CM_NODE_CXL);
			if (!n)
				return cm_error_set(r->err, -ENOMEM, "live: out of memory");
			note(r, "Soft Reserved [0x%" PRIx64 ", 0x%" PRIx64 ") has no memory blocks in /sys; "
			     "modelled as a hot-add window of a new memory-only cxl node %d", start, end,
			     w.node);
		}
		if (cm_platform_add_hotplug(r->p, &w))
			return cm_error_set(r->err, -ENOMEM, "live: out of memory");
	}
	return 0;
}

/*
 * The sysfs matrix, extended for nodes made for Soft Reserved windows:
 * those are as far from every node as the farthest pair sysfs shows.
 */
static int build_distances(struct live_reader *r)
{
	struct cm_platform *p = r->p;
	size_t n = p->nr_nodes;
	unsigned int farthest = LIVE_REMOTE_DISTANCE;

	if (!r->numa || !r->nodes[0].distance)
		return cm_platform_default_distances(p) ?
			cm_error_set(r->err, -ENOMEM, "live: out of memory") : 0;
	p->distance = malloc(n * n * sizeof(*p->distance));
	if (!p->distance)
		return cm_error_set(r->err, -ENOMEM, "live: out of memory");
	for (size_t i = 0; i < r->nr_nodes; i++)
		for (size_t j = 0; j < r->nr_nodes; j++)
			if (r->nodes[i].distance[j] > farthest)
				farthest = r->nodes[i].distance[j];
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			unsigned int d = farthest;

			if (i == j)
				d = 10;
			else if (i < r->nr_nodes && j < r->nr_nodes)
				d = r->nodes[i].distance[j];
			p->distance[i * n + j] = d;
		}
	}
	if (n > r->nr_nodes)
		note(r, "nodes made for Soft Reserved memory are at distance %u (the farthest in /sys) "
		     "from every other node", farthest);
	return 0;
}

static int add_e820(struct live_reader *r)
{
	for (size_t i = 0; i < r->iomem.nr_entries; i++) {
		const struct cm_e820_entry *e = &r->iomem.entries[i];

		if (cm_platform_add_e820(r->p, e->start, e->end, e->type))
			return cm_error_set(r->err, -ENOMEM, "live: out of memory");
	}
	return 0;
}

static int set_tdx(struct live_reader *r, const struct cm_range *cmrs, unsigned int nr_cmrs)
{
	struct cm_tdx_config *tdx = &r->p->tdx;

	cm_tdx_config_set_defaults(tdx);
	if (nr_cmrs == 0) {
		tdx->enabled = false;
		note(r, "no CMRs given (--cmrs); TDX reported as not enabled");
		return 0;
	}
	if (!cmrs || nr_cmrs > CM_MAX_CMRS)
		return cm_error_set(r->err, -EINVAL, "--cmrs: expected 1..%d CMRs, found %u",
				    CM_MAX_CMRS, nr_cmrs);
	tdx->enabled = true;
	memcpy(tdx->cmrs, cmrs, nr_cmrs * sizeof(*cmrs));
	tdx->nr_cmrs = nr_cmrs;
	note(r, "TDX module limits are defaults");
	return 0;
}

/* The kernel shows EPC sizes per node, not addresses: record them as notes. */
static int note_sgx(struct live_reader *r)
{
	char path[PATH_MAX], *text;
	uint64_t bytes;
	size_t len;
	int ret;

	for (size_t i = 0; r->numa && i < r->nr_nodes; i++) {
		ret = make_path(r, path, "/sys/devices/system/node/node%d/x86/sgx_total_bytes",
				r->nodes[i].id);
		if (ret)
			return ret;
		ret = read_text_file(path, LIVE_SYSFS_FILE_MAX, &text, &len, r->err);
		if (is_missing(ret)) {
			cm_error_clear(r->err);
			continue;
		}
		if (ret)
			return ret;
		ret = parse_sysfs_u64_text(text, len, SYSFS_DECIMAL, path, &bytes, r->err);
		free(text);
		if (ret)
			return ret;
		note(r, "node %d has %" PRIu64 " bytes of SGX EPC (%s); the kernel does not show EPC "
		     "addresses, so no EPC sections are modelled", r->nodes[i].id, bytes, path);
	}
	return 0;
}

static int set_root(struct live_reader *r, const char *sysroot)
{
	size_t len = sysroot ? strlen(sysroot) : 0;

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

/* Nodes and their RAM, from whichever of /proc/iomem and the blocks is readable. */
static int read_memory(struct live_reader *r)
{
	struct cm_range *ram = NULL;
	size_t nr_ram = 0;
	int ret;

	ret = read_numa_nodes(r);
	if (!ret && !r->numa)
		ret = read_single_node(r);
	if (!ret && !r->iomem_visible)
		ret = read_memory_blocks(r);
	if (!ret)
		ret = build_block_runs(r);
	if (ret)
		return ret;
	if (!r->iomem_visible && r->nr_blocks == 0)
		return cm_error_set(r->err, -EINVAL, "%s, and %s/sys/devices/system/memory lists no "
				    "memory blocks to use instead; run as root or use --dmesg/--platform",
				    r->iomem_problem, r->root);
	ret = create_nodes(r);
	if (!ret)
		ret = collect_ram(r, &ram, &nr_ram);
	if (!ret)
		ret = assign_ram(r, ram, nr_ram);
	free(ram);
	if (ret)
		return ret;
	for (size_t i = 0; r->numa && i < r->p->nr_nodes; i++)
		set_node_kind(r, &r->p->nodes[i]);
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
	ret = read_block_size(&r);
	if (!ret)
		ret = read_iomem(&r);
	if (!ret) {
		r.p->memory_block_size = r.block_size;
		ret = read_memory(&r);
	}
	if (!ret && r.iomem_visible)
		ret = add_soft_reserved_windows(&r);
	if (!ret)
		ret = build_distances(&r);
	if (!ret && r.iomem_visible)
		ret = add_e820(&r);
	if (!ret)
		ret = set_tdx(&r, cmrs, nr_cmrs);
	if (!ret)
		ret = note_sgx(&r);
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
