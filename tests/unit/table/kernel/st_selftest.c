// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel self-test of the slot-table core: module/table.c linked with
 * this file into a throw-away swaptab.ko (see run.sh).  At load it
 *
 * - checks that what the table accounts matches what the kernel's
 *   allocators report (free pages, unreclaimable slab) for many clusters
 *   (TABLE) and for the static array (FLAT);
 * - runs threads that write, read and free slots of a few clusters that
 *   fill and empty all the time, frees in atomic context (as
 *   swap_slot_free_notify does), and checks every slot against a shadow,
 *   every object freed exactly once, and the counters at the end.
 *
 * The memory checks compare with the free page count (per-CPU lists
 * included), with allocations of 100+ MiB to drown the noise.
 *
 * Results are printed as "st_selftest: PASS <name>" / "FAIL <name>: ...".
 */
#include <linux/bitmap.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "table.h"

static int threads = 4;
module_param(threads, int, 0444);
MODULE_PARM_DESC(threads, "stress threads");
static int seconds = 10;
module_param(seconds, int, 0444);
MODULE_PARM_DESC(seconds, "stress duration");

#define ST_CLUSTERS	8		/* stressed clusters */
#define ST_PER_CLUSTER	16		/* stressed slots per cluster */
#define ST_SPREAD	5		/* clusters between stressed ones */
#define ST_NR_SLOTS	(64 * ST_CLUSTER_SLOTS)
#define ST_MAX_OBJS	BIT(24)

static int failures;
/* the slot counts every table here keeps (a device's, in swaptab.ko) */
static struct st_counts __percpu *st_counts;

#define st_fail(name, fmt, ...) do {					\
	failures++;							\
	pr_err("st_selftest: FAIL %s: " fmt "\n", name, ##__VA_ARGS__);	\
} while (0)
#define st_pass(name, fmt, ...) \
	pr_info("st_selftest: PASS %s: " fmt "\n", name, ##__VA_ARGS__)

/* Free pages, those on the per-CPU lists included (NR_FREE_PAGES leaves them out). */
static long st_free_bytes(void)
{
	long pages = global_zone_page_state(NR_FREE_PAGES);
	int nid, z, cpu;

	for_each_online_node(nid) {
		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[z];

			if (!populated_zone(zone) || !zone->per_cpu_pageset)
				continue;
			for_each_possible_cpu(cpu)
				pages += READ_ONCE(per_cpu_ptr(zone->per_cpu_pageset,
							       cpu)->count);
		}
	}
	return pages << PAGE_SHIFT;
}

static long st_slab_bytes(void)
{
	return global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B) << PAGE_SHIFT;
}

static int st_put(struct st_table *t, u64 slot, enum st_kind kind, unsigned long val)
{
	struct st_entry e = { .kind = kind, .val = val };
	struct st_slot_ref ref;
	int ret;

	ret = st_slot_lock(t, slot, true, GFP_NOIO, &ref);
	if (ret)
		return ret;
	st_slot_set(&ref, &e);
	st_slot_unlock(&ref);
	return 0;
}

/* Is @got within 10% of @want? */
static bool st_close(long got, long want)
{
	return got * 10 >= want * 9 && got * 10 <= want * 11;
}

