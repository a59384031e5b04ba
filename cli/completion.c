// SPDX-License-Identifier: MIT
/*
 * The bash completion script, written from the command table, the option
 * arrays, the preset table and the knob registry (`confmem
 * --bash-completion`, run by the build), so it completes exactly what the
 * program accepts: subcommands, each one's options, preset names, knob
 * names and values, the words of an option whose metavar lists them
 * ("check|notifier|devdax") or whose name table gives them (--kind), and
 * lists of such words separated by commas (-o COLUMNS).
 */
#include <string.h>

#include "cli.h"

/* What an option's value completes to, from its metavar. */
enum completion_value { COMPLETE_NOTHING, COMPLETE_WORDS, COMPLETE_FILE, COMPLETE_DIR, COMPLETE_PRESET,
			COMPLETE_KERNEL, COMPLETE_KNOB, COMPLETE_LIST };

static enum completion_value value_kind(const struct cli_option *o)
{
	if (!cli_option_takes_argument(o) || !o->argh)
		return COMPLETE_NOTHING;
	if (o->word)
		return o->words == CLI_WORDS_LIST ? COMPLETE_LIST : COMPLETE_WORDS;
	if (strchr(o->argh, '|'))
		return COMPLETE_WORDS;
	if (!strcmp(o->argh, "FILE"))
		return COMPLETE_FILE;
	if (!strcmp(o->argh, "DIR"))
		return COMPLETE_DIR;
	if (!strcmp(o->argh, "NAME"))
		return COMPLETE_PRESET;
	if (!strcmp(o->argh, "PROFILE"))
		return COMPLETE_KERNEL;
	if (!strcmp(o->argh, "KEY=VALUE"))
		return COMPLETE_KNOB;
	return COMPLETE_NOTHING;
}

/* "a|b|c" as "a b c"; an alternative in capitals ("LIST|capable") is a metavar, not a word. */
static void print_alternatives(FILE *f, const char *prefix, const char *list)
{
	const char *p = list, *sep = "";

	while (*p) {
		size_t n = strcspn(p, "|");

		if (!(*p >= 'A' && *p <= 'Z')) {
			fprintf(f, "%s%s%.*s", sep, prefix, (int)n, p);
			sep = " ";
		}
		p += n;
		if (*p)
			p++;
	}
}

static void print_knob_values(FILE *f, const char *key_only)
{
	const char *sep = "";

	for (size_t i = 0; i < cm_config_knob_count(); i++) {
		const struct cm_config_knob *k = cm_config_knob(i);
		char values[CM_KNOB_VALUES_MAX], prefix[80];

		if (key_only && strcmp(k->key, key_only))
			continue;
		cm_config_knob_values(k, values, sizeof(values));
		snprintf(prefix, sizeof(prefix), "%s=", k->key);
		fputs(sep, f);
		sep = " ";
		if (key_only)
			print_alternatives(f, "", values);
		else if (strchr(values, '|'))
			print_alternatives(f, prefix, values);
		else
			fputs(prefix, f);
	}
}

static void print_value_words(FILE *f, const struct cli_option *o)
{
	const char *w;

	switch (value_kind(o)) {
	case COMPLETE_WORDS:
	case COMPLETE_LIST:
		if (!o->word) {
			print_alternatives(f, "", o->argh);
			break;
		}
		for (size_t i = 0; (w = o->word(i)); i++)
			fprintf(f, "%s%s", i ? " " : "", w);
		break;
	case COMPLETE_PRESET:
		for (size_t i = 0; i < cm_preset_count(); i++)
			fprintf(f, "%s%s", i ? " " : "", cm_preset_info(i)->name);
		break;
	case COMPLETE_KERNEL:
		print_knob_values(f, "tdx.kernel");
		break;
	case COMPLETE_KNOB:
		print_knob_values(f, NULL);
		break;
	default:
		break;
	}
}

/* The first option of any command with this long name (values are the same across commands). */
static const struct cli_option *first_with_name(const struct cli_command_table *t, const char *long_name)
{
	for (size_t c = 0; c < t->nr_commands; c++)
		for (const struct cli_option *o = t->commands[c].options; o->type != CLI_OPTION_END; o++)
			if (o->long_name && cli_option_takes_argument(o) && !strcmp(o->long_name, long_name))
				return o;
	return NULL;
}

