// SPDX-License-Identifier: MIT
#include "helpers.h"