/* TABLE: one slot in each of many clusters, then all cleared. */
static void st_test_table_memory(void)
{
	const u64 clusters = 32768, nr = 64ULL << 20;	/* 256 GiB device */
	struct st_table_stats s;
	struct st_table t;
	long free0, slab0, dfree, dslab, meta;
	u64 c;

	free0 = st_free_bytes();
	slab0 = st_slab_bytes();
	if (st_table_init(&t, nr, SWAPTAB_LAYOUT_TABLE, st_counts)) {
		st_fail("table-memory", "init failed");
		return;
	}
	for (c = 0; c < clusters; c++) {
		if (st_put(&t, c * ST_CLUSTER_SLOTS * 2, ST_OBJ, c)) {
			st_fail("table-memory", "put failed");
			goto out;
		}
	}
	st_table_stats(&t, &s);
	meta = s.meta_static_bytes + s.meta_dynamic_bytes;
	dfree = free0 - st_free_bytes();
	dslab = st_slab_bytes() - slab0;
	if (s.clusters_used != clusters || !st_close(dfree, meta))
		st_fail("table-memory", "%llu clusters, accounted %ld B, free pages fell %ld B",
			s.clusters_used, meta, dfree);
	else
		st_pass("table-memory",
			"accounted %ld B (%llu static), free pages fell %ld B, slab grew %ld B",
			meta, s.meta_static_bytes, dfree, dslab);

	for (c = 0; c < clusters; c++)
		st_put(&t, c * ST_CLUSTER_SLOTS * 2, ST_EMPTY, 0);
	st_table_stats(&t, &s);
	meta = s.meta_static_bytes + s.meta_dynamic_bytes;
	/* freed info blocks wait for kfree_rcu(), and slabs stay cached */
	if (s.clusters_used || s.meta_dynamic_bytes != (clusters / 256) * PAGE_SIZE)
		st_fail("table-memory-freed", "%llu clusters left, %llu B dynamic",
			s.clusters_used, s.meta_dynamic_bytes);
	else
		st_pass("table-memory-freed",
			"accounted %ld B (directory), free pages now %ld B below start",
			meta, free0 - st_free_bytes());
out:
	st_table_destroy(&t, NULL, NULL);
}

/* FLAT: the static array, like zram's table. */
static void st_test_flat_memory(void)
{
	const u64 nr = 8ULL << 20;	/* 32 GiB device */
	struct st_table_stats s;
	struct st_table t;
	long free0, dfree;

	free0 = st_free_bytes();
	if (st_table_init(&t, nr, SWAPTAB_LAYOUT_FLAT, st_counts)) {
		st_fail("flat-memory", "init failed");
		return;
	}
	st_table_stats(&t, &s);
	dfree = free0 - st_free_bytes();
	if (!st_close(dfree, s.meta_static_bytes))
		st_fail("flat-memory", "accounted %llu B, free pages fell %ld B",
			s.meta_static_bytes, dfree);
	else
		st_pass("flat-memory", "accounted %llu B (%llu B/slot), free pages fell %ld B",
			s.meta_static_bytes, s.meta_static_bytes / nr, dfree);
	st_table_destroy(&t, NULL, NULL);
}

/* ---- stress ---- */

struct st_shadow {
	unsigned long val;
	enum st_kind kind;
};

static struct st_table st_t;
static struct st_shadow *st_shadow;	/* per slot, touched under the slot lock */
static unsigned long *st_live;		/* object ids stored in the table */
static atomic_long_t st_next_obj;
static atomic_long_t st_errors, st_ops, st_busy;
static DEFINE_SPINLOCK(st_atomic_lock);	/* makes the free path atomic */

static void st_drop(const struct st_entry *e)
{
	if (e->kind != ST_OBJ && e->kind != ST_HUGE)
		return;
	if (e->val >= ST_MAX_OBJS || !test_and_clear_bit(e->val, st_live))
		atomic_long_inc(&st_errors);
}

static bool st_matches(u64 slot, const struct st_entry *e)
{
	return e->kind == st_shadow[slot].kind &&
	       (e->kind == ST_EMPTY || e->val == st_shadow[slot].val);
}

/* A new entry of a kind from @r; objects get a fresh id, marked live. */
static struct st_entry st_new_entry(u32 r)
{
	struct st_entry e = { .kind = (r >> 8) & 3, .val = r };

	if (e.kind == ST_OBJ || e.kind == ST_HUGE) {
		e.val = atomic_long_inc_return(&st_next_obj);
		if (e.val >= ST_MAX_OBJS)
			e.kind = ST_SAME;
		else
			set_bit(e.val, st_live);
	}
	return e;
}

