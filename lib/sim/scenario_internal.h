/* SPDX-License-Identifier: MIT */
/*
 * The scenario reader's parts (lib/sim/scenario*.c and the kinds of actor
 * in lib/sim/actor_*.c): its state, the limits they share, and the helpers
 * each part gives the others.
 */
#ifndef CONFMEM_SCENARIO_INTERNAL_H
#define CONFMEM_SCENARIO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "confmem/json_util.h"
#include "confmem/scenario.h"
#include "sim_internal.h"

#define SCENARIO_DURATION_MAX_MS 1000000000ULL
#define SCENARIO_NEVER UINT64_MAX		/* "start_ms": "never" */
/* The characters of actor names and cgroup path components. */
#define NAME_CHARACTERS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"

struct actor_name {
	const char *name;
	size_t index;
};

struct scenario_reader {
	const char *source;
	const char *base_dir;		/* NULL: the current directory */
	struct cm_error *err;
	struct cm_scenario *scenario;
	struct actor_name *actors_by_name;	/* sorted by name, for lookups */
};

/* The name tables of lib/sim/names.c, indexed by their enum, NULL-terminated. */
extern const char *const scenario_outcome_names[];
extern const char *const scenario_access_pattern_names[];
extern const char *const scenario_event_kind_names[];
extern const char *const scenario_expect_op_names[];

/* scenario_reader.c */
int scenario_out_of_memory(struct scenario_reader *r);
int scenario_expected(struct scenario_reader *r, const char *path, const char *what, struct json_object *value);
void scenario_format_names(const char *const *names, char *buf, size_t len);
int scenario_name_index(const char *const *names, const char *name);
int scenario_read_choice(struct scenario_reader *r, struct json_object *object, const char *key,
			 enum cm_json_presence presence, const char *path, const char *const *names, int *out);
int scenario_read_number(struct scenario_reader *r, struct json_object *value, const char *path, const char *what,
			 double *out);
int scenario_check_within_run(struct scenario_reader *r, const char *path, uint64_t at_ms);
bool scenario_has_control_characters(const char *text);
void scenario_printable_text(const char *text, char *buf, size_t len);
bool scenario_node_exists(const struct cm_platform *p, int64_t id);
cm_nodemask_t scenario_platform_nodes(const struct cm_platform *p);
cm_nodemask_t scenario_platform_cpu_nodes(const struct cm_platform *p);
int scenario_node_does_not_exist(struct scenario_reader *r, const char *path, int64_t id);
int scenario_read_memory_size(struct scenario_reader *r, struct json_object *object, const char *key,
			      enum cm_json_presence presence, const char *path, uint64_t *out);

/* scenario_config.c */
int scenario_knob_value_text(struct scenario_reader *r, struct json_object *value, const char *path, char *buf,
			     size_t len);
int scenario_apply_knob(struct scenario_reader *r, struct cm_config *config, const char *key, const char *value,
			struct json_object *json_value, const char *path);
int scenario_read_config(struct scenario_reader *r, struct json_object *root);

/* scenario_cgroups.c */
int scenario_read_limit(struct scenario_reader *r, struct json_object *object, const char *key,
			enum cm_json_presence presence, const char *path, uint64_t *out);
int scenario_read_cgroups(struct scenario_reader *r, struct json_object *root);
/* May a "cgroup" member name the root cgroup "/"? */
enum scenario_root_cgroup { SCENARIO_ROOT_ALLOWED, SCENARIO_ROOT_REFUSED };

int scenario_read_cgroup_name(struct scenario_reader *r, struct json_object *object, const char *path,
			      enum scenario_root_cgroup root, char *out, size_t len);

/* scenario_memory.c */
/* The same for a member named @key ("gmem_policy"). */
int scenario_read_policy_member(struct scenario_reader *r, struct json_object *object, const char *key,
				const char *path, struct cm_mempolicy *policy);
int scenario_read_policy(struct scenario_reader *r, struct json_object *object, const char *path,
			 struct cm_mempolicy *policy);
int scenario_read_access(struct scenario_reader *r, struct json_object *object, const char *path,
			 struct cm_access *out);

/* scenario_actors.c */
int scenario_read_actors(struct scenario_reader *r, struct json_object *root);
int scenario_read_actor_reference(struct scenario_reader *r, struct json_object *object, const char *path,
				  char *out, const struct cm_scenario_actor **actor);

/* scenario_events.c, scenario_expect.c */
int scenario_read_events(struct scenario_reader *r, struct json_object *root);
int scenario_read_expects(struct scenario_reader *r, struct json_object *root);

#endif /* CONFMEM_SCENARIO_INTERNAL_H */
