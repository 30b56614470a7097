/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compression for swaptab: one backend per algorithm, each calling a kernel
 * compression library directly (never the crypto API), and per-CPU streams.
 *
 * Three kinds of state, kept apart:
 *   struct st_comp_backend  immutable description of an algorithm
 *   struct st_comp          one device's choice: backend, level, streams
 *   struct st_comp_stream   per-CPU scratch: library context and buffers
 */
#ifndef _SWAPTAB_COMP_H
#define _SWAPTAB_COMP_H

#include <linux/types.h>
#include <linux/local_lock.h>
#include <linux/percpu.h>

/* Room for any backend's worst-case output of one page. */
#define ST_COMP_BUF_SIZE	(2 * PAGE_SIZE)

struct st_comp_backend {
	const char *name;
	/*
	 * levels - the accepted levels: *min..*max, and what level 0 (the
	 * default) means. min == max == 0: the algorithm has no levels.
	 */
	void (*levels)(int *min, int *max, int *def);
	/* create_ctx - library context for @level; adds its size to *bytes. May sleep. */
	void *(*create_ctx)(int level, size_t *bytes);
	void (*destroy_ctx)(void *ctx);
	/*
	 * compress - one page @src into @dst (room: ST_COMP_BUF_SIZE);
	 * 0 and *dst_len, or an error.  The caller keeps only outputs of at
	 * most @max_len bytes: a backend that can stop once its output passes
	 * that fails instead of running to the end of the page.  Never sleeps.
	 */
	int (*compress)(void *ctx, int level, const void *src, void *dst,
			size_t max_len, size_t *dst_len);
	/* decompress - exactly one page into @dst, or an error. Never sleeps. */
	int (*decompress)(void *ctx, const void *src, size_t src_len, void *dst);
};

/*
 * Per-CPU scratch.  @lock makes this CPU's stream the caller's until
 * st_comp_stream_put(): a local lock, so the holder stays on the CPU and
 * must not sleep (a pool allocation under it may not wait for reclaim),
 * and taking it costs no atomic operation, as zram's streams did before
 * they became sleepable in 6.14.
 */
struct st_comp_stream {
	local_lock_t lock;	/* owns the stream: get to put */
	void *ctx;		/* backend context */
	void *buffer;		/* ST_COMP_BUF_SIZE: compressed bytes */
	void *bounce;		/* PAGE_SIZE: page gathered from split bio segments */
};

struct st_comp {
	const struct st_comp_backend *backend;
	int level;				/* as given, 0 = default */
	int eff_level;				/* level passed to the library */
	struct st_comp_stream __percpu *streams;
	size_t bytes;				/* memory of all streams and contexts */
};

/* The extack text for an unknown algorithm: keep it in step with comp.c's registry. */
#define ST_COMP_UNKNOWN_MSG \
	"unknown algorithm; available: lzo-rle lzo lz4 lz4hc zstd deflate"

const struct st_comp_backend *st_comp_find(const char *name);
/* st_comp_names - the available algorithms, space separated, into @buf. */
void st_comp_names(char *buf, size_t len);
bool st_comp_level_ok(const struct st_comp_backend *b, int level, int *min,
		      int *max);

/* st_comp_create - streams for every possible CPU. May sleep. */
struct st_comp *st_comp_create(const struct st_comp_backend *b, int level);
void st_comp_destroy(struct st_comp *comp);

/*
 * Shared by backends.  st_comp_kvzalloc - a zeroed block for a context; adds
 * what the allocator really gives (page-rounded vmalloc, or kmalloc's
 * bucket: a power-of-two run of pages above 8 KiB) to *@bytes.  May sleep.
 * st_comp_kvfree_ctx - frees a context that is one such block.
 */
void *st_comp_kvzalloc(size_t size, size_t *bytes);
void st_comp_kvfree_ctx(void *ctx);
/* lz4's decompressor, which also reads lz4hc's output.  Never sleeps. */
int st_lz4_decompress(void *ctx, const void *src, size_t src_len, void *dst);

/*
 * st_comp_stream_get - take this CPU's stream; from then to
 * st_comp_stream_put() the caller runs with preemption off and must not
 * sleep.
 */
static inline struct st_comp_stream *st_comp_stream_get(struct st_comp *comp)
{
	local_lock(&comp->streams->lock);
	return this_cpu_ptr(comp->streams);
}

static inline void st_comp_stream_put(struct st_comp *comp)
{
	local_unlock(&comp->streams->lock);
}

static inline int st_comp_compress(struct st_comp *comp,
				   struct st_comp_stream *zstrm,
				   const void *src, void *dst, size_t max_len,
				   size_t *dst_len)
{
	return comp->backend->compress(zstrm->ctx, comp->eff_level, src, dst,
				       max_len, dst_len);
}

static inline int st_comp_decompress(struct st_comp *comp,
				     struct st_comp_stream *zstrm,
				     const void *src, size_t src_len, void *dst)
{
	return comp->backend->decompress(zstrm->ctx, src, src_len, dst);
}

extern const struct st_comp_backend st_backend_lzo;
extern const struct st_comp_backend st_backend_lzorle;
extern const struct st_comp_backend st_backend_lz4;
extern const struct st_comp_backend st_backend_lz4hc;
extern const struct st_comp_backend st_backend_zstd;
extern const struct st_comp_backend st_backend_deflate;

#endif /* _SWAPTAB_COMP_H */