static void st_stress_write(u64 slot, u32 r)
{
	struct st_slot_ref ref;
	struct st_entry e;

	if (st_slot_lock(&st_t, slot, true, GFP_NOIO, &ref)) {
		atomic_long_inc(&st_errors);
		return;
	}
	st_slot_get(&ref, &e);
	if (!st_matches(slot, &e))
		atomic_long_inc(&st_errors);
	st_drop(&e);
	e = st_new_entry(r);
	if ((r >> 12) & 1)
		usleep_range(10, 20);	/* a holder may sleep */
	st_slot_set(&ref, &e);
	st_shadow[slot].kind = e.kind;
	st_shadow[slot].val = e.kind == ST_EMPTY ? 0 : e.val;
	st_slot_unlock(&ref);
}

static void st_stress_read(u64 slot, u32 r)
{
	struct st_slot_ref ref;
	struct st_entry e;
	int ret;

	if ((r >> 12) & 1) {
		ret = st_slot_lock_read(&st_t, slot, &ref, &e);
	} else {
		ret = st_slot_lock(&st_t, slot, false, GFP_NOIO, &ref);
		if (!ret)
			st_slot_get(&ref, &e);
	}
	if (ret) {
		atomic_long_inc(&st_errors);
		return;
	}
	/* EMPTY may come from a missing cluster, which excludes nobody */
	if (e.kind != ST_EMPTY && !st_matches(slot, &e))
		atomic_long_inc(&st_errors);
	st_slot_unlock(&ref);
}

/* Like swap_slot_free_notify: atomic context, trylock only. */
static void st_stress_free(u64 slot)
{
	static const struct st_entry empty = { .kind = ST_EMPTY };
	struct st_slot_ref ref;
	struct st_entry e;

	spin_lock(&st_atomic_lock);
	if (!st_slot_trylock(&st_t, slot, &ref)) {
		spin_unlock(&st_atomic_lock);
		atomic_long_inc(&st_busy);
		return;
	}
	st_slot_get(&ref, &e);
	if (e.kind != ST_EMPTY) {
		if (!st_matches(slot, &e))
			atomic_long_inc(&st_errors);
		st_drop(&e);
		st_slot_set(&ref, &empty);
		st_shadow[slot].kind = ST_EMPTY;
	}
	st_slot_unlock(&ref);
	spin_unlock(&st_atomic_lock);
}

/*
 * Odd slots: the device's one-call paths, racing the even slots' lock, get,
 * set and unlock in the same clusters.  No shadow: each object id must come
 * back exactly once, and stay live while its slot is held.
 */
static void st_stress_one_call(u64 slot, u32 r, u32 op)
{
	struct st_slot_ref ref;
	struct st_entry e, old;

	if (op < 50) {
		e = st_new_entry(r);
		if (st_slot_xchg(&st_t, slot, &e, GFP_NOIO, &old)) {
			atomic_long_inc(&st_errors);
			st_drop(&e);
			return;
		}
		st_drop(&old);
	} else if (op < 75) {
		if (st_slot_lock_read(&st_t, slot, &ref, &e)) {
			atomic_long_inc(&st_errors);
			return;
		}
		if ((e.kind == ST_OBJ || e.kind == ST_HUGE) &&
		    (e.val >= ST_MAX_OBJS || !test_bit(e.val, st_live)))
			atomic_long_inc(&st_errors);
		st_slot_unlock(&ref);
	} else {
		/* like swap_slot_free_notify, in atomic context */
		spin_lock(&st_atomic_lock);
		if (st_slot_try_clear(&st_t, slot, &old))
			st_drop(&old);
		else
			atomic_long_inc(&st_busy);
		spin_unlock(&st_atomic_lock);
	}
}

static int st_stress_fn(void *arg)
{
	unsigned long end = jiffies + seconds * HZ;
	unsigned long n = 0;

	while (!kthread_should_stop() && time_before(jiffies, end)) {
		u32 r = get_random_u32();
		u64 slot = (u64)(r % ST_CLUSTERS) * ST_SPREAD * ST_CLUSTER_SLOTS +
			   (r >> 16) % ST_PER_CLUSTER;
		u32 op = (r >> 20) % 100;

		if (slot % 2)
			st_stress_one_call(slot, r, op);
		else if (op < 50)
			st_stress_write(slot, r);
		else if (op < 75)
			st_stress_read(slot, r);
		else
			st_stress_free(slot);
		if (!(++n % 64))
			cond_resched();
	}
	atomic_long_add(n, &st_ops);
	while (!kthread_should_stop())
		msleep(20);
	return 0;
}

