// SPDX-License-Identifier: GPL-2.0
/*
 * lz4hc through lib/lz4 (lz4hc_compress); read back by the lz4 decompressor.
 */
#include <linux/errno.h>
#include <linux/lz4.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "comp.h"

static void st_lz4hc_levels(int *min, int *max, int *def)
{
	*min = 1;
	*max = LZ4HC_MAX_CLEVEL;
	*def = LZ4HC_DEFAULT_CLEVEL;
}

static void *st_lz4hc_create(int level, size_t *bytes)
{
	return st_comp_kvzalloc(LZ4HC_MEM_COMPRESS, bytes);
}

static int st_lz4hc_compress(void *ctx, int level, const void *src, void *dst,
			     size_t max_len, size_t *dst_len)
{
	int ret = LZ4_compress_HC(src, dst, PAGE_SIZE, max_len, level, ctx);

	if (ret <= 0)
		return -EINVAL;
	*dst_len = ret;
	return 0;
}

const struct st_comp_backend st_backend_lz4hc = {
	.name		= "lz4hc",
	.levels		= st_lz4hc_levels,
	.create_ctx	= st_lz4hc_create,
	.destroy_ctx	= st_comp_kvfree_ctx,
	.compress	= st_lz4hc_compress,
	.decompress	= st_lz4_decompress,
};
