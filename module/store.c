// SPDX-License-Identifier: GPL-2.0
/*
 * The zsmalloc pool of a device, across zsmalloc's API versions.
 *
 * An ST_OBJ object is a native-endian u16 length followed by that many
 * compressed bytes; an ST_HUGE object is one raw page.  The table keeps no
 * length, so everything that needs it (read, free) reads the header.
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "compat.h"
#include "swaptab.h"

#if defined(ST_ZS_OBJ_API) && !defined(ST_ZS_READ_LEN)
#error "zsmalloc object API without a read length (6.16-6.18) is not supported"
#endif

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
 * st_store_alloc - an object of @size bytes, or 0.  Without @reclaim it
 * never enters direct reclaim and never sleeps; with it, it may sleep (but
 * never issues I/O: we are on the swap-out path).
 */
unsigned long st_store_alloc(struct zs_pool *pool, size_t size, bool reclaim)
{
	gfp_t gfp = __GFP_NOWARN | __GFP_HIGHMEM | __GFP_MOVABLE;
	unsigned long handle;

	gfp |= reclaim ? GFP_NOIO : __GFP_KSWAPD_RECLAIM;
	handle = st_zs_malloc(pool, size, gfp);
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
 * st_store_obj_len - the length header of an ST_OBJ object.  Never sleeps;
 * callable from atomic context (the free path of swap_slot_free_notify).
 */
unsigned int st_store_obj_len(struct zs_pool *pool, unsigned long handle)
{
	u16 len;
	void *mem;
#ifdef ST_ZS_OBJ_API
	u8 local[ST_OBJ_HDR];

	mem = st_zs_read_begin(pool, handle, ST_OBJ_HDR, local);
	memcpy(&len, mem, ST_OBJ_HDR);
	st_zs_read_end(pool, handle, ST_OBJ_HDR, mem);
#else
	mem = zs_map_object(pool, handle, ZS_MM_RO);
	memcpy(&len, mem, ST_OBJ_HDR);
	zs_unmap_object(pool, handle);
#endif
	return len;
}

/*
 * st_store_read - call @fn on the stored bytes of an object: the compressed
 * payload of an ST_OBJ (@huge false) or the raw page of an ST_HUGE.
 * @local_copy: PAGE_SIZE + ST_OBJ_HDR bytes zsmalloc may copy a split
 * object into.  @fn runs in atomic context (the object is mapped) and must
 * not sleep.  Returns what @fn returns, or -EIO for a corrupt header.
 */
int st_store_read(struct zs_pool *pool, unsigned long handle, bool huge,
		  void *local_copy,
		  int (*fn)(void *priv, const void *src, size_t len),
		  void *priv)
{
	void *mem;
	size_t len;
	int ret;
#ifdef ST_ZS_OBJ_API
	size_t map_len;

	if (huge) {
		len = PAGE_SIZE;
		map_len = PAGE_SIZE;
	} else {
		u16 hdr;

		/*
		 * Map the header.  If zsmalloc mapped it in place and the
		 * whole object lies in that page, the payload is right
		 * behind it: no second lookup.  Else map header + payload.
		 */
		mem = st_zs_read_begin(pool, handle, ST_OBJ_HDR, local_copy);
		memcpy(&hdr, mem, ST_OBJ_HDR);
		len = hdr;
		if (len && len < PAGE_SIZE && mem != local_copy &&
		    offset_in_page(mem) + ST_OBJ_HDR + len <= PAGE_SIZE) {
			ret = fn(priv, mem + ST_OBJ_HDR, len);
			st_zs_read_end(pool, handle, ST_OBJ_HDR, mem);
			return ret;
		}
		st_zs_read_end(pool, handle, ST_OBJ_HDR, mem);
		if (!len || len >= PAGE_SIZE)
			return -EIO;
		map_len = ST_OBJ_HDR + len;
	}
	mem = st_zs_read_begin(pool, handle, map_len, local_copy);
	ret = fn(priv, huge ? mem : mem + ST_OBJ_HDR, len);
	st_zs_read_end(pool, handle, map_len, mem);
#else
	mem = zs_map_object(pool, handle, ZS_MM_RO);
	if (huge) {
		len = PAGE_SIZE;
		ret = fn(priv, mem, len);
	} else {
		u16 hdr;

		memcpy(&hdr, mem, ST_OBJ_HDR);
		len = hdr;
		if (!len || len >= PAGE_SIZE)
			ret = -EIO;
		else
			ret = fn(priv, mem + ST_OBJ_HDR, len);
	}
	zs_unmap_object(pool, handle);
#endif
	return ret;
}
