// SPDX-License-Identifier: GPL-2.0
/*
 * zs_obj_read_begin() without the object's length: 6.15-6.19 ("zsmalloc:
 * introduce new object mapping API")
 */
#include <linux/atomic.h>
#include <linux/zsmalloc.h>

void *st_probe(struct zs_pool *pool, unsigned long handle, void *copy);
void *st_probe(struct zs_pool *pool, unsigned long handle, void *copy)
{
	void *mem = zs_obj_read_begin(pool, handle, copy);

	zs_obj_read_end(pool, handle, mem);
	return mem;
}
