/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swaptab: compressed-RAM block device for swap whose per-slot metadata
 * follows the kernel's swap-table design.  Shared types and prototypes.
 */
#ifndef _SWAPTAB_H
#define _SWAPTAB_H

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/swaptab.h>

#include "table.h"
#include "comp.h"
#include "store.h"

#define ST_DEV_PREFIX		"swaptab"
#define ST_SECTORS_PER_PAGE	(PAGE_SIZE >> SECTOR_SHIFT)
#define ST_MAX_DEVICES		BIT(16)	/* index 0..65535, as the policy */

struct gendisk;
struct zs_pool;
struct dentry;

/*
 * Configuration of a device: what add/set asked for.  Written only under
 * st_registry_lock (algorithm and level also with the queue frozen) or
 * before the disk is live; mem_limit is read locklessly on the write path
 * (READ_ONCE/WRITE_ONCE).
 */
struct st_config {
	u64 size;				/* bytes, multiple of PAGE_SIZE */
	char algorithm[SWAPTAB_ALGO_NAME_MAX];	/* compressor name */
	s32 level;				/* 0: the algorithm's default */
	u64 mem_limit;				/* pool bytes; 0: no limit */
	enum swaptab_layout layout;
};

/*
 * Counters every I/O bumps: per CPU, so a page costs no shared atomic for
 * them, summed when read (st_dev_stats()), all zeroed by reset.  A CPU's
 * compr_bytes may go negative when an object is freed on another CPU than
 * it was stored on.
 */
struct st_stats {
	u64 reads;		/* pages */
	u64 writes;		/* pages */
	u64 failed_reads;	/* bios */
	u64 failed_writes;	/* bios */
	u64 notify_free;	/* slots */
	u64 missed_free;	/* slots */
	u64 discards;		/* slots freed by discard/write-zeroes */
	u64 mem_limit_rejects;	/* pages */
	s64 compr_bytes;	/* OBJ payloads + HUGE pages */
	struct st_counts kinds;	/* the table's slot counts (table.h) */
};

/*
 * One device.
 *
 * I/O takes no lock of ours to keep comp and the table: every bio (and
 * every rw_page call, before 6.3) runs inside the block layer's hold on
 * the queue, which a queue freeze waits for and holds off.  Set of the
 * algorithm swaps comp with the queue frozen.  Reset replaces the table
 * (and sets broken) with the disk closed and claimed, so no I/O runs, and
 * table_lock held for writing; the debugfs cluster walk, which runs
 * whether the disk is open or not, holds it for reading.
 * swap_slot_free_notify runs outside the queue hold (it may not sleep)
 * but never uses comp, and swap holds the disk open.
 *
 * claimed: set under disk->open_mutex by del/reset once disk_openers() is 0;
 * open fails with EBUSY while it is set.
 */
struct st_dev {
	int index;
	char name[32];
	struct st_config cfg;

	struct gendisk *disk;
	struct zs_pool *pool;
	size_t huge_size;		/* objects this large or larger are stored raw */
	struct st_comp *comp;
	struct st_table table;
	struct rw_semaphore table_lock;
	bool broken;			/* reset could not rebuild the table */
	bool claimed;
	u64 fixed_bytes;		/* per-device memory independent of size */
	struct st_stats __percpu *stats;
	atomic64_t pool_peak;		/* bytes */
	struct dentry *debugfs;
};

/* Everything the stats attribute and debugfs show, read at once. */
struct st_stats_snapshot {
	u64 reads, writes, failed_reads, failed_writes;
	u64 notify_free, missed_free, discards;
	u64 stored, same, huge, obj;
	u64 orig_bytes, compr_bytes;
	u64 pool_bytes, pool_peak;
	u64 meta_static, meta_dynamic, clusters_used;
	u64 mem_limit_rejects;
	u64 fixed_bytes;
};

/* main.c: the registry.  st_registry_lock guards the idr and every device's life. */
extern struct mutex st_registry_lock;
struct st_dev *st_dev_lookup(u32 index);		/* registry lock held */
struct st_dev *st_dev_next(u32 *index);			/* registry lock held */
int st_dev_add(const struct st_config *cfg, struct st_dev **out);	/* registry lock held */
int st_dev_del(struct st_dev *dev);			/* registry lock held */

/* dev.c */
extern int st_major;
int st_disk_create(struct st_dev *dev);
void st_disk_destroy(struct st_dev *dev);
int st_dev_claim(struct st_dev *dev);
void st_dev_unclaim(struct st_dev *dev);
unsigned int st_dev_openers(struct st_dev *dev);
int st_dev_reset(struct st_dev *dev);
int st_dev_set_comp(struct st_dev *dev, const struct st_comp_backend *b,
		    int level);
void st_dev_set_mem_limit(struct st_dev *dev, u64 limit);
void st_dev_stats(struct st_dev *dev, struct st_stats_snapshot *s);
int st_dev_storage_init(struct st_dev *dev);
void st_dev_storage_free(struct st_dev *dev);

/* netlink.c */
int st_netlink_init(void);
void st_netlink_exit(void);
void st_netlink_notify(struct st_dev *dev, u8 cmd);

/* debugfs.c */
void st_debugfs_init(void);
void st_debugfs_exit(void);
void st_debugfs_add(struct st_dev *dev);
void st_debugfs_del(struct st_dev *dev);

#endif /* _SWAPTAB_H */
