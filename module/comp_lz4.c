// SPDX-License-Identifier: GPL-2.0
/*
 * lz4 through lib/lz4.  The level is lz4's acceleration (higher: faster,
 * larger), as zram uses it.
 */
#include <linux/errno.h>
#include <linux/lz4.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "comp.h"

#ifndef LZ4_ACCELERATION_MAX
#define LZ4_ACCELERATION_MAX	65537
#endif

static void st_lz4_levels(int *min, int *max, int *def)
{
	*min = 1;
	*max = LZ4_ACCELERATION_MAX;
	*def = LZ4_ACCELERATION_DEFAULT;
}

static void *st_lz4_create(int level, size_t *bytes)
{
	return st_comp_kvzalloc(LZ4_MEM_COMPRESS, bytes);
}

/*
 * Into the whole buffer, not limited to @max_len: lz4's limited-output path
 * checks the room before every sequence it emits, which cost 0.4% of fio's
 * 4 KiB random-write IOPS (same boot, instruction clock), and never stops
 * early on the pages it was for: an incompressible page has no matches, so
 * its literals are all emitted at the end.  The caller compares the length
 * with its limit, as for lzo.  (The streaming API would spare
 * LZ4_compress_fast()'s 16 KiB state clear per page, but its search loop is
 * slower: the kernel's lz4 built for an x86 host took about a third more
 * time per 2:1 page.)
 */
static_assert(LZ4_COMPRESSBOUND(PAGE_SIZE) <= ST_COMP_BUF_SIZE,
	      "lz4 needs its worst case of room to skip output checks");

static int st_lz4_compress(void *ctx, int level, const void *src, void *dst,
			   size_t max_len, size_t *dst_len)
{
	int ret = LZ4_compress_fast(src, dst, PAGE_SIZE, ST_COMP_BUF_SIZE,
				    level, ctx);

	if (ret <= 0)
		return -EINVAL;
	*dst_len = ret;
	return 0;
}

int st_lz4_decompress(void *ctx, const void *src, size_t src_len, void *dst)
{
	int ret = LZ4_decompress_safe(src, dst, src_len, PAGE_SIZE);

	return ret == PAGE_SIZE ? 0 : -EINVAL;
}

const struct st_comp_backend st_backend_lz4 = {
	.name		= "lz4",
	.levels		= st_lz4_levels,
	.create_ctx	= st_lz4_create,
	.destroy_ctx	= st_comp_kvfree_ctx,
	.compress	= st_lz4_compress,
	.decompress	= st_lz4_decompress,
};
