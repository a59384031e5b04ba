// SPDX-License-Identifier: MIT
#include <stdio.h>

#include "cli.h"

const struct cli_option presets_options[] = {
	CLI_OUTPUT_OPTIONS_UNLISTED,
	OPT_END(),
};

int cmd_presets(int argc, char **argv, const struct cmd_struct *cmd)
{
	struct cli args = { 0 };
	struct cli *c = &args;
	int ret = cli_parse(cmd, argc, argv, c);

	if (ret != CLI_PARSE_CONTINUE)
		return ret;
	if (c->json) {
		struct json_object *a = json_object_new_array();

		for (size_t i = 0; i < cm_preset_count(); i++) {
			struct json_object *o = json_object_new_object();

			json_object_object_add(o, "name", json_object_new_string(cm_preset_info(i)->name));
			json_object_object_add(o, "description", json_object_new_string(cm_preset_info(i)->description));
			json_object_array_add(a, o);
		}
		cli_print_json(a);
		json_object_put(a);
		return EXIT_OK;
	}
	for (size_t i = 0; i < cm_preset_count(); i++)
		printf("%-8s %s\n", cm_preset_info(i)->name, cm_preset_info(i)->description);
	return EXIT_OK;
}
