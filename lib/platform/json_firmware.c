// SPDX-License-Identifier: MIT
/*
 * What the platform JSON says beyond the nodes: the "e820" map, "tdx"
 * (CMRs and module limits), "sgx" (EPC sections) and "hotplug" windows.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "platform/json_internal.h"

static const char *const e820_fields[] = { "start", "size", "end", "type", NULL };

static const char *const tdx_fields[] = {
	"enabled", "cmrs", "max_tdmrs", "max_reserved_per_tdmr", "pamt_entry_size", "pamt_bitmap_entry_bits",
	"phys_addr_bits", "module_version", "kernel", "keyids", NULL
};

static const char *const sgx_fields[] = { "epc", NULL };

static const char *const epc_fields[] = { "start", "size", "node", NULL };

static const char *const hotplug_fields[] = { "start", "size", "node", "convertible", NULL };

static const char *e820_name_of(int i)
{
	return cm_e820_type_name((enum cm_e820_type)i);
}

static int read_e820_entry(struct platform_reader *r, struct json_object *object, const char *path,
			   size_t index __attribute__((unused)), void *context __attribute__((unused)))
{
	char child[CM_JSON_PATH_MAX], what[96];
	enum cm_e820_type type;
	struct json_object *value;
	uint64_t start, end;

	if (pj_read_object(r, object, path, e820_fields) || pj_read_range(r, object, path, &start, &end) ||
	    cm_json_member(object, "type", CM_JSON_REQUIRED, r->source, path, &value, r->err) < 0)
		return -EINVAL;
	if (!json_object_is_type(value, json_type_string) || cm_json_has_nul(value) ||
	    cm_e820_type_from_name(json_object_get_string(value), &type)) {
		cm_json_path_key(child, sizeof(child), path, "type");
		pj_list_names(what, sizeof(what), e820_name_of, CM_E820_NR_TYPES);
		return cm_json_expected(r->err, r->source, child, what, value);
	}
	if (cm_platform_add_e820(r->platform, start, end, type))
		return pj_out_of_memory(r->err, r->source);
	return 0;
}

int pj_read_e820(struct platform_reader *r, struct json_object *root, const char *root_path)
{
	return pj_read_items(r, root, "e820", root_path, 0, NULL, read_e820_entry, NULL);
}

static int read_cmr_item(struct platform_reader *r, struct json_object *item, const char *path,
			 size_t index __attribute__((unused)), void *context __attribute__((unused)))
{
	uint64_t start, end;

	if (pj_read_object(r, item, path, pj_range_fields) || pj_read_range(r, item, path, &start, &end))
		return -EINVAL;
	return cm_platform_add_cmr(r->platform, start, end);
}

static int read_cmrs(struct platform_reader *r, struct json_object *tdx, const char *tdx_path)
{
	return pj_read_items(r, tdx, "cmrs", tdx_path, CM_MAX_CMRS, "CMRs", read_cmr_item, NULL);
}

static int read_pamt_entry_sizes(struct platform_reader *r, struct json_object *tdx, const char *tdx_path)
{
	const char *levels[CM_PAMT_NR_LEVELS + 1] = { NULL };
	char child[CM_JSON_PATH_MAX];
	struct json_object *value;
	int ret;

	for (int level = 0; level < CM_PAMT_NR_LEVELS; level++)
		levels[level] = cm_pamt_level_name((enum cm_pamt_level)level);
	ret = pj_read_object_member(r, tdx, "pamt_entry_size", tdx_path, levels, &value, child);
	if (ret <= 0)
		return ret;
	for (int level = 0; level < CM_PAMT_NR_LEVELS; level++)
		if (pj_read_unsigned(r, value, levels[level], child, UINT_MAX,
				     &r->platform->tdx.pamt_entry_size[level]))
			return -EINVAL;
	return 0;
}

/* "module_version": "1.5.06" (digits and dots, as the kernel prints it). */
static int read_module_version(struct platform_reader *r, struct json_object *tdx, const char *path)
{
	struct cm_tdx_config *config = &r->platform->tdx;
	const char *version = NULL;
	int ret = cm_json_field_string(tdx, "module_version", CM_JSON_OPTIONAL, r->source, path, &version, r->err);
	char at[CM_JSON_PATH_MAX];

	if (ret <= 0)
		return ret;
	snprintf(at, sizeof(at), "%s.module_version", path);
	if (!*version || strlen(version) >= sizeof(config->module_version) ||
	    strspn(version, "0123456789.") != strlen(version))
		return cm_json_error(r->err, r->source, at, "expected digits and dots "
				     "of at most %zu characters (e.g. \"1.5.06\"), found \"%.40s\"",
				     sizeof(config->module_version) - 1, version);
	snprintf(config->module_version, sizeof(config->module_version), "%s", version);
	return 0;
}

/* "kernel": the profile whose kernel the platform runs (as a boot log shows it). */
static int read_kernel(struct platform_reader *r, struct json_object *tdx, const char *path)
{
	const char *name = NULL;
	int ret = cm_json_field_string(tdx, "kernel", CM_JSON_OPTIONAL, r->source, path, &name, r->err);
	char at[CM_JSON_PATH_MAX];

	if (ret <= 0)
		return ret;
	snprintf(at, sizeof(at), "%s.kernel", path);
	for (int k = CM_KERNEL_FIRST_PROFILE; k <= CM_KERNEL_LAST_PROFILE; k++) {
		if (!strcmp(name, cm_tdx_kernel_name((enum cm_tdx_kernel)k))) {
			r->platform->tdx.kernel = (enum cm_tdx_kernel)k;
			return 0;
		}
	}
	return cm_json_error(r->err, r->source, at, "expected mainline-6.8, cmr-print, cmr-series, "
			     "mainline-7.1 or dpamt, found \"%.40s\"", name);
}

