// SPDX-License-Identifier: GPL-2.0
/*
 * zs_malloc() takes a NUMA node: 6.16 ("zsmalloc: prefer the original page's
 * node")
 */
#include <linux/atomic.h>
#include <linux/numa.h>
#include <linux/zsmalloc.h>

unsigned long st_probe(struct zs_pool *pool);
unsigned long st_probe(struct zs_pool *pool)
{
	return zs_malloc(pool, 1, 0, NUMA_NO_NODE);
}
