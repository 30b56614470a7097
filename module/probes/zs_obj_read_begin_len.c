// SPDX-License-Identifier: GPL-2.0
/*
 * zs_obj_read_begin()/_end() take the object's length: 7.0 ("zsmalloc: use
 * actual object size to detect spans")
 */
#include <linux/atomic.h>
#include <linux/zsmalloc.h>

void *st_probe(struct zs_pool *pool, unsigned long handle, void *copy);
void *st_probe(struct zs_pool *pool, unsigned long handle, void *copy)
{
	void *mem = zs_obj_read_begin(pool, handle, 1, copy);

	zs_obj_read_end(pool, handle, 1, mem);
	return mem;
}
