// SPDX-License-Identifier: MIT
/*
 * The option engine of the command line (cli/options.c), on two made-up
 * commands: "alpha" with one option of each type and "beta" with one of
 * its own. The engine reports problems through cli_bad_input(), which this
 * test provides: it keeps the message instead of printing it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "cli.h"

struct alpha_args {
	bool flag;
	int verbose;
	const char *name;
	int number;
	struct cli_size size;
	const char *callback_value;
	int nr_callbacks;
	bool beta_only;
};

/* The last message the engine reported, as cli_bad_input() would print it. */
static char last_error[512];

int cli_bad_input(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return EXIT_BAD_INPUT;
}

static int take_mode(void *base, void *value, const char *arg)
{
	struct alpha_args *args = base;

	if (strcmp(arg, "fast") && strcmp(arg, "slow"))
		return cli_bad_input("--mode: expected fast or slow, found \"%s\"", arg);
	*(const char **)value = arg;
	args->nr_callbacks++;
	return 0;
}

static const struct cli_option alpha_options[] = {
	OPT_GROUP("Alpha options:"),
	OPT_ARGUMENTS("FILE", "the file to read"),
	OPT_BOOLEAN('f', "flag", struct alpha_args, flag, "a boolean"),
	OPT_COUNT('v', NULL, struct alpha_args, verbose, "more detail"),
	OPT_STRING(0, "name", struct alpha_args, name, "NAME", "a string"),
	OPT_INTEGER('n', "number", struct alpha_args, number, "N", "an integer"),
	OPT_SIZE(0, "size", struct alpha_args, size, "SIZE", "a size like 64G"),
	OPT_CALLBACK(0, "mode", struct alpha_args, callback_value, "fast|slow", "a callback", take_mode),
	OPT_BOOLEAN(0, "hidden", struct alpha_args, flag, NULL),
	OPT_GROUP(""),
	OPT_HELP_LINE("ENV=1", "a line with no option behind it"),
	OPT_END(),
};

static const struct cli_option beta_options[] = {
	OPT_BOOLEAN(0, "beta-only", struct alpha_args, beta_only, "beta's own"),
	OPT_END(),
};

static int run_alpha(int argc, char **argv, const struct cmd_struct *cmd)
{
	(void)argc;
	(void)argv;
	(void)cmd;
	return 0;
}

static const struct cmd_struct commands[] = {
	{ "alpha", run_alpha, "the first command", "confmem alpha [OPTIONS] FILE", alpha_options, NULL },
	{ "beta", run_alpha, "the second command", "confmem beta", beta_options, NULL },
};

static const struct cli_command_table table = { .commands = commands, .nr_commands = 2 };

/* Parse the words of @line (split at spaces) as "confmem alpha ..."; the words stay valid until the next call. */
static int parse(const char *line, struct alpha_args *args, char ***rest, int *nr_rest)
{
	static char buf[512];
	static char *argv[32];
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	memset(args, 0, sizeof(*args));
	last_error[0] = '\0';
	return cli_options_parse(&table, &commands[0], argc, argv, args, rest, nr_rest);
}

static void test_boolean_and_count_are_set_without_a_value(void **state)
{
	struct alpha_args a;
	char **rest;
	int nr;

	(void)state;
	assert_int_equal(parse("alpha --flag -v -v", &a, &rest, &nr), CLI_PARSE_CONTINUE);
	assert_true(a.flag);
	assert_int_equal(a.verbose, 2);
	assert_int_equal(nr, 0);
	assert_int_equal(parse("alpha -f", &a, &rest, &nr), CLI_PARSE_CONTINUE);
	assert_true(a.flag);
}

static void test_string_is_the_argument_itself(void **state)
{
	struct alpha_args a;
	char **rest;
	int nr;

	(void)state;
	assert_int_equal(parse("alpha --name box", &a, &rest, &nr), CLI_PARSE_CONTINUE);
	assert_string_equal(a.name, "box");
	assert_int_equal(parse("alpha --name=crate", &a, &rest, &nr), CLI_PARSE_CONTINUE);
	assert_string_equal(a.name, "crate");
}

