// SPDX-License-Identifier: GPL-2.0
/*
 * deflate through lib/zlib_deflate and lib/zlib_inflate, which Debian's
 * kernels build in.  842, the one zram algorithm missing here, is left out
 * because those kernels do not build lib/842.
 *
 * Raw deflate (negative windowBits), as zram's: a zlib header and adler32
 * trailer would cost 6 bytes and a checksum pass per page, and the pool
 * object's length already delimits the stream.
 */
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/zlib.h>

#include "comp.h"

/* What zlib makes of Z_DEFAULT_COMPRESSION, zram's default. */
#define ST_DEFLATE_DEFAULT_LEVEL	6

/*
 * A window of two pages: zlib keeps 262 bytes of it for lookahead, so every
 * distance within one page stays reachable and the output is the same as
 * with the full 32 KiB window, for 96 KiB less workspace per stream with
 * 4 KiB pages.
 */
#define ST_DEFLATE_WBITS	min(PAGE_SHIFT + 1, MAX_WBITS)

/* One allocation: the two streams, then their workspaces. */
struct st_deflate_ctx {
	struct z_stream_s def;
	struct z_stream_s inf;
};

static void st_deflate_levels(int *min, int *max, int *def)
{
	*min = Z_BEST_SPEED;
	*max = Z_BEST_COMPRESSION;
	*def = ST_DEFLATE_DEFAULT_LEVEL;
}

/*
 * The level is fixed here, in the deflate state.  No zlib_*End() on
 * destruction: the kernel's zlib holds nothing outside the workspaces, so
 * st_comp_kvfree_ctx() frees it all.
 */
static void *st_deflate_create(int level, size_t *bytes)
{
	size_t dsz = ALIGN(zlib_deflate_workspacesize(-ST_DEFLATE_WBITS,
						      MAX_MEM_LEVEL),
			   ARCH_KMALLOC_MINALIGN);
	size_t size = sizeof(struct st_deflate_ctx) + dsz +
		      zlib_inflate_workspacesize();
	struct st_deflate_ctx *ctx;

	/*
	 * Zeroed: deflate's match search reads window bytes past the input
	 * copied in so far (matches are cut to the input, but what it reads
	 * should be defined).
	 */
	ctx = st_comp_kvzalloc(size, bytes);
	if (!ctx)
		return NULL;
	ctx->def.workspace = ctx + 1;
	ctx->inf.workspace = (u8 *)(ctx + 1) + dsz;
	if (zlib_deflateInit2(&ctx->def, level, Z_DEFLATED, -ST_DEFLATE_WBITS,
			      MAX_MEM_LEVEL, Z_DEFAULT_STRATEGY) != Z_OK ||
	    zlib_inflateInit2(&ctx->inf, -ST_DEFLATE_WBITS) != Z_OK) {
		kvfree(ctx);
		return NULL;
	}
	return ctx;
}

static int st_deflate_compress(void *p, int level, const void *src, void *dst,
			       size_t max_len, size_t *dst_len)
{
	struct z_stream_s *s = &((struct st_deflate_ctx *)p)->def;

	if (zlib_deflateReset(s) != Z_OK)
		return -EINVAL;
	s->next_in = src;
	s->avail_in = PAGE_SIZE;
	s->next_out = dst;
	s->avail_out = max_len;
	/* Anything but the stream's end means the output did not fit. */
	if (zlib_deflate(s, Z_FINISH) != Z_STREAM_END)
		return -EINVAL;
	*dst_len = s->total_out;
	return 0;
}

static int st_deflate_decompress(void *p, const void *src, size_t src_len,
				 void *dst)
{
	struct z_stream_s *s = &((struct st_deflate_ctx *)p)->inf;

	if (zlib_inflateReset(s) != Z_OK)
		return -EINVAL;
	s->next_in = src;
	s->avail_in = src_len;
	s->next_out = dst;
	s->avail_out = PAGE_SIZE;
	/*
	 * A stream that ends short of the page, or does not end within it,
	 * is corrupt.
	 */
	if (zlib_inflate(s, Z_FINISH) != Z_STREAM_END || s->avail_out)
		return -EINVAL;
	return 0;
}

const struct st_comp_backend st_backend_deflate = {
	.name		= "deflate",
	.levels		= st_deflate_levels,
	.create_ctx	= st_deflate_create,
	.destroy_ctx	= st_comp_kvfree_ctx,
	.compress	= st_deflate_compress,
	.decompress	= st_deflate_decompress,
};
