// SPDX-License-Identifier: MIT
/* The page engine's knobs. */
#include "confmem/config.h"

const struct cm_config_knob cm_mm_knobs[] = {
	{ "swap_bytes", "size of the swap device", CM_KNOB_SIZE, CM_KNOB_BOOT, CM_KNOB_FIELD(swap_bytes) },
};

const size_t cm_mm_nr_knobs = sizeof(cm_mm_knobs) / sizeof(cm_mm_knobs[0]);
