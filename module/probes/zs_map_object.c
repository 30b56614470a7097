// SPDX-License-Identifier: GPL-2.0
/*
 * zs_map_object()/zs_unmap_object(): every kernel up to 6.15, where the
 * object API replaced them
 */
#include <linux/atomic.h>
#include <linux/zsmalloc.h>

void *st_probe(struct zs_pool *pool, unsigned long handle);
void *st_probe(struct zs_pool *pool, unsigned long handle)
{
	void *mem = zs_map_object(pool, handle, ZS_MM_RO);

	zs_unmap_object(pool, handle);
	return mem;
}
