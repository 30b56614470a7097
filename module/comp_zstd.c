// SPDX-License-Identifier: GPL-2.0
/*
 * zstd through lib/zstd: one compression and one decompression context per
 * stream, parameters sized for one page.
 */
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/zstd.h>

#include "comp.h"

#define ST_ZSTD_DEFAULT_LEVEL	3

struct st_zstd_ctx {
	zstd_cctx *cctx;
	zstd_dctx *dctx;
	void *cwork;
	void *dwork;
	zstd_parameters params;
};

static void st_zstd_levels(int *min, int *max, int *def)
{
	*min = zstd_min_clevel();
	*max = zstd_max_clevel();
	*def = ST_ZSTD_DEFAULT_LEVEL;
}

static void st_zstd_destroy(void *p)
{
	struct st_zstd_ctx *ctx = p;

	kvfree(ctx->cwork);
	kvfree(ctx->dwork);
	kvfree(ctx);
}

static void *st_zstd_create(int level, size_t *bytes)
{
	struct st_zstd_ctx *ctx;
	size_t csz, dsz;

	ctx = st_comp_kvzalloc(sizeof(*ctx), bytes);
	if (!ctx)
		return NULL;
	ctx->params = zstd_get_params(level, PAGE_SIZE);
	csz = zstd_cctx_workspace_bound(&ctx->params.cParams);
	dsz = zstd_dctx_workspace_bound();

	ctx->cwork = st_comp_kvzalloc(csz, bytes);
	ctx->dwork = st_comp_kvzalloc(dsz, bytes);
	if (!ctx->cwork || !ctx->dwork)
		goto out_free;
	ctx->cctx = zstd_init_cctx(ctx->cwork, csz);
	ctx->dctx = zstd_init_dctx(ctx->dwork, dsz);
	if (!ctx->cctx || !ctx->dctx)
		goto out_free;
	return ctx;

out_free:
	st_zstd_destroy(ctx);
	return NULL;
}

static int st_zstd_compress(void *p, int level, const void *src, void *dst,
			    size_t max_len, size_t *dst_len)
{
	struct st_zstd_ctx *ctx = p;
	size_t ret;

	ret = zstd_compress_cctx(ctx->cctx, dst, max_len, src,
				 PAGE_SIZE, &ctx->params);
	if (zstd_is_error(ret))
		return -EINVAL;
	*dst_len = ret;
	return 0;
}

static int st_zstd_decompress(void *p, const void *src, size_t src_len,
			      void *dst)
{
	struct st_zstd_ctx *ctx = p;
	size_t ret;

	ret = zstd_decompress_dctx(ctx->dctx, dst, PAGE_SIZE, src, src_len);
	return !zstd_is_error(ret) && ret == PAGE_SIZE ? 0 : -EINVAL;
}

const struct st_comp_backend st_backend_zstd = {
	.name		= "zstd",
	.levels		= st_zstd_levels,
	.create_ctx	= st_zstd_create,
	.destroy_ctx	= st_zstd_destroy,
	.compress	= st_zstd_compress,
	.decompress	= st_zstd_decompress,
};