/*
 * _confmem_value OPTION: the words of its value (status 0), files (2),
 * directories (3), words for a list separated by commas (4), nothing (1).
 */
static void print_value_function(FILE *f, const struct cli_command_table *t)
{
	static const int status[] = { [COMPLETE_FILE] = 2, [COMPLETE_DIR] = 3 };

	fputs("_confmem_value()\n{\n\tcase $1 in\n", f);
	for (size_t c = 0; c < t->nr_commands; c++)
		for (const struct cli_option *o = t->commands[c].options; o->type != CLI_OPTION_END; o++) {
			enum completion_value kind = value_kind(o);

			if (!o->long_name || !cli_option_takes_argument(o) || first_with_name(t, o->long_name) != o)
				continue;
			fprintf(f, "\t--%s", o->long_name);
			if (o->short_name)
				fprintf(f, "|-%c", o->short_name);
			if (kind == COMPLETE_FILE || kind == COMPLETE_DIR) {
				fprintf(f, ") return %d ;;\n", status[kind]);
				continue;
			}
			fputs(") echo '", f);
			print_value_words(f, o);
			fputs(kind == COMPLETE_LIST ? "'; return 4 ;;\n" : "' ;;\n", f);
		}
	fputs("\t*) return 1 ;;\n\tesac\n}\n\n", f);
}

static void print_options_of(FILE *f, const struct cli_option *options)
{
	for (const struct cli_option *o = options; o->type != CLI_OPTION_END; o++) {
		/* Unlisted options too: they are accepted (--sysroot is listed on --live's line). */
		if (o->type < CLI_OPTION_BOOLEAN)
			continue;
		if (o->long_name)
			fprintf(f, "--%s ", o->long_name);
		if (o->short_name)
			fprintf(f, "-%c ", o->short_name);
	}
}

/* _confmem_options SUBCOMMAND: its options; before a subcommand, report's and the program's own. */
static void print_options_function(FILE *f, const struct cli_command_table *t)
{
	fputs("_confmem_options()\n{\n\tcase $1 in\n", f);
	for (size_t c = 0; c < t->nr_commands; c++) {
		fprintf(f, "\t%s%s) echo '", t->commands[c].name, c == 0 ? "|''" : "");
		print_options_of(f, t->commands[c].options);
		fprintf(f, "%s--help -h' ;;\n", c == 0 ? "--version -V " : "");
	}
	fputs("\tesac\n}\n\n", f);
}

/* _confmem_arguments SUBCOMMAND: 0 files for its positional arguments, 1 none; sgx's action first. */
static void print_arguments_function(FILE *f, const struct cli_command_table *t)
{
	fputs("_confmem_arguments()\n{\n\tcase $1 in\n", f);
	for (size_t c = 0; c < t->nr_commands; c++)
		for (const struct cli_option *o = t->commands[c].options; o->type != CLI_OPTION_END; o++) {
			size_t action = o->argh ? strcspn(o->argh, " ") : 0;

			if (o->type != CLI_OPTION_ARGUMENTS || !strncmp(o->argh, "--", 2))
				continue;
			fprintf(f, "\t%s) ", t->commands[c].name);
			/* A lowercase first word is an action ("measure ENCLAVE.json"). */
			if (o->argh[0] >= 'a' && o->argh[0] <= 'z')
				fprintf(f, "[[ $2 == 0 ]] && { echo '%.*s'; return 0; }; ", (int)action, o->argh);
			fputs(strstr(o->argh, "FILE") || strstr(o->argh, "SCENARIO") || strstr(o->argh, ".json") ?
			      "return 2 ;;\n" : "return 1 ;;\n", f);
		}
	fputs("\t*) return 1 ;;\n\tesac\n}\n\n", f);
}

