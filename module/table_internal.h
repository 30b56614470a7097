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
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/version.h>
#include <linux/wait_bit.h>

/*
 * Size of the kernel's struct zram_table_entry, which a FLAT entry mimics:
 * handle + flags, plus a ktime_t when zram tracks access times, until the
 * access time was packed into the flags word (7.0).  6.1: 24 bytes
 * (CONFIG_ZRAM_MEMORY_TRACKING=y); 6.12: handle, u32 flags, spinlock_t,
 * ktime_t = 24 (CONFIG_ZRAM_TRACK_ENTRY_ACTIME=y); 7.x: 16.
 * Meant to move to compat.h, which may define it first.
 */
#ifndef SWAPTAB_FLAT_ENTRY_SIZE
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 0, 0)
#define SWAPTAB_FLAT_ENTRY_SIZE	16
#elif IS_ENABLED(CONFIG_ZRAM_MEMORY_TRACKING) || IS_ENABLED(CONFIG_ZRAM_TRACK_ENTRY_ACTIME)
#define SWAPTAB_FLAT_ENTRY_SIZE	24
#else
#define SWAPTAB_FLAT_ENTRY_SIZE	16
#endif
#endif

#include "table.h"

#endif /* SWAPTAB_TABLE_INTERNAL_H */
