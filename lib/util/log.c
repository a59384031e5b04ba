// SPDX-License-Identifier: MIT
/* The error record every library call fills in, and the growable log of kernel-style lines. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confmem/util.h"

int cm_error_set(struct cm_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void cm_error_clear(struct cm_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}

void cm_log_add(struct cm_log *log, enum cm_log_level level, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (!text)
		return;
	if (log->nr_lines == log->capacity) {
		size_t cap = log->capacity ? log->capacity * 2 : 16;
		struct cm_log_line *n = realloc(log->lines, cap * sizeof(*n));

		if (!n) {
			free(text);
			return;
		}
		log->lines = n;
		log->capacity = cap;
	}
	log->lines[log->nr_lines].level = level;
	log->lines[log->nr_lines].text = text;
	log->nr_lines++;
}

void cm_log_free(struct cm_log *log)
{
	for (size_t i = 0; i < log->nr_lines; i++)
		free(log->lines[i].text);
	free(log->lines);
	log->lines = NULL;
	log->nr_lines = log->capacity = 0;
}
