// SPDX-License-Identifier: MIT
/*
 * The option engine (options.h): getopt_long over the long names of every
 * command, so that an option of another command is told apart from one no
 * command knows, and --help generated from the command's array.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Every distinct long name of every command, plus --help. */
#define CLI_MAX_LONG_OPTIONS 64
#define CLI_LONG_BASE 256

struct cli_known {
	struct option longs[CLI_MAX_LONG_OPTIONS + 1];
	char shorts[CLI_MAX_LONG_OPTIONS * 2 + 2];
	size_t nr_longs;
};

static bool option_parses(const struct cli_option *o)
{
	return o->type >= CLI_OPTION_BOOLEAN;
}

static int option_has_arg(const struct cli_option *o)
{
	switch (o->type) {
	case CLI_OPTION_STRING:
	case CLI_OPTION_INTEGER:
	case CLI_OPTION_SIZE:
	case CLI_OPTION_CALLBACK:
		return required_argument;
	default:
		return no_argument;
	}
}

static void known_add(struct cli_known *k, const struct cli_option *o)
{
	size_t len = strlen(k->shorts);

	if (o->short_name && !strchr(k->shorts, o->short_name) && len + 2 < sizeof(k->shorts)) {
		k->shorts[len++] = (char)o->short_name;
		if (option_has_arg(o) == required_argument)
			k->shorts[len++] = ':';
		k->shorts[len] = '\0';
	}
	if (!o->long_name)
		return;
	for (size_t i = 0; i < k->nr_longs; i++)
		if (!strcmp(k->longs[i].name, o->long_name))
			return;
	if (k->nr_longs == CLI_MAX_LONG_OPTIONS)
		return;
	k->longs[k->nr_longs] = (struct option){ o->long_name, option_has_arg(o), NULL,
						 CLI_LONG_BASE + (int)k->nr_longs };
	k->nr_longs++;
}

static void known_build(struct cli_known *k, const struct cli_command_table *table)
{
	static const struct cli_option help = { .type = CLI_OPTION_BOOLEAN, .short_name = 'h', .long_name = "help" };

	memset(k, 0, sizeof(*k));
	/* A leading ':': a missing value is told apart from an unknown option. */
	k->shorts[0] = ':';
	known_add(k, &help);
	for (size_t c = 0; c < table->nr_commands; c++)
		for (const struct cli_option *o = table->commands[c].options; o->type != CLI_OPTION_END; o++)
			if (option_parses(o))
				known_add(k, o);
}

/* @cmd's option behind getopt's @opt, or NULL when it is another command's. */
static const struct cli_option *own_option(const struct cli_known *k, const struct cmd_struct *cmd, int opt)
{
	for (const struct cli_option *o = cmd->options; o->type != CLI_OPTION_END; o++) {
		if (!option_parses(o))
			continue;
		if (opt >= CLI_LONG_BASE && o->long_name && !strcmp(o->long_name, k->longs[opt - CLI_LONG_BASE].name))
			return o;
		if (opt < CLI_LONG_BASE && o->short_name == opt)
			return o;
	}
	return NULL;
}

static int option_name_error(const struct cli_option *o, const char *why, const char *arg)
{
	return cli_bad_input("--%s: %s, found \"%s\"", o->long_name, why, arg);
}

const char *cli_option_metavar(const struct cli_option *o, char *buf, size_t size)
{
	size_t len = 0;
	const char *w;

	if (o->words != CLI_WORDS_ONE || !o->word || !size)
		return o->argh;
	buf[0] = '\0';
	for (size_t i = 0; (w = o->word(i)) && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? "|" : "", w);
	return buf;
}

/* "--platform" at the end of the line: "option --platform needs a FILE". */
static int missing_value(const struct cli_known *k, const struct cmd_struct *cmd, const char *word)
{
	const struct cli_option *o = own_option(k, cmd, optopt);
	char words[256];
	const char *metavar = o ? cli_option_metavar(o, words, sizeof(words)) : NULL;

	if (!o)
		return cli_bad_input("%s: option '%s' does not apply to this subcommand", cmd->name, word);
	if (!metavar)
		return cli_bad_input("option %s needs a value", word);
	/* "needs a FILE", "needs an ENCLAVE", "needs N", "needs one of check|notifier" */
	if (strchr(metavar, '|'))
		return cli_bad_input("option %s needs one of %s", word, metavar);
	return cli_bad_input("option %s needs %s%s", word, metavar[1] == '\0' ? "" : strchr("AEIOU", metavar[0]) ?
			     "an " : "a ", metavar);
}

