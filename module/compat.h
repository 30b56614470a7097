/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel difference swaptab depends on, and nothing else.
 *
 * Each API form is decided by a compile probe against the target kernel's
 * headers (module/probes/, run by Kbuild into st_probes.h as ST_HAVE_*),
 * never by the kernel's version: distribution kernels backport APIs.  The
 * forms and the kernels that brought them are listed in the probes and in
 * ../shared/reference/KERNEL-API.md.
 */
#ifndef _SWAPTAB_COMPAT_H
#define _SWAPTAB_COMPAT_H

#include <linux/version.h>
#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/scatterlist.h>
#include <linux/zsmalloc.h>

#include "st_probes.h"

/*
 * Block layer: queue limits passed at allocation (ST_HAVE_BLK_ALLOC_DISK_LIM),
 * queue flags that became limit features (ST_HAVE_BLK_FEATURES), open and
 * release without the block_device and fmode_t (ST_HAVE_BLK_MODE).
 *
 * Swap marks a device SWP_SYNCHRONOUS_IO when its fops have rw_page where
 * that exists (ST_HAVE_BDOPS_RW_PAGE: there is no synchronous queue flag
 * yet); then by QUEUE_FLAG_SYNCHRONOUS, then BLK_FEAT_SYNCHRONOUS.
 */
#ifdef ST_HAVE_BLK_MODE
#define ST_OPEN_ARGS		struct gendisk *disk, blk_mode_t mode
#define ST_OPEN_DISK		disk
#define ST_RELEASE_ARGS		struct gendisk *disk
#else
#define ST_OPEN_ARGS		struct block_device *bdev, fmode_t mode
#define ST_OPEN_DISK		(bdev->bd_disk)
#define ST_RELEASE_ARGS		struct gendisk *disk, fmode_t mode
#endif

/*
 * zsmalloc: zs_map_object() until the object API (zs_obj_write() and
 * zs_obj_read_begin()) replaced it; the read took the object's length
 * later, and the newest kernels read through a scatterlist
 * (zs_obj_read_sg_begin()) instead; zs_malloc() takes a NUMA node since
 * the object API's second year.  store.h uses the newest form the kernel
 * has.
 */
#if !defined(ST_HAVE_ZS_OBJ_WRITE) && !defined(ST_HAVE_ZS_MAP_OBJECT)
#error "swaptab: this kernel's zsmalloc has neither zs_obj_write() nor zs_map_object()"
#endif
#if defined(ST_HAVE_ZS_OBJ_WRITE) && !defined(ST_HAVE_ZS_OBJ_READ_BEGIN_LEN) && \
	!defined(ST_HAVE_ZS_OBJ_READ_BEGIN) && !defined(ST_HAVE_ZS_OBJ_READ_SG)
#error "swaptab: this kernel's zsmalloc has no object read API swaptab knows"
#endif

static inline unsigned long st_zs_malloc(struct zs_pool *pool, size_t size,
					 gfp_t gfp)
{
#ifdef ST_HAVE_ZS_MALLOC_NID
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
#ifdef ST_HAVE_BLK_ALLOC_DISK_LIM
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
#ifndef ST_HAVE_BDOPS_RW_PAGE
	blk_queue_flag_set(QUEUE_FLAG_SYNCHRONOUS, disk->queue);
#endif
	blk_queue_flag_set(QUEUE_FLAG_STABLE_WRITES, disk->queue);
	blk_queue_flag_clear(QUEUE_FLAG_ADD_RANDOM, disk->queue);
#endif
	return disk;
}

/*
 * Queue freeze (it waits for the bios and rw_page calls inside the queue
 * and holds new ones off): where it also enters a NOIO allocation scope
 * (ST_HAVE_FREEZE_MEMFLAGS), the unfreeze takes its flags back.  May sleep.
 */
#ifdef ST_HAVE_FREEZE_MEMFLAGS
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
 * flags word (16).  Checked against each matrix kernel's zram BTF.  The one
 * version test left: zram's entry is private to zram, no header shows it.
 */
#if KERNEL_VERSION(7, 0, 0) <= LINUX_VERSION_CODE
#define SWAPTAB_FLAT_ENTRY_SIZE	16
#elif IS_ENABLED(CONFIG_ZRAM_MEMORY_TRACKING) || IS_ENABLED(CONFIG_ZRAM_TRACK_ENTRY_ACTIME)
#define SWAPTAB_FLAT_ENTRY_SIZE	24
#else
#define SWAPTAB_FLAT_ENTRY_SIZE	16
#endif

#endif /* _SWAPTAB_COMPAT_H */
