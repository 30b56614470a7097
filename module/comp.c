// SPDX-License-Identifier: GPL-2.0
/*
 * Compressor registry and per-CPU streams.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/cpumask.h>

#include "comp.h"

/* The first one is the default, as zram's. */
static const struct st_comp_backend *const st_backends[] = {
	&st_backend_lzorle,
	&st_backend_lzo,
	&st_backend_lz4,
	&st_backend_lz4hc,
	&st_backend_zstd,
	&st_backend_deflate,
};

const struct st_comp_backend *st_comp_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(st_backends); i++)
		if (!strcmp(st_backends[i]->name, name))
			return st_backends[i];
	return NULL;
}

void st_comp_names(char *buf, size_t len)
{
	unsigned int i;
	size_t at = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(st_backends); i++)
		at += scnprintf(buf + at, len - at, "%s%s", i ? " " : "",
				st_backends[i]->name);
}

/* Level 0 always means the backend's default. */
bool st_comp_level_ok(const struct st_comp_backend *b, int level, int *min,
		      int *max)
{
	int def;

	b->levels(min, max, &def);
	return !level || (level >= *min && level <= *max);
}

static void st_comp_free_streams(struct st_comp *comp)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct st_comp_stream *zstrm = per_cpu_ptr(comp->streams, cpu);

		if (zstrm->ctx)
			comp->backend->destroy_ctx(zstrm->ctx);
		kfree(zstrm->buffer);
		kfree(zstrm->bounce);
	}
	free_percpu(comp->streams);
}

/*
 * Every possible CPU gets its stream now, so CPU hotplug needs no callback;
 * the cost is per device and independent of its size.  May sleep.
 */
struct st_comp *st_comp_create(const struct st_comp_backend *b, int level)
{
	struct st_comp *comp;
	int min, max, def;
	int cpu;

	comp = kzalloc(sizeof(*comp), GFP_KERNEL);
	if (!comp)
		return NULL;
	comp->backend = b;
	comp->level = level;
	b->levels(&min, &max, &def);
	comp->eff_level = level ? level : def;
	comp->bytes = kmalloc_size_roundup(sizeof(*comp));

	comp->streams = alloc_percpu(struct st_comp_stream);
	if (!comp->streams)
		goto out_free_comp;
	for_each_possible_cpu(cpu)
		local_lock_init(&per_cpu_ptr(comp->streams, cpu)->lock);

	for_each_possible_cpu(cpu) {
		struct st_comp_stream *zstrm = per_cpu_ptr(comp->streams, cpu);

		comp->bytes += sizeof(*zstrm) + ST_COMP_BUF_SIZE + PAGE_SIZE;
		zstrm->buffer = kmalloc(ST_COMP_BUF_SIZE, GFP_KERNEL);
		zstrm->bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
		zstrm->ctx = b->create_ctx(comp->eff_level, &comp->bytes);
		if (!zstrm->buffer || !zstrm->bounce || !zstrm->ctx)
			goto out_free_streams;
	}
	return comp;

out_free_streams:
	st_comp_free_streams(comp);
out_free_comp:
	kfree(comp);
	return NULL;
}

void *st_comp_kvzalloc(size_t size, size_t *bytes)
{
	void *p = kvzalloc(size, GFP_KERNEL);

	if (p)
		*bytes += is_vmalloc_addr(p) ? PAGE_ALIGN(size) :
			  kmalloc_size_roundup(size);
	return p;
}

void st_comp_kvfree_ctx(void *ctx)
{
	kvfree(ctx);
}

/* May sleep.  No stream may be in use. */
void st_comp_destroy(struct st_comp *comp)
{
	if (!comp)
		return;
	st_comp_free_streams(comp);
	kfree(comp);
}
