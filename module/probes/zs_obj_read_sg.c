// SPDX-License-Identifier: GPL-2.0
/*
 * zs_obj_read_sg_begin()/_end(): added early 2026 (present in 7.2); a later
 * upstream change drops zs_obj_read_begin() for it
 */
#include <linux/scatterlist.h>
#include <linux/atomic.h>
#include <linux/zsmalloc.h>

void st_probe(struct zs_pool *pool, unsigned long handle, struct scatterlist *sg);
void st_probe(struct zs_pool *pool, unsigned long handle, struct scatterlist *sg)
{
	zs_obj_read_sg_begin(pool, handle, sg, 1);
	zs_obj_read_sg_end(pool, handle);
}
