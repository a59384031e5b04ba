/* SPDX-License-Identifier: MIT */
/*
 * The option engine: each command declares one array of options (ndctl's
 * parse-options); the engine parses argv against it and prints the
 * command's --help from it.
 *
 * A value lives in the command's argument struct, which starts with a
 * struct cli (the options every command shares); an option names its
 * field by offset, so the arrays are static and the command table can
 * hold them.
 */
#ifndef CONFMEM_CLI_OPTIONS_H
#define CONFMEM_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum cli_option_type {
	CLI_OPTION_END,
	CLI_OPTION_GROUP,	/* a line of help text ("" for a blank line) */
	CLI_OPTION_HELP_FN,	/* help text written by a function (the knob table) */
	CLI_OPTION_HELP_LINE,	/* a help line with no option behind it */
	CLI_OPTION_ARGUMENTS,	/* the command takes positional arguments */
	CLI_OPTION_BOOLEAN,	/* bool, set to true */
	CLI_OPTION_COUNT,	/* int, one more each time (-v) */
	CLI_OPTION_STRING,	/* const char *, the argument itself */
	CLI_OPTION_INTEGER,	/* int */
	CLI_OPTION_SIZE,	/* struct cli_size: a number or a size like 64G */
	CLI_OPTION_CALLBACK,	/* callback(base, value, argument) */
	CLI_OPTION_CALLBACK_NOARG,	/* callback(base, value, NULL) */
};

/* A size option's value, and whether it was given at all. */
struct cli_size {
	uint64_t value;
	bool given;
};

/* What an option's value is made of, when it is words of a name table. */
enum cli_option_words {
	CLI_WORDS_NONE,
	CLI_WORDS_ONE,		/* one of the words */
	CLI_WORDS_LIST,		/* words separated by commas */
};

struct cli_option {
	enum cli_option_type type;
	int short_name;
	const char *long_name;
	size_t offset;		/* of the value in the command's argument struct */
	const char *argh;	/* the metavar shown in --help */
	const char *help;	/* NULL: accepted, not listed in --help */
	/* Returns 0 or an exit status (after reporting the problem). */
	int (*callback)(void *base, void *value, const char *arg);
	void (*help_fn)(FILE *f);
	/*
	 * The words of its value (@word(i), NULL past the last), read from the
	 * name table of what it chooses: --help and the manual show one of
	 * them as a|b|c, and the completion offers them.
	 */
	enum cli_option_words words;
	const char *(*word)(size_t i);
};

#define OPT_END() { .type = CLI_OPTION_END }
#define OPT_GROUP(text) { .type = CLI_OPTION_GROUP, .help = (text) }
#define OPT_HELP_FN(fn) { .type = CLI_OPTION_HELP_FN, .help_fn = (fn) }
#define OPT_HELP_LINE(spec, h) { .type = CLI_OPTION_HELP_LINE, .argh = (spec), .help = (h) }
#define OPT_ARGUMENTS(spec, h) { .type = CLI_OPTION_ARGUMENTS, .argh = (spec), .help = (h) }
#define OPT_BOOLEAN(s, l, st, field, h) \
	{ .type = CLI_OPTION_BOOLEAN, .short_name = (s), .long_name = (l), \
	  .offset = offsetof(st, field), .help = (h) }
#define OPT_COUNT(s, l, st, field, h) \
	{ .type = CLI_OPTION_COUNT, .short_name = (s), .long_name = (l), \
	  .offset = offsetof(st, field), .help = (h) }
#define OPT_STRING(s, l, st, field, a, h) \
	{ .type = CLI_OPTION_STRING, .short_name = (s), .long_name = (l), \
	  .offset = offsetof(st, field), .argh = (a), .help = (h) }
#define OPT_INTEGER(s, l, st, field, a, h) \
	{ .type = CLI_OPTION_INTEGER, .short_name = (s), .long_name = (l), \
	  .offset = offsetof(st, field), .argh = (a), .help = (h) }
#define OPT_SIZE(s, l, st, field, a, h) \
	{ .type = CLI_OPTION_SIZE, .short_name = (s), .long_name = (l), \
	  .offset = offsetof(st, field), .argh = (a), .help = (h) }
#define OPT_CALLBACK(s, l, st, field, a, h, fn) \
	{ .type = CLI_OPTION_CALLBACK, .short_name = (s), .long_name = (l), \
	  .offset = offsetof(st, field), .argh = (a), .help = (h), .callback = (fn) }
/* A string of comma-separated words (-o COLUMNS), @word_fn giving them. */
#define OPT_STRING_LIST(s, l, st, field, a, h, word_fn) \
	{ .type = CLI_OPTION_STRING, .short_name = (s), .long_name = (l), \
	  .offset = offsetof(st, field), .argh = (a), .help = (h), .words = CLI_WORDS_LIST, .word = (word_fn) }
/* One of the words of @word_fn, read by @fn. */
#define OPT_CALLBACK_WORD(s, l, st, field, a, h, fn, word_fn) \
	{ .type = CLI_OPTION_CALLBACK, .short_name = (s), .long_name = (l), \
	  .offset = offsetof(st, field), .argh = (a), .help = (h), .callback = (fn), .words = CLI_WORDS_ONE, \
	  .word = (word_fn) }
#define OPT_CALLBACK_NOARG(s, l, st, field, a, h, fn) \
	{ .type = CLI_OPTION_CALLBACK_NOARG, .short_name = (s), .long_name = (l), \
	  .offset = offsetof(st, field), .argh = (a), .help = (h), .callback = (fn) }

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, char **argv, const struct cmd_struct *cmd);
	const char *summary;	/* one line, for both help texts */
	const char *usage;	/* the synopsis after "usage: " */
	const struct cli_option *options;
	const char *description;	/* the manual page's DESCRIPTION (the summary when NULL) */
};

/* The commands whose options the engine knows (an option of another command "does not apply"). */
struct cli_command_table {
	const struct cmd_struct *commands;
	size_t nr_commands;
};

#define CLI_PARSE_CONTINUE (-1)

/*
 * Parse argv (argv[0] is the command name) against @cmd's options into
 * @base. Returns CLI_PARSE_CONTINUE with the positional arguments in
 * @args/@nr_args, or an exit status: 0 after --help, else the error's.
 */
int cli_options_parse(const struct cli_command_table *table, const struct cmd_struct *cmd, int argc, char **argv,
		      void *base, char ***args, int *nr_args);
/* Whether @cmd has the option --@long_name. */
bool cli_options_find(const struct cmd_struct *cmd, const char *long_name);
/* Whether an option takes a value (--preset NAME). */
bool cli_option_takes_argument(const struct cli_option *o);
/* Whether @cmd declares positional arguments (OPT_ARGUMENTS). */
bool cli_options_take_arguments(const struct cmd_struct *cmd);
/* The metavar --help shows: its words as a|b|c for one of them, else @o->argh (NULL: none). */
const char *cli_option_metavar(const struct cli_option *o, char *buf, size_t size);
/* The command's --help: usage, summary and every listed option. */
void cli_options_usage(FILE *f, const struct cmd_struct *cmd);
/* The help lines of an option array alone. */
void cli_options_help(FILE *f, const struct cli_option *options);

#endif /* CONFMEM_CLI_OPTIONS_H */