static void st_release_obj(void *priv, const struct st_entry *e)
{
	st_drop(e);
}

static void st_test_stress(enum swaptab_layout layout, const char *name)
{
	struct task_struct **tasks;
	struct st_table_stats s;
	u64 slot, stored = 0, same = 0, huge = 0;
	int i;

	atomic_long_set(&st_errors, 0);
	atomic_long_set(&st_ops, 0);
	atomic_long_set(&st_busy, 0);
	atomic_long_set(&st_next_obj, 0);
	st_shadow = vzalloc(ST_NR_SLOTS * sizeof(*st_shadow));
	st_live = vzalloc(BITS_TO_LONGS(ST_MAX_OBJS) * sizeof(long));
	tasks = kcalloc(threads, sizeof(*tasks), GFP_KERNEL);
	if (!st_shadow || !st_live || !tasks ||
	    st_table_init(&st_t, ST_NR_SLOTS, layout, st_counts)) {
		st_fail(name, "setup failed");
		goto out_free;
	}
	for (i = 0; i < threads; i++) {
		tasks[i] = kthread_run(st_stress_fn, NULL, "st_stress/%d", i);
		if (IS_ERR(tasks[i])) {
			tasks[i] = NULL;
			st_fail(name, "kthread_run failed");
		}
	}
	msleep(seconds * 1000 + 200);
	for (i = 0; i < threads; i++)
		if (tasks[i])
			kthread_stop(tasks[i]);

	for (slot = 0; slot < ST_NR_SLOTS; slot++) {
		struct st_slot_ref ref;
		struct st_entry e;

		st_slot_lock(&st_t, slot, false, GFP_KERNEL, &ref);
		st_slot_get(&ref, &e);
		st_slot_unlock(&ref);
		if (!(slot % 2) && !st_matches(slot, &e))
			atomic_long_inc(&st_errors);
		stored += e.kind != ST_EMPTY;
		same += e.kind == ST_SAME;
		huge += e.kind == ST_HUGE;
	}
	st_table_stats(&st_t, &s);
	if (s.stored != stored || s.same != same || s.huge != huge)
		st_fail(name, "counters %llu/%llu/%llu, scan %llu/%llu/%llu",
			s.stored, s.same, s.huge, stored, same, huge);
	st_table_destroy(&st_t, st_release_obj, NULL);
	if (!bitmap_empty(st_live, ST_MAX_OBJS))
		st_fail(name, "objects never freed");
	if (atomic_long_read(&st_errors))
		st_fail(name, "%ld errors", atomic_long_read(&st_errors));
	else
		st_pass(name, "%ld ops on %d threads, %ld busy trylocks, %ld objects",
			atomic_long_read(&st_ops), threads, atomic_long_read(&st_busy),
			atomic_long_read(&st_next_obj));
out_free:
	kfree(tasks);
	vfree(st_live);
	vfree(st_shadow);
}

static int __init st_selftest_init(void)
{
	st_counts = alloc_percpu(struct st_counts);
	if (!st_counts)
		return -ENOMEM;
	st_test_flat_memory();
	st_test_table_memory();
	st_test_stress(SWAPTAB_LAYOUT_TABLE, "stress-table");
	st_test_stress(SWAPTAB_LAYOUT_FLAT, "stress-flat");
	pr_info("st_selftest: done, %d failures\n", failures);
	free_percpu(st_counts);
	return 0;
}

static void __exit st_selftest_exit(void)
{
}

module_init(st_selftest_init);
module_exit(st_selftest_exit);
MODULE_DESCRIPTION("swaptab slot table self-test");
MODULE_LICENSE("GPL");
