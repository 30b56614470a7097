// SPDX-License-Identifier: GPL-2.0
/*
 * The zsmalloc pool of a device, across zsmalloc's API versions.
 *
 * An ST_OBJ object is the compressed bytes alone (the slot keeps their
 * length, see st_obj_val()); an ST_HUGE object is one raw page.
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "compat.h"
#include "swaptab.h"

/* A slot word must hold a handle's reference and a length (table.h). */
static_assert(BITS_PER_LONG == 64, "swaptab needs a 64-bit kernel");

struct zs_pool *st_store_create(const char *name)
{
	return zs_create_pool(name);
}

void st_store_destroy(struct zs_pool *pool)
{
	zs_destroy_pool(pool);
}

size_t st_store_huge_size(struct zs_pool *pool)
{
	return zs_huge_class_size(pool);
}

u64 st_store_bytes(struct zs_pool *pool)
{
	return (u64)zs_get_total_pages(pool) << PAGE_SHIFT;
}

/*
 * st_store_alloc - an object of @size bytes, or 0.  With @wait it may sleep
 * in direct reclaim, but never issues I/O: we are on the swap-out path.
 * Without, it never sleeps and only wakes kswapd (the first try, made under
 * a compression stream, as zram's was).
 */
unsigned long st_store_alloc(struct zs_pool *pool, size_t size, bool wait)
{
	gfp_t gfp = wait ? GFP_NOIO : __GFP_KSWAPD_RECLAIM;
	unsigned long handle;

	handle = st_zs_malloc(pool, size, gfp | __GFP_NOWARN | __GFP_HIGHMEM |
			      __GFP_MOVABLE);
	if (IS_ERR_VALUE(handle))
		return 0;
	return handle;
}

/* Never sleeps. */
void st_store_free(struct zs_pool *pool, unsigned long handle)
{
	zs_free(pool, handle);
}

/* st_store_write - fill an object with @len bytes from @src.  Never sleeps. */
void st_store_write(struct zs_pool *pool, unsigned long handle, void *src,
		    size_t len)
{
#ifdef ST_ZS_OBJ_API
	zs_obj_write(pool, handle, src, len);
#else
	void *dst = zs_map_object(pool, handle, ZS_MM_WO);

	memcpy(dst, src, len);
	zs_unmap_object(pool, handle);
#endif
}

/*
 * A zsmalloc handle is the address of a word zsmalloc allocates from a slab
 * cache of its own (so on every matrix kernel): word aligned and in the
 * direct map.  Its offset from PAGE_OFFSET in words is below 2^49 even with
 * 52-bit physical addresses, so it fits ST_OBJ_REF_BITS with room to spare.
 * st_store_ref() checks rather than trusts that.  Neither sleeps.
 */
bool st_store_ref(unsigned long handle, unsigned long *ref)
{
	unsigned long off = handle - PAGE_OFFSET;

	if (off % sizeof(long) || off / sizeof(long) > ST_OBJ_REF_MAX)
		return false;
	*ref = off / sizeof(long);
	return true;
}

unsigned long st_store_handle(unsigned long ref)
{
	return PAGE_OFFSET + ref * sizeof(long);
}

/*
 * st_store_read - call @fn on the @len stored bytes of an object.
 * @local_copy: @len bytes zsmalloc may copy an object split across pages
 * into.  @fn runs in atomic context (the object is mapped) and must not
 * sleep.  Returns what @fn returns.
 */
int st_store_read(struct zs_pool *pool, unsigned long handle, size_t len,
		  void *local_copy,
		  int (*fn)(void *priv, const void *src, size_t len),
		  void *priv)
{
	void *mem;
	int ret;

#ifdef ST_ZS_OBJ_API
	mem = zs_obj_read_begin(pool, handle, len, local_copy);
	ret = fn(priv, mem, len);
	zs_obj_read_end(pool, handle, len, mem);
#else
	mem = zs_map_object(pool, handle, ZS_MM_RO);
	ret = fn(priv, mem, len);
	zs_unmap_object(pool, handle);
#endif
	return ret;
}