static const char completion_main[] =
	"_confmem_reply()\n{\n"
	"\tlocal cur=$1 words=$2\n"
	"\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
	"\t# bash replaces only the text after the last '=' (COMP_WORDBREAKS)\n"
	"\t[[ $cur == *=* && $COMP_WORDBREAKS == *=* ]] && COMPREPLY=(\"${COMPREPLY[@]#\"${cur%=*}=\"}\")\n"
	"\t[[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null\n"
	"\treturn 0\n}\n\n"
	"# A list separated by commas: the last word completes, to a word not in the list yet.\n"
	"_confmem_reply_list()\n{\n"
	"\tlocal cur=$1 given=${1%\"${1##*,}\"} word offered=''\n"
	"\tfor word in $2; do [[ ,$given == *,$word,* ]] || offered+=\" $word\"; done\n"
	"\tCOMPREPLY=($(compgen -P \"$given\" -W \"$offered\" -- \"${cur##*,}\"))\n"
	"\tcompopt -o nospace 2>/dev/null\n"
	"\treturn 0\n}\n\n"
	"_confmem_files()\n{\n"
	"\tcompopt -o filenames 2>/dev/null\n"
	"\tCOMPREPLY=($(compgen \"$1\" -- \"$2\"))\n}\n\n"
	"_confmem()\n{\n"
	"\tlocal line=${COMP_LINE:0:COMP_POINT} cur='' prev cmd='' i skip=0 nargs=0 words values status\n"
	"\tread -ra words <<< \"$line\"\n"
	"\tif [[ $line != *[[:space:]] ]]; then cur=${words[-1]}; unset 'words[-1]'; fi\n"
	"\tprev=${words[-1]}\n"
	"\tfor ((i = 1; i < ${#words[@]}; i++)); do\n"
	"\t\tif ((skip)); then skip=0; continue; fi\n"
	"\t\tcase ${words[i]} in\n"
	"\t\t--) break ;;\n"
	"\t\t-*=*) ;;\n"
	"\t\t-*) _confmem_value \"${words[i]}\" >/dev/null; [[ $? != 1 ]] && skip=1 ;;\n"
	"\t\t*) if [[ -z $cmd ]]; then cmd=${words[i]}; else nargs=$((nargs + 1)); fi ;;\n"
	"\t\tesac\n"
	"\tdone\n"
	"\tif [[ $cur == --*=* ]]; then prev=${cur%%=*}; cur=${cur#*=}; fi\n"
	"\tvalues=$(_confmem_value \"$prev\"); status=$?\n"
	"\tif [[ $prev == -* && $status != 1 ]]; then\n"
	"\t\tcase $status in\n"
	"\t\t0) _confmem_reply \"$cur\" \"$values\" ;;\n"
	"\t\t2) _confmem_files -f \"$cur\" ;;\n"
	"\t\t3) _confmem_files -d \"$cur\" ;;\n"
	"\t\t4) _confmem_reply_list \"$cur\" \"$values\" ;;\n"
	"\t\tesac\n"
	"\t\treturn 0\n"
	"\tfi\n"
	"\tif [[ $cmd == help ]]; then\n"
	"\t\t((nargs == 0)) && _confmem_reply \"$cur\" \"$_confmem_commands\"\n"
	"\t\treturn 0\n"
	"\tfi\n"
	"\tif [[ $cur == -* ]]; then\n"
	"\t\t_confmem_reply \"$cur\" \"$(_confmem_options \"$cmd\")\"\n"
	"\telif [[ -z $cmd ]]; then\n"
	"\t\t_confmem_reply \"$cur\" \"$_confmem_commands help\"\n"
	"\telse\n"
	"\t\tvalues=$(_confmem_arguments \"$cmd\" \"$nargs\"); status=$?\n"
	"\t\tcase $status in\n"
	"\t\t0) _confmem_reply \"$cur\" \"$values\" ;;\n"
	"\t\t2) _confmem_files -f \"$cur\" ;;\n"
	"\t\tesac\n"
	"\tfi\n"
	"\treturn 0\n}\n\n"
	"complete -F _confmem confmem\n";

void cli_bash_completion(FILE *f, const struct cli_command_table *t)
{
	fputs("# bash completion for confmem(1)\n"
	      "# Generated by `confmem --bash-completion` from its option tables, presets and knobs; do not edit.\n\n"
	      "_confmem_commands='", f);
	for (size_t c = 0; c < t->nr_commands; c++)
		fprintf(f, "%s%s", c ? " " : "", t->commands[c].name);
	fputs("'\n\n", f);
	print_value_function(f, t);
	print_options_function(f, t);
	print_arguments_function(f, t);
	fputs(completion_main, f);
}
