/* SPDX-License-Identifier: MIT */
#ifndef CONFMEM_TEST_HELPERS_H
#define CONFMEM_TEST_HELPERS_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#endif
