/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference swaptab depends on, and nothing else.
 *
 * Checked against the matrix kernels' own headers: 6.1 (bookworm), 6.12
 * (trixie) and 7.2 (sid). Version thresholds between those are taken from
 * the kernel's history; kernels outside the matrix are not tested.
 */
#ifndef _SWAPTAB_COMPAT_H
#define _SWAPTAB_COMPAT_H

#include <linux/version.h>
#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/zsmalloc.h>

/* The one place that compares kernel versions. */
#define ST_KERNEL_AT_LEAST(a, b, c)	(KERNEL_VERSION(a, b, c) <= LINUX_VERSION_CODE)

/*
 * Block layer: queue limits passed at allocation since 6.9, queue flags
 * became limit features in 6.11, open/release lost the block_device and
 * fmode_t arguments in 6.5.
 */
#if ST_KERNEL_AT_LEAST(6, 9, 0)
#define ST_HAVE_QUEUE_LIMITS_ALLOC	1
#endif
#if ST_KERNEL_AT_LEAST(6, 11, 0)
#define ST_HAVE_BLK_FEATURES		1
#endif
/*
 * Until 6.3 swap marks a device SWP_SYNCHRONOUS_IO when its fops have
 * rw_page (there is no synchronous queue flag); 6.3-6.10 use
 * QUEUE_FLAG_SYNCHRONOUS, 6.11+ BLK_FEAT_SYNCHRONOUS.
 */
#if !ST_KERNEL_AT_LEAST(6, 3, 0)
#define ST_HAVE_RW_PAGE		1
#endif
#if ST_KERNEL_AT_LEAST(6, 5, 0)
#define ST_OPEN_ARGS		struct gendisk *disk, blk_mode_t mode
#define ST_OPEN_DISK		disk
#define ST_RELEASE_ARGS		struct gendisk *disk
#else
#define ST_OPEN_ARGS		struct block_device *bdev, fmode_t mode
#define ST_OPEN_DISK		(bdev->bd_disk)
#define ST_RELEASE_ARGS		struct gendisk *disk, fmode_t mode
#endif

/*
 * zsmalloc: zs_map_object() until ~6.16 replaced it with an object
 * read/write API, whose read takes the length to map and whose zs_malloc()
 * takes a NUMA node from ~6.19 (7.2 has both).  6.16-6.18 carry the first
 * form of that API; they are outside the matrix and refused rather than
 * built untested.
 */
#if ST_KERNEL_AT_LEAST(6, 19, 0)
#define ST_ZS_OBJ_API		1
#elif ST_KERNEL_AT_LEAST(6, 16, 0)
#error "swaptab does not support 6.16-6.18: their zsmalloc object API is untested"
#endif

static inline unsigned long st_zs_malloc(struct zs_pool *pool, size_t size,
					 gfp_t gfp)
{
#ifdef ST_ZS_OBJ_API
	return zs_malloc(pool, size, gfp, NUMA_NO_NODE);
#else
	return zs_malloc(pool, size, gfp);
#endif
}

/*
 * st_compat_alloc_disk - a gendisk whose queue has swaptab's limits: 4 KiB
 * logical and physical blocks, discard and write-zeroes in whole pages,
 * synchronous, stable writes, not rotational, no entropy contribution.
 * Returns an ERR_PTR on failure on every kernel.  May sleep.
 */
static inline struct gendisk *st_compat_alloc_disk(void)
{
	struct gendisk *disk;
#ifdef ST_HAVE_QUEUE_LIMITS_ALLOC
	struct queue_limits lim = {
		.logical_block_size		= PAGE_SIZE,
		.physical_block_size		= PAGE_SIZE,
		.io_min				= PAGE_SIZE,
		.io_opt				= PAGE_SIZE,
		.max_hw_discard_sectors		= UINT_MAX,
		.discard_granularity		= PAGE_SIZE,
		.max_write_zeroes_sectors	= UINT_MAX,
#ifdef ST_HAVE_BLK_FEATURES
		.features			= BLK_FEAT_STABLE_WRITES |
						  BLK_FEAT_SYNCHRONOUS,
#endif
	};

	disk = blk_alloc_disk(&lim, NUMA_NO_NODE);
	if (IS_ERR(disk))
		return disk;
#else
	struct request_queue *q;

	disk = blk_alloc_disk(NUMA_NO_NODE);
	if (!disk)
		return ERR_PTR(-ENOMEM);
	q = disk->queue;
	blk_queue_logical_block_size(q, PAGE_SIZE);
	blk_queue_physical_block_size(q, PAGE_SIZE);
	blk_queue_io_min(q, PAGE_SIZE);
	blk_queue_io_opt(q, PAGE_SIZE);
	q->limits.discard_granularity = PAGE_SIZE;
	blk_queue_max_discard_sectors(q, UINT_MAX);
	blk_queue_max_write_zeroes_sectors(q, UINT_MAX);
#endif
#ifndef ST_HAVE_BLK_FEATURES
	blk_queue_flag_set(QUEUE_FLAG_NONROT, disk->queue);
#ifndef ST_HAVE_RW_PAGE
	blk_queue_flag_set(QUEUE_FLAG_SYNCHRONOUS, disk->queue);
#endif
	blk_queue_flag_set(QUEUE_FLAG_STABLE_WRITES, disk->queue);
	blk_queue_flag_clear(QUEUE_FLAG_ADD_RANDOM, disk->queue);
#endif
	return disk;
}

/*
 * Queue freeze (it waits for the bios and rw_page calls inside the queue
 * and holds new ones off): since 6.14 it also enters a NOIO allocation
 * scope, whose flags the unfreeze takes back.  May sleep.
 */
#if ST_KERNEL_AT_LEAST(6, 14, 0)
static inline unsigned int st_freeze_queue(struct request_queue *q)
{
	return blk_mq_freeze_queue(q);
}

static inline void st_unfreeze_queue(struct request_queue *q,
				     unsigned int memflags)
{
	blk_mq_unfreeze_queue(q, memflags);
}
#else
static inline unsigned int st_freeze_queue(struct request_queue *q)
{
	blk_mq_freeze_queue(q);
	return 0;
}

static inline void st_unfreeze_queue(struct request_queue *q,
				     unsigned int memflags)
{
	blk_mq_unfreeze_queue(q);
}
#endif

/*
 * Size of the kernel's struct zram_table_entry, which a FLAT table entry
 * mimics: handle + flags, plus a ktime_t while zram tracks access times
 * beside the flags (6.1: 24 bytes with CONFIG_ZRAM_MEMORY_TRACKING; 6.12: 24
 * with CONFIG_ZRAM_TRACK_ENTRY_ACTIME); 7.0 packed the access time into the
 * flags word (16).  Checked against each matrix kernel's zram BTF.
 */
#if ST_KERNEL_AT_LEAST(7, 0, 0)
#define SWAPTAB_FLAT_ENTRY_SIZE	16
#elif IS_ENABLED(CONFIG_ZRAM_MEMORY_TRACKING) || IS_ENABLED(CONFIG_ZRAM_TRACK_ENTRY_ACTIME)
#define SWAPTAB_FLAT_ENTRY_SIZE	24
#else
#define SWAPTAB_FLAT_ENTRY_SIZE	16
#endif

#endif /* _SWAPTAB_COMPAT_H */
