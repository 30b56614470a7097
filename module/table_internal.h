/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only headers table.c sees.  tests/unit/table/ supplies a userspace
 * twin of this file under the same include guard, so that the very same
 * table.c builds and runs on the host.
 */
#ifndef SWAPTAB_TABLE_INTERNAL_H
#define SWAPTAB_TABLE_INTERNAL_H

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/wait_bit.h>

#include "compat.h"
#include "table.h"

#endif /* SWAPTAB_TABLE_INTERNAL_H */