static void test_integer_takes_decimal_and_hex_and_refuses_words(void **state)
{
	struct alpha_args a;
	char **rest;
	int nr;

	(void)state;
	assert_int_equal(parse("alpha --number 42", &a, &rest, &nr), CLI_PARSE_CONTINUE);
	assert_int_equal(a.number, 42);
	assert_int_equal(parse("alpha -n 0x10", &a, &rest, &nr), CLI_PARSE_CONTINUE);
	assert_int_equal(a.number, 16);
	assert_int_equal(parse("alpha --number 4x", &a, &rest, &nr), EXIT_BAD_INPUT);
	assert_string_equal(last_error, "--number: expected an integer, found \"4x\"");
	assert_int_equal(parse("alpha --number 99999999999", &a, &rest, &nr), EXIT_BAD_INPUT);
}

static void test_size_takes_a_suffix_and_says_it_was_given(void **state)
{
	struct alpha_args a;
	char **rest;
	int nr;

	(void)state;
	assert_int_equal(parse("alpha", &a, &rest, &nr), CLI_PARSE_CONTINUE);
	assert_false(a.size.given);
	assert_int_equal(parse("alpha --size 64G", &a, &rest, &nr), CLI_PARSE_CONTINUE);
	assert_true(a.size.given);
	assert_int_equal(a.size.value, 64 * GiB);
	assert_int_equal(parse("alpha --size lots", &a, &rest, &nr), EXIT_BAD_INPUT);
	assert_non_null(strstr(last_error, "--size: "));
	assert_non_null(strstr(last_error, ", found \"lots\""));
}

static void test_callback_gets_the_struct_the_field_and_the_argument(void **state)
{
	struct alpha_args a;
	char **rest;
	int nr;

	(void)state;
	assert_int_equal(parse("alpha --mode fast", &a, &rest, &nr), CLI_PARSE_CONTINUE);
	assert_string_equal(a.callback_value, "fast");
	assert_int_equal(a.nr_callbacks, 1);
	/* The callback's exit status stops the parse. */
	assert_int_equal(parse("alpha --mode sideways", &a, &rest, &nr), EXIT_BAD_INPUT);
	assert_string_equal(last_error, "--mode: expected fast or slow, found \"sideways\"");
}

static void test_unknown_option_names_the_word_and_the_help(void **state)
{
	struct alpha_args a;
	char **rest;
	int nr;

	(void)state;
	assert_int_equal(parse("alpha --frobnicate", &a, &rest, &nr), EXIT_BAD_INPUT);
	assert_string_equal(last_error, "alpha: unknown option '--frobnicate' (confmem alpha --help)");
}

static void test_option_of_another_command_does_not_apply(void **state)
{
	struct alpha_args a;
	char **rest;
	int nr;

	(void)state;
	assert_int_equal(parse("alpha --beta-only", &a, &rest, &nr), EXIT_BAD_INPUT);
	assert_string_equal(last_error, "alpha: option '--beta-only' does not apply to this subcommand");
	assert_false(a.beta_only);
}

/* A missing value names the option and what it needs (getopt's ':'), not "unknown option". */
static void test_missing_value_is_refused_and_names_the_option(void **state)
{
	struct alpha_args a;
	char **rest;
	int nr;

	(void)state;
	assert_int_equal(parse("alpha --name", &a, &rest, &nr), EXIT_BAD_INPUT);
	assert_string_equal(last_error, "option --name needs a NAME");
	assert_null(a.name);
}

static void test_unlisted_option_is_accepted(void **state)
{
	struct alpha_args a;
	char **rest;
	int nr;

	(void)state;
	assert_int_equal(parse("alpha --hidden", &a, &rest, &nr), CLI_PARSE_CONTINUE);
	assert_true(a.flag);
}

static void test_double_dash_ends_the_options(void **state)
{
	struct alpha_args a;
	char **rest;
	int nr;

	(void)state;
	assert_int_equal(parse("alpha --flag -- --name x", &a, &rest, &nr), CLI_PARSE_CONTINUE);
	assert_true(a.flag);
	assert_null(a.name);
	assert_int_equal(nr, 2);
	assert_string_equal(rest[0], "--name");
	assert_string_equal(rest[1], "x");
}

