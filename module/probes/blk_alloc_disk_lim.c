// SPDX-License-Identifier: GPL-2.0
/*
 * blk_alloc_disk() takes the queue limits, returns an ERR_PTR: 6.9 ("block:
 * pass a queue_limits argument to blk_alloc_disk")
 */
#include <linux/blkdev.h>

struct gendisk *st_probe(struct queue_limits *lim);
struct gendisk *st_probe(struct queue_limits *lim)
{
	return blk_alloc_disk(lim, NUMA_NO_NODE);
}
