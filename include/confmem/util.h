/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers: the error record every library call fills in, and the
 * parsers for the small syntaxes the kernel uses (sizes, CPU/node lists).
 */
#ifndef CONFMEM_UTIL_H
#define CONFMEM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "confmem/range.h"

#define CM_ERR_MSG_MAX 512

/*
 * Library calls return 0 or a negative errno and describe the failure in
 * a caller-provided record; they never print and never exit.
 */
struct cm_error {
	int code;			/* negative errno, 0 when unset */
	char msg[CM_ERR_MSG_MAX];	/* one line, no trailing newline */
};

/* Record an error (printf-style) and return @code for tail calls. */
int cm_error_set(struct cm_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cm_error_clear(struct cm_error *err);

/* Physical addresses are at most 52 bits wide (x86 MAXPHYADDR). */
#define CM_PHYS_LIMIT (1ULL << 52)
#define CM_PAGE_SIZE 4096ULL
#define CM_SZ_1M (1ULL << 20)
#define CM_SZ_1G (1ULL << 30)
#define CM_SZ_4G (1ULL << 32)

static inline uint64_t cm_align_down(uint64_t x, uint64_t a) { return x & ~(a - 1); }
static inline uint64_t cm_align_up(uint64_t x, uint64_t a) { return (x + a - 1) & ~(a - 1); }
static inline bool cm_is_aligned(uint64_t x, uint64_t a) { return (x & (a - 1)) == 0; }

/* The value of hexadecimal digit @c (either case), or -1 for any other character. */
int cm_hex_digit_value(char c);

/*
 * Parse a size or address: decimal or 0x-hex, optionally followed by one
 * binary suffix K, M, G, T, P (case-insensitive, an optional "iB"/"B").
 * Whitespace is not accepted. Overflow past 2^64 is an error.
 * Returns 0, or -EINVAL (-ERANGE past 64 bits) with the reason in @err
 * (@err->msg is the bare reason, e.g. "empty value"; @err may be NULL).
 * @err is left untouched on success.
 */
int cm_parse_size(const char *s, uint64_t *out, struct cm_error *err);

/*
 * A bitmap of integers (CPUs, nodes, or the engine's frames), parsed from
 * and printed in the kernel's list syntax ("0-3,8,10-11"). Empty string =
 * empty set.
 */
#define CM_MAX_CPUS 8192
#define CM_MAX_NUMNODES 64

struct cm_bitmap {
	uint64_t *words;
	unsigned int nbits;	/* capacity in bits */
};

int cm_bitmap_init(struct cm_bitmap *b, unsigned int nbits);
void cm_bitmap_free(struct cm_bitmap *b);
int cm_bitmap_copy(struct cm_bitmap *dst, const struct cm_bitmap *src);
void cm_bitmap_set(struct cm_bitmap *b, unsigned int bit);
bool cm_bitmap_test(const struct cm_bitmap *b, unsigned int bit);
unsigned int cm_bitmap_weight(const struct cm_bitmap *b);
bool cm_bitmap_equal(const struct cm_bitmap *a, const struct cm_bitmap *b);
/*
 * Parse list syntax into @b (initialised by the caller); bits >= nbits are
 * an error. Returns 0, or -EINVAL (-ERANGE for a bit >= nbits) with the
 * bare reason in @err->msg (@err may be NULL; untouched on success).
 */
int cm_bitmap_parse_list(struct cm_bitmap *b, const char *s, struct cm_error *err);
/* Format into @buf in canonical list syntax; returns the length needed (snprintf-like). */
size_t cm_bitmap_format_list(const struct cm_bitmap *b, char *buf, size_t len);

/*
 * A key with the position it came from: sorting an array of these with
 * cm_keyed_index_compare() orders by key and keeps equal keys in their
 * original order (qsort() itself is not stable).
 */
struct cm_keyed_index {
	uint64_t key;
	size_t index;
};
int cm_keyed_index_compare(const void *a, const void *b);


/*
 * Read regular file @path whole, at most @max_bytes, into a malloc'd
 * NUL-terminated buffer. Anything else (a FIFO, a device, a directory) is
 * refused at once without reading: "PATH: not a regular file" (-EISDIR
 * for a directory, else -EINVAL);
 * a larger file is "PATH: file is larger than the limit of N MiB"
 * (-EFBIG); otherwise "PATH: cannot open: REASON" or "cannot read".
 */
int cm_read_file(const char *path, size_t max_bytes, char **text, size_t *len, struct cm_error *err);
/*
 * Read the open @fd to its end into a NUL-terminated buffer: more than
 * @max_bytes is -EFBIG ("PATH: file is larger than the limit of ..."),
 * whatever kind of file it is. cm_read_file() and the live reader's
 * /proc and /sys files share it.
 */
int cm_read_fd(int fd, const char *path, size_t max_bytes, char **text, size_t *len, struct cm_error *err);

/* "64.00 GiB"-style formatting for -u/--human. */
void cm_format_human_size(uint64_t bytes, char *buf, size_t len);

/* The decimal digits of @v, written to end just before @end (at most 20): where they begin. */
static inline char *cm_u64_digits(uint64_t v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

/* A growable list of log lines (the kernel-log-style messages a step produces). */
enum cm_log_level { CM_LOG_DEBUG, CM_LOG_INFO, CM_LOG_WARN, CM_LOG_ERR };

struct cm_log_line {
	enum cm_log_level level;
	char *text;
};

struct cm_log {
	struct cm_log_line *lines;
	size_t nr_lines;
	size_t capacity;
};

void cm_log_add(struct cm_log *log, enum cm_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cm_log_free(struct cm_log *log);

#endif /* CONFMEM_UTIL_H */
