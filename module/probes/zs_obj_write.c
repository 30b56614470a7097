// SPDX-License-Identifier: GPL-2.0
/* zs_obj_write(): 6.15 ("zsmalloc: introduce new object mapping API") */
#include <linux/atomic.h>
#include <linux/zsmalloc.h>

void st_probe(struct zs_pool *pool, unsigned long handle, void *buf);
void st_probe(struct zs_pool *pool, unsigned long handle, void *buf)
{
	zs_obj_write(pool, handle, buf, 1);
}
