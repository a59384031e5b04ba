// SPDX-License-Identifier: MIT
/* The SGX knobs, and the names of sgx.oom's values. */
#include "confmem/config.h"
#include "confmem/names.h"

static const char *const oom_names[CM_SGX_OOM_NR] = {
	[CM_SGX_OOM_NONE] = "none",
	[CM_SGX_OOM_KILL_ENCLAVE] = "kill-enclave",
};

const char *cm_sgx_oom_name(enum cm_sgx_oom o)
{
	return cm_name_of(oom_names, CM_SGX_OOM_NR, o);
}

static const char *oom_value(unsigned int v) { return cm_sgx_oom_name(v); }

const struct cm_config_knob cm_sgx_knobs[] = {
	{ "sgx.oom", "EPC cgroup at its limit with nothing reclaimable",
	  CM_KNOB_ENUM, CM_KNOB_RUNTIME, CM_KNOB_FIELD(sgx_oom), .value_name = oom_value,
	  .nr_values = CM_SGX_OOM_NR },
};

const size_t cm_sgx_nr_knobs = sizeof(cm_sgx_knobs) / sizeof(cm_sgx_knobs[0]);
