// SPDX-License-Identifier: GPL-2.0
/*
 * lzo and lzo-rle through lib/lzo.  No levels; lzo-rle output is read back by
 * the same decompressor.
 */
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/lzo.h>

#include "comp.h"

static void st_lzo_levels(int *min, int *max, int *def)
{
	*min = 0;
	*max = 0;
	*def = 0;
}

static void *st_lzo_create(int level, size_t *bytes)
{
	return st_comp_kvzalloc(LZO1X_1_MEM_COMPRESS, bytes);
}

/* lzo has no output limit: @max_len is left to the caller. */
static int st_lzo_compress(void *ctx, int level, const void *src, void *dst,
			   size_t max_len, size_t *dst_len)
{
	int ret = lzo1x_1_compress(src, PAGE_SIZE, dst, dst_len, ctx);

	return ret == LZO_E_OK ? 0 : -EINVAL;
}

static int st_lzorle_compress(void *ctx, int level, const void *src,
			      void *dst, size_t max_len, size_t *dst_len)
{
	int ret = lzorle1x_1_compress(src, PAGE_SIZE, dst, dst_len, ctx);

	return ret == LZO_E_OK ? 0 : -EINVAL;
}

static int st_lzo_decompress(void *ctx, const void *src, size_t src_len,
			     void *dst)
{
	size_t dst_len = PAGE_SIZE;
	int ret = lzo1x_decompress_safe(src, src_len, dst, &dst_len);

	return ret == LZO_E_OK && dst_len == PAGE_SIZE ? 0 : -EINVAL;
}

const struct st_comp_backend st_backend_lzo = {
	.name		= "lzo",
	.levels		= st_lzo_levels,
	.create_ctx	= st_lzo_create,
	.destroy_ctx	= st_comp_kvfree_ctx,
	.compress	= st_lzo_compress,
	.decompress	= st_lzo_decompress,
};

const struct st_comp_backend st_backend_lzorle = {
	.name		= "lzo-rle",
	.levels		= st_lzo_levels,
	.create_ctx	= st_lzo_create,
	.destroy_ctx	= st_comp_kvfree_ctx,
	.compress	= st_lzorle_compress,
	.decompress	= st_lzo_decompress,
};
