/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/atomic.h>: the types only, usable from C
 * and C++; the operations are in the shim table_internal.h.
 */
#ifndef SWAPTAB_SHIM_LINUX_ATOMIC_H
#define SWAPTAB_SHIM_LINUX_ATOMIC_H

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic_long_t;

#endif