static const char *const keyids_fields[] = { "start", "end", NULL };

/*
 * "keyids": {"start": 16, "end": 64}: the BIOS's private KeyID range as the
 * kernel prints it ("private KeyID range [16, 64)"), end excluded; at least
 * two, the first being the module's global KeyID.
 */
static int read_keyids(struct platform_reader *r, struct json_object *tdx, const char *tdx_path)
{
	struct cm_tdx_config *config = &r->platform->tdx;
	char path[CM_JSON_PATH_MAX];
	struct json_object *keyids;
	int start, end;
	int ret = pj_read_object_member(r, tdx, "keyids", tdx_path, keyids_fields, &keyids, path);

	if (ret <= 0)
		return ret;
	if (pj_read_int(r, keyids, "start", CM_JSON_REQUIRED, path, 1, CM_TDX_MAX_KEYIDS, &start) ||
	    pj_read_int(r, keyids, "end", CM_JSON_REQUIRED, path, 2, CM_TDX_MAX_KEYIDS + 1, &end))
		return -EINVAL;
	if (end - start < 2)
		return cm_json_error(r->err, r->source, path, "expected a range [start, end) of at least 2 KeyIDs "
				     "(the module keeps the first), found [%d, %d)", start, end);
	config->keyid_start = (unsigned int)start;
	config->nr_keyids = (unsigned int)(end - start);
	return 0;
}

/* A "tdx" object means TDX is enabled unless it says "enabled": false. */
int pj_read_tdx(struct platform_reader *r, struct json_object *root, const char *root_path)
{
	struct cm_tdx_config *config = &r->platform->tdx;
	char path[CM_JSON_PATH_MAX];
	struct json_object *tdx;
	int ret = pj_read_object_member(r, root, "tdx", root_path, tdx_fields, &tdx, path);

	if (ret <= 0)
		return ret;
	config->enabled = true;
	if (cm_json_field_bool(tdx, "enabled", CM_JSON_OPTIONAL, r->source, path, &config->enabled, r->err) < 0 ||
	    read_cmrs(r, tdx, path) ||
	    pj_read_unsigned(r, tdx, "max_tdmrs", path, UINT_MAX, &config->max_tdmrs) ||
	    pj_read_unsigned(r, tdx, "max_reserved_per_tdmr", path, UINT_MAX, &config->max_reserved_per_tdmr) ||
	    read_pamt_entry_sizes(r, tdx, path) ||
	    pj_read_int(r, tdx, "pamt_bitmap_entry_bits", CM_JSON_OPTIONAL, path, 1, 64,
			(int *)&config->pamt_bitmap_entry_bits) ||
	    pj_read_int(r, tdx, "phys_addr_bits", CM_JSON_OPTIONAL, path, 32, 52, (int *)&config->phys_addr_bits) ||
	    read_module_version(r, tdx, path) || read_kernel(r, tdx, path) || read_keyids(r, tdx, path))
		return -EINVAL;
	return 0;
}

static int read_epc_item(struct platform_reader *r, struct json_object *item, const char *path,
			 size_t index __attribute__((unused)), void *context __attribute__((unused)))
{
	struct cm_epc_section section = { 0 };

	if (pj_read_object(r, item, path, epc_fields) ||
	    cm_json_field_size(item, "start", CM_JSON_REQUIRED, r->source, path, &section.start, r->err) < 0 ||
	    cm_json_field_size(item, "size", CM_JSON_REQUIRED, r->source, path, &section.size, r->err) < 0 ||
	    pj_read_int(r, item, "node", CM_JSON_REQUIRED, path, 0, CM_MAX_NUMNODES - 1, &section.node))
		return -EINVAL;
	return cm_platform_add_epc(r->platform, &section);
}

static int read_epc(struct platform_reader *r, struct json_object *sgx, const char *sgx_path)
{
	return pj_read_items(r, sgx, "epc", sgx_path, CM_MAX_EPC_SECTIONS, "EPC sections", read_epc_item, NULL);
}

int pj_read_sgx(struct platform_reader *r, struct json_object *root, const char *root_path)
{
	char path[CM_JSON_PATH_MAX];
	struct json_object *sgx;
	int ret = pj_read_object_member(r, root, "sgx", root_path, sgx_fields, &sgx, path);

	if (ret <= 0)
		return ret;
	return read_epc(r, sgx, path);
}

static int read_hotplug_window(struct platform_reader *r, struct json_object *object, const char *path,
			       size_t index __attribute__((unused)), void *context __attribute__((unused)))
{
	struct cm_hotplug_window window = { .convertible = false };

	if (pj_read_object(r, object, path, hotplug_fields) ||
	    cm_json_field_size(object, "start", CM_JSON_REQUIRED, r->source, path, &window.start, r->err) < 0 ||
	    cm_json_field_size(object, "size", CM_JSON_REQUIRED, r->source, path, &window.size, r->err) < 0 ||
	    pj_read_int(r, object, "node", CM_JSON_REQUIRED, path, 0, CM_MAX_NUMNODES - 1, &window.node) ||
	    cm_json_field_bool(object, "convertible", CM_JSON_OPTIONAL, r->source, path, &window.convertible,
			       r->err) < 0)
		return -EINVAL;
	if (cm_platform_add_hotplug(r->platform, &window))
		return pj_out_of_memory(r->err, r->source);
	return 0;
}

int pj_read_hotplug(struct platform_reader *r, struct json_object *root, const char *root_path)
{
	return pj_read_items(r, root, "hotplug", root_path, 0, NULL, read_hotplug_window, NULL);
}