static int set_value(const struct cli_option *o, void *base, const char *arg)
{
	void *value = (char *)base + o->offset;
	struct cli_size *size = value;
	struct cm_error reason = { 0 };
	char *end;
	long n;

	switch (o->type) {
	case CLI_OPTION_BOOLEAN:
		*(bool *)value = true;
		return 0;
	case CLI_OPTION_COUNT:
		(*(int *)value)++;
		return 0;
	case CLI_OPTION_STRING:
		*(const char **)value = arg;
		return 0;
	case CLI_OPTION_INTEGER:
		n = strtol(arg, &end, 0);
		if (!*arg || *end || n < INT32_MIN || n > INT32_MAX)
			return option_name_error(o, "expected an integer", arg);
		*(int *)value = (int)n;
		return 0;
	case CLI_OPTION_SIZE:
		if (cm_parse_size(arg, &size->value, &reason))
			return option_name_error(o, reason.msg, arg);
		size->given = true;
		return 0;
	case CLI_OPTION_CALLBACK:
	case CLI_OPTION_CALLBACK_NOARG:
		return o->callback(base, value, arg);
	default:
		return 0;
	}
}

bool cli_option_takes_argument(const struct cli_option *o)
{
	return option_parses(o) && option_has_arg(o) == required_argument;
}

bool cli_options_find(const struct cmd_struct *cmd, const char *long_name)
{
	for (const struct cli_option *o = cmd->options; o->type != CLI_OPTION_END; o++)
		if (o->long_name && !strcmp(o->long_name, long_name))
			return true;
	return false;
}

bool cli_options_take_arguments(const struct cmd_struct *cmd)
{
	for (const struct cli_option *o = cmd->options; o->type != CLI_OPTION_END; o++)
		if (o->type == CLI_OPTION_ARGUMENTS)
			return true;
	return false;
}

int cli_options_parse(const struct cli_command_table *table, const struct cmd_struct *cmd, int argc, char **argv,
		      void *base, char ***args, int *nr_args)
{
	struct cli_known k;
	int opt;

	known_build(&k, table);
	/* 0, not 1: glibc's getopt starts afresh only then (a second parse would read stale state). */
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, k.shorts, k.longs, NULL)) != -1) {
		const struct cli_option *o;
		int ret;

		if (opt == 'h' || (opt >= CLI_LONG_BASE && !strcmp(k.longs[opt - CLI_LONG_BASE].name, "help"))) {
			cli_options_usage(stdout, cmd);
			return EXIT_OK;
		}
		if (opt == ':')
			return missing_value(&k, cmd, argv[optind - 1]);
		if (opt == '?')
			return cli_bad_input("%s: unknown option '%s' (confmem %s --help)", cmd->name, argv[optind - 1],
					     cmd->name);
		o = own_option(&k, cmd, opt);
		/* Names the last word read: the value, for an option that takes one. */
		if (!o)
			return cli_bad_input("%s: option '%s' does not apply to this subcommand", cmd->name,
					     argv[optind - 1]);
		ret = set_value(o, base, optarg);
		if (ret)
			return ret;
	}
	*args = argv + optind;
	*nr_args = argc - optind;
	return CLI_PARSE_CONTINUE;
}

/* An option's text starts in this column; a longer option puts it on the next line there. */
#define HELP_SPEC_WIDTH 21

static void help_line(FILE *f, const char *spec, const char *help)
{
	if (strlen(spec) > HELP_SPEC_WIDTH)
		fprintf(f, "  %s\n  %*s %s\n", spec, HELP_SPEC_WIDTH, "", help);
	else
		fprintf(f, "  %-*s %s\n", HELP_SPEC_WIDTH, spec, help);
}

static void option_help(FILE *f, const struct cli_option *o)
{
	char spec[128], words[96];
	const char *metavar = cli_option_metavar(o, words, sizeof(words));
	int len = 0;

	if (o->short_name)
		len += snprintf(spec + len, sizeof(spec) - len, "-%c%s", o->short_name, o->long_name ? ", " : "");
	if (o->long_name)
		len += snprintf(spec + len, sizeof(spec) - len, "--%s", o->long_name);
	if (metavar)
		snprintf(spec + len, sizeof(spec) - len, " %s", metavar);
	help_line(f, spec, o->help);
}

void cli_options_help(FILE *f, const struct cli_option *options)
{
	for (const struct cli_option *o = options; o->type != CLI_OPTION_END; o++) {
		switch (o->type) {
		case CLI_OPTION_GROUP:
			fprintf(f, "%s\n", o->help);
			break;
		case CLI_OPTION_HELP_FN:
			o->help_fn(f);
			break;
		case CLI_OPTION_HELP_LINE:
		case CLI_OPTION_ARGUMENTS:
			if (o->help)
				help_line(f, o->argh, o->help);
			break;
		default:
			if (o->help)
				option_help(f, o);
			break;
		}
	}
}

void cli_options_usage(FILE *f, const struct cmd_struct *cmd)
{
	fprintf(f, "usage: %s\n\n%s.\n\n", cmd->usage, cmd->summary);
	cli_options_help(f, cmd->options);
}
