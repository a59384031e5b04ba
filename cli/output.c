// SPDX-License-Identifier: MIT
/*
 * Where the command line's output goes: stdout, checked so that a write
 * error is never silent, and files given by an option (--tdmr-bin,
 * --trace), written to a temporary file in the same directory and
 * renamed into place, so that a failure leaves no partial file and a
 * symbolic link at the name is replaced, not followed.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* Attempts at a free temporary name before giving up (each name is random). */
#define CLI_OUTPUT_TMP_ATTEMPTS 16

int cli_stdout_failed(int error)
{
	int null_fd;

	if (error)
		fprintf(stderr, "confmem: write error: %s\n", strerror(error));
	else
		fprintf(stderr, "confmem: write error\n");
	/* Reported once: drop what is buffered, and send later output (and the close at exit) nowhere. */
	__fpurge(stdout);
	clearerr(stdout);
	null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null_fd >= 0 && null_fd != fileno(stdout)) {
		dup2(null_fd, fileno(stdout));
		close(null_fd);
	}
	return EXIT_BAD_INPUT;
}

int cli_flush_stdout(void)
{
	errno = 0;
	if (fflush(stdout) || ferror(stdout))
		return cli_stdout_failed(errno);
	return 0;
}

int cli_close_stdout(int status)
{
	int ret = cli_flush_stdout();

	errno = 0;
	if (fclose(stdout) && !ret)
		ret = cli_stdout_failed(errno);
	return ret ? ret : status;
}

/* A fresh name in @path's directory: ".NAME.RANDOM.tmp". */
static int temporary_name(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path + 1) : 0;
	uint64_t suffix;

	if (getrandom(&suffix, sizeof(suffix), 0) != sizeof(suffix))
		return -errno;
	if (snprintf(buf, size, "%.*s.%s.%016" PRIx64 ".tmp", dir_len, path, slash ? slash + 1 : path, suffix) >=
	    (int)size)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * What is at @path decides how it is written: nothing or a regular file
 * is replaced by rename; a character device or FIFO named directly
 * (/dev/null, a pipe) is written in place, since renaming over it would
 * replace the device; a link is replaced when it leads to a regular file
 * or nowhere, and refused when it leads to anything else (/dev/stdout,
 * a planted link to a disk), so neither the link nor a device is
 * touched. Returns 1 to write in place, 0 to rename, or an exit status.
 */
static int output_kind(const char *option, const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : cli_bad_input("%s: %s: %s", option, path, strerror(errno));
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
		return 1;
	if (S_ISLNK(st.st_mode) && !stat(path, &st) && !S_ISREG(st.st_mode))
		return cli_bad_input("%s: %s: a symbolic link to something other than a regular file "
				     "(not followed, not replaced)", option, path);
	if (S_ISDIR(st.st_mode))
		return cli_bad_input("%s: %s: %s", option, path, strerror(EISDIR));
	if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
		return cli_bad_input("%s: %s: not a regular file", option, path);
	return 0;
}

int cli_output_open(struct cli_output_file *o, const char *option, const char *path)
{
	int fd = -1, kind;

	memset(o, 0, sizeof(*o));
	o->option = option;
	o->path = path;
	if (!*path)
		return cli_bad_input("%s: an empty file name", option);
	if (path[strlen(path) - 1] == '/')
		return cli_bad_input("%s: %s: %s", option, path, strerror(EISDIR));
	kind = output_kind(option, path);
	if (kind == 1)
		fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	else if (kind)
		return kind;
	for (int i = 0; i < CLI_OUTPUT_TMP_ATTEMPTS && fd < 0 && !kind; i++) {
		int ret = temporary_name(path, o->tmp_path, sizeof(o->tmp_path));

		if (ret)
			return cli_bad_input("%s: %s: %s", option, path, strerror(-ret));
		/* O_EXCL: never an existing file, nor a link at that name. */
		fd = open(o->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0)
		return cli_bad_input("%s: %s: %s", option, path, strerror(errno));
	o->f = fdopen(fd, "w");
	if (!o->f) {
		int error = errno;

		close(fd);
		if (o->tmp_path[0])
			unlink(o->tmp_path);
		return cli_bad_input("%s: %s: %s", option, path, strerror(error));
	}
	return 0;
}

int cli_output_commit(struct cli_output_file *o)
{
	int error = 0;

	errno = 0;
	if (fflush(o->f) || ferror(o->f))
		error = errno ? errno : EIO;
	if (!error && o->tmp_path[0] && fsync(fileno(o->f)))
		error = errno;
	if (fclose(o->f) && !error)
		error = errno;
	o->f = NULL;
	if (!error && o->tmp_path[0] && rename(o->tmp_path, o->path))
		error = errno;
	if (error) {
		if (o->tmp_path[0])
			unlink(o->tmp_path);
		return cli_bad_input("%s: %s: %s", o->option, o->path, strerror(error));
	}
	return 0;
}