static void test_positional_arguments_may_come_before_options(void **state)
{
	struct alpha_args a;
	char **rest;
	int nr;

	(void)state;
	assert_int_equal(parse("alpha file.json --flag", &a, &rest, &nr), CLI_PARSE_CONTINUE);
	assert_true(a.flag);
	assert_int_equal(nr, 1);
	assert_string_equal(rest[0], "file.json");
	assert_true(cli_options_take_arguments(&commands[0]));
	assert_false(cli_options_take_arguments(&commands[1]));
}

/* getopt keeps state between calls; the engine resets it, so a second parse reads only its own words. */
static void test_each_parse_starts_afresh(void **state)
{
	struct alpha_args a;
	char **rest;
	int nr;

	(void)state;
	assert_int_equal(parse("alpha -vf", &a, &rest, &nr), CLI_PARSE_CONTINUE);
	assert_int_equal(parse("alpha --name box", &a, &rest, &nr), CLI_PARSE_CONTINUE);
	assert_string_equal(a.name, "box");
	assert_false(a.flag);
	assert_int_equal(a.verbose, 0);
}

static void test_help_lists_usage_summary_and_every_listed_option(void **state)
{
	static const char want[] = "usage: confmem alpha [OPTIONS] FILE\n"
				   "\n"
				   "the first command.\n"
				   "\n"
				   "Alpha options:\n"
				   "  FILE                  the file to read\n"
				   "  -f, --flag            a boolean\n"
				   "  -v                    more detail\n"
				   "  --name NAME           a string\n"
				   "  -n, --number N        an integer\n"
				   "  --size SIZE           a size like 64G\n"
				   "  --mode fast|slow      a callback\n"
				   "\n"
				   "  ENV=1                 a line with no option behind it\n";
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	cli_options_usage(f, &commands[0]);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, want);
	free(buf);
}

static const char *colour_word(size_t i)
{
	static const char *const colours[] = { "red", "green", "blue" };

	return i < 3 ? colours[i] : NULL;
}

/* One of a name table's words shows as red|green|blue, in --help and when it is missing; a list keeps its metavar. */
static void test_words_of_a_name_table_are_the_metavar(void **state)
{
	static const struct cli_option one = OPT_CALLBACK_WORD(0, "colour", struct alpha_args, callback_value, "COLOUR",
							       "a colour", take_mode, colour_word);
	static const struct cli_option list = OPT_STRING_LIST(0, "colours", struct alpha_args, name, "COLOURS",
							      "colours", colour_word);
	static const struct cli_option plain = OPT_STRING(0, "name", struct alpha_args, name, "NAME", "a string");
	char buf[64];

	(void)state;
	assert_string_equal(cli_option_metavar(&one, buf, sizeof(buf)), "red|green|blue");
	assert_string_equal(cli_option_metavar(&list, buf, sizeof(buf)), "COLOURS");
	assert_string_equal(cli_option_metavar(&plain, buf, sizeof(buf)), "NAME");
	/* A short buffer: the words that fit, never past its end. */
	assert_string_equal(cli_option_metavar(&one, buf, 8), "red|gre");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boolean_and_count_are_set_without_a_value),
		cmocka_unit_test(test_string_is_the_argument_itself),
		cmocka_unit_test(test_integer_takes_decimal_and_hex_and_refuses_words),
		cmocka_unit_test(test_size_takes_a_suffix_and_says_it_was_given),
		cmocka_unit_test(test_callback_gets_the_struct_the_field_and_the_argument),
		cmocka_unit_test(test_unknown_option_names_the_word_and_the_help),
		cmocka_unit_test(test_option_of_another_command_does_not_apply),
		cmocka_unit_test(test_missing_value_is_refused_and_names_the_option),
		cmocka_unit_test(test_unlisted_option_is_accepted),
		cmocka_unit_test(test_double_dash_ends_the_options),
		cmocka_unit_test(test_positional_arguments_may_come_before_options),
		cmocka_unit_test(test_each_parse_starts_afresh),
		cmocka_unit_test(test_help_lists_usage_summary_and_every_listed_option),
		cmocka_unit_test(test_words_of_a_name_table_are_the_metavar),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
