// SPDX-License-Identifier: MIT
/*
 * cm_read_file(), the reader behind every input file (platform JSON, boot
 * log, scenario, enclave): a regular file is read whole up to a limit;
 * anything else is refused at once, without waiting for a writer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#include "confmem/util.h"

struct temp_dir {
	char path[64];
	char file[128];
};

static void temp_dir_make(struct temp_dir *t)
{
	snprintf(t->path, sizeof(t->path), "/tmp/confmem-file-test-XXXXXX");
	assert_non_null(mkdtemp(t->path));
	snprintf(t->file, sizeof(t->file), "%s/input", t->path);
}

static void temp_dir_remove(struct temp_dir *t)
{
	unlink(t->file);
	rmdir(t->path);
}

static void write_bytes(const char *path, char byte, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fputc(byte, f);
	assert_int_equal(fclose(f), 0);
}

static void expect_refused(const char *path, size_t max_bytes, int code, const char *suffix)
{
	struct cm_error err = { 0 };
	char expected[256];
	char *text = (char *)&text;
	size_t len = 1;

	assert_int_equal(cm_read_file(path, max_bytes, &text, &len, &err), code);
	assert_null(text);
	assert_int_equal(len, 0);
	snprintf(expected, sizeof(expected), "%s: %s", path, suffix);
	assert_string_equal(err.msg, expected);
}

/* A regular file comes back whole and NUL-terminated, the empty one too. */
static void test_regular_file_is_read_whole(void **state)
{
	struct temp_dir t;
	struct cm_error err = { 0 };
	char *text;
	size_t len;

	(void)state;
	temp_dir_make(&t);
	write_bytes(t.file, 'x', 200000);
	assert_int_equal(cm_read_file(t.file, 200000, &text, &len, &err), 0);
	assert_int_equal(len, 200000);
	assert_int_equal(text[199999], 'x');
	assert_int_equal(text[200000], '\0');
	free(text);
	write_bytes(t.file, 'x', 0);
	assert_int_equal(cm_read_file(t.file, 16, &text, &len, &err), 0);
	assert_int_equal(len, 0);
	assert_string_equal(text, "");
	free(text);
	temp_dir_remove(&t);
}

/* One byte over the limit is refused, with the limit in the message. */
static void test_file_over_the_limit_is_refused(void **state)
{
	struct temp_dir t;

	(void)state;
	temp_dir_make(&t);
	write_bytes(t.file, 'x', (1U << 20) + 1);
	expect_refused(t.file, 1U << 20, -EFBIG, "file is larger than the limit of 1 MiB");
	expect_refused(t.file, 1000, -EFBIG, "file is larger than the limit of 1000 bytes");
	temp_dir_remove(&t);
}

/* A FIFO with no writer is refused at once: without O_NONBLOCK, open() would wait forever. */
static void test_fifo_is_refused_without_blocking(void **state)
{
	struct temp_dir t;

	(void)state;
	temp_dir_make(&t);
	assert_int_equal(mkfifo(t.file, 0600), 0);
	alarm(5);	/* a regression fails the test instead of hanging it */
	expect_refused(t.file, 1U << 20, -EINVAL, "not a regular file");
	alarm(0);
	temp_dir_remove(&t);
}

/* A character device would never end (/dev/zero) or is not data (/dev/null). */
static void test_devices_and_directories_are_refused(void **state)
{
	(void)state;
	expect_refused("/dev/zero", 1U << 20, -EINVAL, "not a regular file");
	expect_refused("/dev/null", 1U << 20, -EINVAL, "not a regular file");
	expect_refused("/tmp", 1U << 20, -EISDIR, "not a regular file");
}

static void test_missing_file_says_why(void **state)
{
	(void)state;
	expect_refused("/nonexistent/confmem-input", 1U << 20, -ENOENT,
		       "cannot open: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regular_file_is_read_whole),
		cmocka_unit_test(test_file_over_the_limit_is_refused),
		cmocka_unit_test(test_fifo_is_refused_without_blocking),
		cmocka_unit_test(test_devices_and_directories_are_refused),
		cmocka_unit_test(test_missing_file_says_why),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
