/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The zsmalloc pool of a device, across zsmalloc's API versions.
 *
 * An ST_OBJ object is the compressed bytes alone (the slot keeps their
 * length, see st_obj_val()); an ST_HUGE object is one raw page.
 *
 * All inline: each is a call or two into zsmalloc, and the I/O path runs
 * several of them for every page, where a wrapper's own call and return
 * were measurable (same-boot A/B on an instruction clock, see
 * SWAPTAB_VM_ICOUNT in tests/vm/run.sh).
 */
#ifndef _SWAPTAB_STORE_H
#define _SWAPTAB_STORE_H

#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "compat.h"
#include "table.h"

/* A slot word must hold a handle's reference and a length (table.h). */
static_assert(BITS_PER_LONG == 64, "swaptab needs a 64-bit kernel");

static inline struct zs_pool *st_store_create(const char *name)
{
	return zs_create_pool(name);
}

static inline void st_store_destroy(struct zs_pool *pool)
{
	zs_destroy_pool(pool);
}

static inline size_t st_store_huge_size(struct zs_pool *pool)
{
	return zs_huge_class_size(pool);
}

static inline u64 st_store_bytes(struct zs_pool *pool)
{
	return (u64)zs_get_total_pages(pool) << PAGE_SHIFT;
}

/*
 * st_store_alloc - an object of @size bytes, or 0.  With @wait it may sleep
 * in direct reclaim, but never issues I/O: we are on the swap-out path.
 * Without, it never sleeps and only wakes kswapd (the first try, made under
 * a compression stream, as zram's was).
 */
static inline unsigned long st_store_alloc(struct zs_pool *pool, size_t size,
					   bool wait)
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
static inline void st_store_free(struct zs_pool *pool, unsigned long handle)
{
	zs_free(pool, handle);
}

/* st_store_write - fill an object with @len bytes from @src.  Never sleeps. */
static inline void st_store_write(struct zs_pool *pool, unsigned long handle,
				  void *src, size_t len)
{
#ifdef ST_HAVE_ZS_OBJ_WRITE
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
static inline bool st_store_ref(unsigned long handle, unsigned long *ref)
{
	unsigned long off = handle - PAGE_OFFSET;

	if (off % sizeof(long) || off / sizeof(long) > ST_OBJ_REF_MAX)
		return false;
	*ref = off / sizeof(long);
	return true;
}

static inline unsigned long st_store_handle(unsigned long ref)
{
	return PAGE_OFFSET + ref * sizeof(long);
}

/*
 * st_store_read_begin - the @len stored bytes of an object, mapped (or
 * copied into @local_copy, which has room for a page, if split across
 * pages) until st_store_read_end().  In between the caller must not sleep.
 *
 * Where zsmalloc reads through a scatterlist only, an object within one
 * page is mapped from it, and one that spans two is copied out of it.
 */
static inline const void *st_store_read_begin(struct zs_pool *pool,
					      unsigned long handle, size_t len,
					      void *local_copy)
{
#if defined(ST_HAVE_ZS_OBJ_READ_BEGIN_LEN)
	return zs_obj_read_begin(pool, handle, len, local_copy);
#elif defined(ST_HAVE_ZS_OBJ_READ_BEGIN)
	return zs_obj_read_begin(pool, handle, local_copy);
#elif defined(ST_HAVE_ZS_OBJ_READ_SG)
	struct scatterlist sg[2];

	sg_init_table(sg, ARRAY_SIZE(sg));
	zs_obj_read_sg_begin(pool, handle, sg, len);
	if (sg->length >= len)
		return kmap_local_page(sg_page(sg)) + sg->offset;
	sg_copy_to_buffer(sg, ARRAY_SIZE(sg), local_copy, len);
	zs_obj_read_sg_end(pool, handle);
	return local_copy;
#else
	return zs_map_object(pool, handle, ZS_MM_RO);
#endif
}

static inline void st_store_read_end(struct zs_pool *pool,
				     unsigned long handle, size_t len,
				     const void *mem, void *local_copy)
{
#if defined(ST_HAVE_ZS_OBJ_READ_BEGIN_LEN)
	zs_obj_read_end(pool, handle, len, (void *)mem);
#elif defined(ST_HAVE_ZS_OBJ_READ_BEGIN)
	zs_obj_read_end(pool, handle, (void *)mem);
#elif defined(ST_HAVE_ZS_OBJ_READ_SG)
	if (mem == local_copy)
		return;
	kunmap_local(mem);
	zs_obj_read_sg_end(pool, handle);
#else
	zs_unmap_object(pool, handle);
#endif
}

#endif /* _SWAPTAB_STORE_H */
