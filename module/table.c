// SPDX-License-Identifier: GPL-2.0
/*
 * swaptab slot table: per-slot metadata allocated as slots are used.
 *
 * TABLE layout
 * ------------
 * Slot s belongs to cluster s / ST_CLUSTER_SLOTS.  A cluster is found in
 * two steps: t->dir[] (fixed at init, one pointer per ST_DIR_CLUSTERS
 * clusters) points to a directory page (allocated on first use, kept until
 * destroy), whose entries point to clusters (allocated on first write,
 * freed when the last stored slot is cleared and nobody holds a slot).
 *
 * A cluster is its info block (struct st_cluster, ~240 bytes, kmalloc-256)
 * and its table: one page of ST_CLUSTER_SLOTS words.  The word of a slot is
 * its entry's value (fill word, packed object, or handle); the slot's kind is a
 * two-bit code (the value of enum st_kind) kept in the kind_lo and kind_hi
 * bitmaps, so that the word can take any value.  The word of an ST_EMPTY
 * slot is meaningless (the table page is not zeroed).
 *
 * FLAT layout
 * -----------
 * One struct st_flat_entry per slot, vzalloc()ed at init like zram's table:
 * the word, and a flags word holding the lock bit and the kind code.
 *
 * Accounting: every allocation is counted at the size the allocator really
 * gives (page, kmalloc bucket, vmalloc pages).
 */
#include "table_internal.h"

/* Clusters per directory page. */
#define ST_DIR_CLUSTERS		(PAGE_SIZE / sizeof(void *))

/* Words in a per-cluster bitmap. */
#define ST_CLUSTER_LONGS	BITS_TO_LONGS(ST_CLUSTER_SLOTS)

struct st_dir {
	struct st_cluster __rcu *cluster[ST_DIR_CLUSTERS];
};

/*
 * Cluster info.  Lifetime, without locks: @refs counts one per stored slot,
 * plus one per task that waits for one of the cluster's slots or holds an
 * empty one (a "pin").  A held stored slot needs no pin: its own reference
 * cannot go while its holder alone may change the slot, and when the holder
 * empties it, that reference becomes the holder's pin; storing into a held
 * empty slot turns the pin into the slot's reference.  So reading or
 * freeing a stored slot, what swap does most, costs no atomic on @refs
 * (bar the last one of freeing).  A cluster is reached from its directory
 * entry under rcu_read_lock_sched(), which also keeps the info block
 * readable while an unpinned holder lets go of its slot; pins are taken
 * with atomic_inc_not_zero().  Whoever drops @refs to 0 unpublishes the
 * cluster (cmpxchg() of the entry) and frees it: the table page at once
 * (only holders and pinners touch it) and the info block after an RCU grace
 * period.
 * A finder that meets a cluster at 0 refs treats it as gone and unpublishes
 * it itself, so it never waits for the dying cluster's last unpinner.
 */
struct st_cluster {
	unsigned long *table;		/* ST_CLUSTER_SLOTS words, one page */
	unsigned long index;		/* cluster number */
	atomic_t refs;
	/* tasks that wait, or are about to, for one of the busy bits */
	atomic_t waiters;
	/* slot lock bits: set while the slot is held, waited on with wait_on_bit */
	unsigned long busy[ST_CLUSTER_LONGS];
	/*
	 * Kind code, bit 0 and bit 1, of every slot; a slot's bits are changed
	 * by its holder only, with atomic bitops (words are shared by slots).
	 * The cluster view counts slots by kind from them, so no per-cluster
	 * counter costs an atomic per slot update.
	 */
	unsigned long kind_lo[ST_CLUSTER_LONGS];
	unsigned long kind_hi[ST_CLUSTER_LONGS];
	struct rcu_head rcu;
};

/* FLAT entry: the size of the kernel's struct zram_table_entry. */
struct st_flat_entry {
	unsigned long val;
	unsigned long flags;		/* ST_FLAT_LOCK, kind code at ST_FLAT_KIND */
#if SWAPTAB_FLAT_ENTRY_SIZE > 16
	u64 ac_time;			/* unused: zram's access time */
#endif
};

#define ST_FLAT_LOCK		0
#define ST_FLAT_KIND		1	/* two bits */

static_assert(sizeof(struct st_flat_entry) == SWAPTAB_FLAT_ENTRY_SIZE);
static_assert(ST_EMPTY == 0 && ST_SAME == 1 && ST_OBJ == 2 && ST_HUGE == 3);

/* Bytes the allocator gives for a cluster's table and info. */
static size_t st_cluster_bytes(void)
{
	return PAGE_SIZE + kmalloc_size_roundup(sizeof(struct st_cluster));
}

/* Bytes the allocator gives for a kvmalloc()/vmalloc() of @size at @p. */
static size_t st_kv_bytes(const void *p, size_t size)
{
	if (is_vmalloc_addr(p))
		return PAGE_ALIGN(size);
	return kmalloc_size_roundup(size);
}

static bool st_kind_valid(enum st_kind kind)
{
	return kind == ST_EMPTY || kind == ST_SAME || kind == ST_OBJ ||
	       kind == ST_HUGE;
}

/* How the count of slots of kind @k changes when a slot goes from @from to @to. */
static int st_delta(enum st_kind from, enum st_kind to, enum st_kind k)
{
	return (int)(to == k) - (int)(from == k);
}

/* Adjust the table's counters for a slot's kind change. */
static __always_inline void st_count(struct st_table *t, enum st_kind from,
				     enum st_kind to)
{
	int used = -st_delta(from, to, ST_EMPTY);
	int same = st_delta(from, to, ST_SAME);
	int huge = st_delta(from, to, ST_HUGE);

	if (used)
		this_cpu_add(t->counts->stored, used);
	if (same)
		this_cpu_add(t->counts->same, same);
	if (huge)
		this_cpu_add(t->counts->huge, huge);
}

/* ---- TABLE layout ---- */

static struct st_dir *st_dir_of(struct st_table *t, unsigned long ci)
{
	/* pairs with the cmpxchg() publishing a zeroed directory page */
	return smp_load_acquire(&t->dir[ci / ST_DIR_CLUSTERS]);
}

/* Directory page of cluster @ci, allocated if missing.  May sleep if @gfp allows. */
static struct st_dir *st_dir_get(struct st_table *t, unsigned long ci, gfp_t gfp)
{
	struct st_dir *d = st_dir_of(t, ci);
	struct st_dir *old;

	if (d)
		return d;
	d = (struct st_dir *)get_zeroed_page(gfp);
	if (!d)
		return NULL;
	old = cmpxchg(&t->dir[ci / ST_DIR_CLUSTERS], NULL, d);
	if (old) {
		free_page((unsigned long)d);
		return old;
	}
	atomic_long_add(PAGE_SIZE, &t->meta_dynamic_bytes);
	return d;
}

/*
 * Clear the directory entry of @c (at 0 refs) unless it was cleared, and
 * maybe reused, already.  Never sleeps.
 */
static void st_cluster_unpublish(struct st_table *t, struct st_cluster *c)
{
	struct st_dir *d = st_dir_of(t, c->index);

	cmpxchg(&d->cluster[c->index % ST_DIR_CLUSTERS], RCU_INITIALIZER(c),
		NULL);
}

/*
 * Cluster @ci or NULL, in the caller's rcu_read_lock_sched() section.
 *
 * A preempt-disabled section is an RCU reader for kfree_rcu() (one RCU
 * since 4.20), and with preemptible RCU much cheaper than rcu_read_lock(),
 * an out-of-line call each way: lookups run for every page read, written
 * or freed.
 */
static __always_inline struct st_cluster *
st_cluster_lookup(struct st_table *t, unsigned long ci)
{
	struct st_dir *d = st_dir_of(t, ci);

	return d ? rcu_dereference_sched(d->cluster[ci % ST_DIR_CLUSTERS]) : NULL;
}

/*
 * Pin @c, found in the caller's RCU-sched section; false if it is dying
 * (then unpublished now rather than when its last unpinner gets to it).
 */
static __always_inline bool st_cluster_pin(struct st_table *t,
					   struct st_cluster *c)
{
	if (atomic_inc_not_zero(&c->refs))
		return true;
	st_cluster_unpublish(t, c);
	return false;
}

/* Find cluster @ci and pin it; NULL if it does not exist.  Never sleeps. */
static struct st_cluster *st_cluster_find(struct st_table *t, unsigned long ci)
{
	struct st_cluster *c;

	rcu_read_lock_sched();
	c = st_cluster_lookup(t, ci);
	if (c && !st_cluster_pin(t, c))
		c = NULL;
	rcu_read_unlock_sched();
	return c;
}

static struct st_cluster *st_cluster_alloc(unsigned long ci, gfp_t gfp)
{
	struct st_cluster *c;

	c = kzalloc(sizeof(*c), gfp);
	if (!c)
		return NULL;
	/* words of EMPTY slots are never read: no need to zero the page */
	c->table = (unsigned long *)__get_free_page(gfp);
	if (!c->table) {
		kfree(c);
		return NULL;
	}
	c->index = ci;
	atomic_set(&c->refs, 1);	/* pinned for the creator */
	return c;
}

/* Free a cluster nobody can reach.  Never sleeps. */
static void st_cluster_free(struct st_table *t, struct st_cluster *c)
{
	free_page((unsigned long)c->table);
	kfree_rcu(c, rcu);
	atomic_long_sub(st_cluster_bytes(), &t->meta_dynamic_bytes);
	atomic_long_dec(&t->clusters_used);
}

/*
 * Unpin @c; free it if that was the last pin and no slot of it is stored.
 * Never sleeps.
 */
static __always_inline void st_cluster_put(struct st_table *t,
					   struct st_cluster *c)
{
	if (!atomic_dec_and_test(&c->refs))
		return;
	st_cluster_unpublish(t, c);
	st_cluster_free(t, c);
}

/*
 * Create cluster @ci, or pin the one a concurrent creator published first.
 * Returns the cluster or ERR_PTR(-ENOMEM).  May sleep if @gfp allows.
 */
static noinline struct st_cluster *st_cluster_create(struct st_table *t,
						     unsigned long ci,
						     gfp_t gfp)
{
	struct st_cluster *c, *new;
	struct st_cluster __rcu *old;
	struct st_dir *d;

	d = st_dir_get(t, ci, gfp);
	if (!d)
		return ERR_PTR(-ENOMEM);
	new = st_cluster_alloc(ci, gfp);
	if (!new)
		return ERR_PTR(-ENOMEM);
	do {
		/* fully ordered: publishes the initialised cluster */
		old = cmpxchg(&d->cluster[ci % ST_DIR_CLUSTERS], NULL,
			      RCU_INITIALIZER(new));
		if (!old) {
			atomic_long_add(st_cluster_bytes(), &t->meta_dynamic_bytes);
			atomic_long_inc(&t->clusters_used);
			return new;
		}
		/* lost the race: use the winner's, unless it died meanwhile */
		c = st_cluster_find(t, ci);
	} while (!c);
	free_page((unsigned long)new->table);
	kfree(new);
	return c;
}

static __always_inline enum st_kind
st_cluster_kind(const struct st_cluster *c, unsigned int i)
{
	return (test_bit(i, c->kind_hi) ? 2 : 0) | (test_bit(i, c->kind_lo) ? 1 : 0);
}

static __always_inline void st_ref_cluster(struct st_table *t,
					   struct st_cluster *c, unsigned int i,
					   struct st_slot_ref *ref)
{
	ref->t = t;
	ref->where = c;
	ref->idx = i;
	if (!c)
		ref->kind = ST_EMPTY;
}

enum st_take { ST_TAKEN, ST_BUSY, ST_GONE };

/*
 * st_cluster_take - set the busy bit of slot @i of @c, found in the caller's
 * RCU-sched section, unless somebody holds it, and read the slot's kind
 * into @ref.  A stored slot is then held by its own reference; an empty one
 * is pinned here (@ref->pinned).  Returns ST_TAKEN, ST_BUSY (nothing taken)
 * or ST_GONE (@c is dying; nothing held).  Never sleeps.
 */
static __always_inline enum st_take st_cluster_take(struct st_table *t,
						    struct st_cluster *c,
						    unsigned int i,
						    struct st_slot_ref *ref)
{
	if (test_and_set_bit_lock(i, c->busy))
		return ST_BUSY;
	ref->kind = st_cluster_kind(c, i);
	ref->pinned = ref->kind == ST_EMPTY;
	if (!ref->pinned || st_cluster_pin(t, c))
		return ST_TAKEN;
	/* a dying cluster has no waiters to wake: waiters pin */
	clear_bit_unlock(i, c->busy);
	return ST_GONE;
}

/* Wait for, and take, the busy bit of slot @i of @c, pinned.  Sleeps. */
static noinline void st_cluster_wait(struct st_cluster *c, unsigned int i)
{
	atomic_inc(&c->waiters);
	/* count before testing the bit again: pairs with unlock's */
	smp_mb__after_atomic();
	wait_on_bit_lock(&c->busy[BIT_WORD(i)], i % BITS_PER_LONG,
			 TASK_UNINTERRUPTIBLE);
	atomic_dec(&c->waiters);
}

static __always_inline int st_table_lock(struct st_table *t, u64 slot,
					 bool create, gfp_t gfp,
					 struct st_slot_ref *ref)
{
	unsigned long ci = slot >> ST_CLUSTER_SHIFT;
	unsigned int i = slot & (ST_CLUSTER_SLOTS - 1);
	enum st_take taken = ST_TAKEN;
	struct st_cluster *c;

	rcu_read_lock_sched();
	c = st_cluster_lookup(t, ci);
	if (c) {
		taken = st_cluster_take(t, c, i, ref);
		if (taken == ST_BUSY) {
			/* a waiter sleeps: only a pin keeps the cluster */
			ref->pinned = true;
			if (!st_cluster_pin(t, c))
				taken = ST_GONE;
		}
		if (taken == ST_GONE)
			c = NULL;
	}
	rcu_read_unlock_sched();
	if (!c && create) {
		c = st_cluster_create(t, ci, gfp);
		if (IS_ERR(c))
			return PTR_ERR(c);
		ref->pinned = true;
		taken = ST_BUSY;
		if (!test_and_set_bit_lock(i, c->busy)) {
			taken = ST_TAKEN;
			ref->kind = st_cluster_kind(c, i);
		}
	}
	if (c && taken == ST_BUSY) {
		st_cluster_wait(c, i);
		ref->kind = st_cluster_kind(c, i);
	}
	st_ref_cluster(t, c, i, ref);
	return 0;
}

static __always_inline bool st_table_trylock(struct st_table *t, u64 slot,
					     struct st_slot_ref *ref)
{
	unsigned long ci = slot >> ST_CLUSTER_SHIFT;
	unsigned int i = slot & (ST_CLUSTER_SLOTS - 1);
	enum st_take taken = ST_TAKEN;
	struct st_cluster *c;

	rcu_read_lock_sched();
	c = st_cluster_lookup(t, ci);
	if (c)
		taken = st_cluster_take(t, c, i, ref);
	rcu_read_unlock_sched();
	if (taken == ST_BUSY)
		return false;
	st_ref_cluster(t, taken == ST_TAKEN ? c : NULL, i, ref);
	return true;
}

/*
 * Let go of the busy bit of slot @i of @c and wake a waiter, in the
 * caller's RCU-sched section.  Waking costs a hashed wait queue lookup, so
 * only when somebody may wait.  Never sleeps.
 */
static __always_inline void st_cluster_unbusy(struct st_cluster *c,
					      unsigned int i)
{
	clear_bit_unlock(i, c->busy);
	/* clear before reading @waiters: pairs with lock's count-then-test */
	smp_mb__after_atomic();
	if (atomic_read(&c->waiters))
		wake_up_bit(&c->busy[BIT_WORD(i)], i % BITS_PER_LONG);
}

static __always_inline void st_table_unlock(struct st_slot_ref *ref)
{
	struct st_cluster *c = ref->where;

	if (!c)
		return;
	/*
	 * Unpinned, the slot's own reference keeps @c only until the busy bit
	 * is clear: the RCU-sched section keeps its info block readable to the
	 * end.  A waiter holds its own pin.
	 */
	rcu_read_lock_sched();
	st_cluster_unbusy(c, ref->idx);
	rcu_read_unlock_sched();
	if (ref->pinned)
		st_cluster_put(ref->t, c);
}

/*
 * Store @e in held slot @i of @c, which holds kind @from: the word, the
 * kind bits and the table's counters.  The cluster's references are the
 * caller's business.  Never sleeps.
 */
static __always_inline void st_cluster_store(struct st_table *t,
					     struct st_cluster *c,
					     unsigned int i, enum st_kind from,
					     const struct st_entry *e)
{
	/* once: st_cluster_view() reads it unlocked */
	if (e->kind != ST_EMPTY)
		WRITE_ONCE(c->table[i], e->val);
	if (e->kind == from)
		return;
	if ((e->kind ^ from) & 1)
		assign_bit(i, c->kind_lo, e->kind & 1);
	if ((e->kind ^ from) & 2)
		assign_bit(i, c->kind_hi, e->kind & 2);
	st_count(t, from, e->kind);
}

static __always_inline void st_table_set(struct st_slot_ref *ref,
					 const struct st_entry *e)
{
	struct st_cluster *c = ref->where;

	if (!c) {
		/* locked without create on a missing cluster: only clearing is possible */
		WARN_ON_ONCE(e->kind != ST_EMPTY);
		return;
	}
	st_cluster_store(ref->t, c, ref->idx, ref->kind, e);
	if (e->kind == ref->kind)
		return;
	/* the cluster reference moves between holder and slot (see st_cluster) */
	if (ref->kind == ST_EMPTY)
		ref->pinned = false;	/* a held empty slot is pinned */
	else if (e->kind == ST_EMPTY && ref->pinned)
		atomic_dec(&c->refs);	/* never the last: the pin stays */
	else if (e->kind == ST_EMPTY)
		ref->pinned = true;
	ref->kind = e->kind;
}

static __always_inline void st_table_get(const struct st_slot_ref *ref,
					 struct st_entry *e)
{
	const struct st_cluster *c = ref->where;

	e->kind = ref->kind;
	e->val = ref->kind == ST_EMPTY ? 0 : c->table[ref->idx];
}

/*
 * st_table_xchg_fast - st_slot_xchg() and st_slot_try_clear() in one
 * RCU-sched section, with no slot ref: find, take, swap and let go, when
 * the slot's cluster exists and nobody holds the slot, which is nearly
 * always.  The general path takes two sections, reads the kind twice and
 * keeps a ref: a quarter of the table's instructions per page written.
 * Returns false, having changed and held nothing, when the cluster is
 * missing or dying, or the slot busy (then *@busy).  Never sleeps.
 */
static __always_inline bool st_table_xchg_fast(struct st_table *t, u64 slot,
					       const struct st_entry *e,
					       struct st_entry *old,
					       bool *busy)
{
	unsigned int i = slot & (ST_CLUSTER_SLOTS - 1);
	struct st_cluster *c;
	enum st_kind from;
	bool put = false;

	rcu_read_lock_sched();
	c = st_cluster_lookup(t, slot >> ST_CLUSTER_SHIFT);
	if (!c)
		goto miss;
	*busy = test_and_set_bit_lock(i, c->busy);
	if (*busy)
		goto miss;
	from = st_cluster_kind(c, i);
	/* a stored slot holds a reference (see st_cluster) */
	if (from == ST_EMPTY && e->kind != ST_EMPTY &&
	    !atomic_inc_not_zero(&c->refs)) {
		/* dying: the general path unpublishes it; no waiters to wake */
		clear_bit_unlock(i, c->busy);
		goto miss;
	}
	old->kind = from;
	old->val = from == ST_EMPTY ? 0 : c->table[i];
	if (from != ST_EMPTY || e->kind != ST_EMPTY) {
		st_cluster_store(t, c, i, from, e);
		put = e->kind == ST_EMPTY;
	}
	st_cluster_unbusy(c, i);
	rcu_read_unlock_sched();
	/* the emptied slot's reference, held to here */
	if (put)
		st_cluster_put(t, c);
	return true;
miss:
	rcu_read_unlock_sched();
	return false;
}

static int st_table_setup(struct st_table *t)
{
	unsigned long nr_clusters = DIV_ROUND_UP(t->nr_slots, ST_CLUSTER_SLOTS);

	t->nr_dir = DIV_ROUND_UP(nr_clusters, ST_DIR_CLUSTERS);
	t->dir = kvcalloc(t->nr_dir, sizeof(*t->dir), GFP_KERNEL);
	if (!t->dir)
		return -ENOMEM;
	t->meta_static_bytes = st_kv_bytes(t->dir, t->nr_dir * sizeof(*t->dir));
	return 0;
}

static void st_table_teardown(struct st_table *t,
			      void (*release)(void *priv, const struct st_entry *e),
			      void *priv)
{
	struct st_cluster *c;
	struct st_entry e;
	unsigned long di, j;
	unsigned int i;

	for (di = 0; di < t->nr_dir; di++) {
		struct st_dir *d = t->dir[di];

		if (!d)
			continue;
		for (j = 0; j < ST_DIR_CLUSTERS; j++) {
			c = rcu_dereference_protected(d->cluster[j], true);
			if (!c)
				continue;
			for (i = 0; release && i < ST_CLUSTER_SLOTS; i++) {
				e.kind = st_cluster_kind(c, i);
				if (e.kind != ST_OBJ && e.kind != ST_HUGE)
					continue;
				e.val = c->table[i];
				release(priv, &e);
			}
			free_page((unsigned long)c->table);
			kfree(c);
		}
		free_page((unsigned long)d);
		cond_resched();
	}
	kvfree(t->dir);
	t->dir = NULL;
	t->nr_dir = 0;
}

/*
 * Slots of @kind in @c, from its kind bitmaps: a snapshot that may mix
 * moments while slots change, as any counter read would.
 */
static unsigned int st_cluster_count(const struct st_cluster *c,
				     enum st_kind kind)
{
	unsigned int i, n = 0;

	for (i = 0; i < ST_CLUSTER_LONGS; i++) {
		unsigned long lo = READ_ONCE(c->kind_lo[i]);
		unsigned long hi = READ_ONCE(c->kind_hi[i]);

		n += hweight_long((kind & 1 ? lo : ~lo) & (kind & 2 ? hi : ~hi));
	}
	return n;
}

/* Fill @v from pinned cluster @c (its table page stays while pinned). */
static void st_cluster_view(const struct st_cluster *c,
			    struct st_cluster_view *v)
{
	struct st_entry e;
	unsigned int i;

	v->index = c->index;
	v->used = ST_CLUSTER_SLOTS - st_cluster_count(c, ST_EMPTY);
	v->same = st_cluster_count(c, ST_SAME);
	v->huge = st_cluster_count(c, ST_HUGE);
	v->bytes = (u64)v->huge * PAGE_SIZE;
	for (i = 0; i < ST_CLUSTER_SLOTS; i++) {
		if (st_cluster_kind(c, i) != ST_OBJ)
			continue;
		e.kind = ST_OBJ;
		e.val = READ_ONCE(c->table[i]);
		v->bytes += st_entry_bytes(&e);
	}
	v->meta_bytes = st_cluster_bytes();
}

static int st_table_walk(struct st_table *t,
			 int (*fn)(void *priv, const struct st_cluster_view *v),
			 void *priv)
{
	struct st_cluster_view v;
	struct st_cluster *c;
	unsigned long ci;
	int ret;

	for (ci = 0; ci < t->nr_dir * ST_DIR_CLUSTERS; ci++) {
		if (!(ci % ST_DIR_CLUSTERS)) {
			cond_resched();
			if (!st_dir_of(t, ci)) {
				ci += ST_DIR_CLUSTERS - 1;
				continue;
			}
		}
		c = st_cluster_find(t, ci);
		if (!c)
			continue;
		st_cluster_view(c, &v);
		st_cluster_put(t, c);
		ret = fn(priv, &v);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- FLAT layout ---- */

static enum st_kind st_flat_kind(unsigned long flags)
{
	return (flags >> ST_FLAT_KIND) & 3;
}

static void st_ref_flat(struct st_table *t, struct st_flat_entry *fe,
			struct st_slot_ref *ref)
{
	ref->t = t;
	ref->where = fe;
	ref->idx = 0;
	ref->kind = st_flat_kind(READ_ONCE(fe->flags));
}

static void st_flat_set(struct st_slot_ref *ref, const struct st_entry *e)
{
	struct st_flat_entry *fe = ref->where;

	/* once: st_flat_walk() reads it unlocked */
	WRITE_ONCE(fe->val, e->kind == ST_EMPTY ? 0 : e->val);
	if (e->kind == ref->kind)
		return;
	/* atomic: lockers test_and_set the lock bit of this word */
	assign_bit(ST_FLAT_KIND, &fe->flags, e->kind & 1);
	assign_bit(ST_FLAT_KIND + 1, &fe->flags, e->kind & 2);
	st_count(ref->t, ref->kind, e->kind);
	ref->kind = e->kind;
}

static int st_flat_setup(struct st_table *t)
{
	size_t size = t->nr_slots * sizeof(struct st_flat_entry);

	/* like zram: vmalloc, also beyond kvmalloc's INT_MAX limit */
	t->flat = vzalloc(size);
	if (!t->flat)
		return -ENOMEM;
	t->meta_static_bytes = st_kv_bytes(t->flat, size);
	return 0;
}

static void st_flat_teardown(struct st_table *t,
			     void (*release)(void *priv, const struct st_entry *e),
			     void *priv)
{
	struct st_entry e;
	u64 s;

	for (s = 0; release && s < t->nr_slots; s++) {
		e.kind = st_flat_kind(t->flat[s].flags);
		if (e.kind == ST_OBJ || e.kind == ST_HUGE) {
			e.val = t->flat[s].val;
			release(priv, &e);
		}
		if (!(s % (64 * ST_CLUSTER_SLOTS)))
			cond_resched();
	}
	vfree(t->flat);
	t->flat = NULL;
}

static int st_flat_walk(struct st_table *t,
			int (*fn)(void *priv, const struct st_cluster_view *v),
			void *priv)
{
	struct st_cluster_view v;
	u64 s, end;
	int ret;

	for (s = 0; s < t->nr_slots; s = end) {
		end = min_t(u64, s + ST_CLUSTER_SLOTS, t->nr_slots);
		v.index = s >> ST_CLUSTER_SHIFT;
		v.used = 0;
		v.same = 0;
		v.huge = 0;
		v.bytes = 0;
		v.meta_bytes = (end - s) * sizeof(struct st_flat_entry);
		for (; s < end; s++) {
			struct st_entry e = {
				.kind = st_flat_kind(READ_ONCE(t->flat[s].flags)),
				.val = READ_ONCE(t->flat[s].val),
			};

			v.used += e.kind != ST_EMPTY;
			v.same += e.kind == ST_SAME;
			v.huge += e.kind == ST_HUGE;
			v.bytes += st_entry_bytes(&e);
		}
		if (v.used) {
			ret = fn(priv, &v);
			if (ret)
				return ret;
		}
		cond_resched();
	}
	return 0;
}

/* ---- API ---- */

static void st_counts_clear(struct st_table *t)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(t->counts, cpu), 0, sizeof(struct st_counts));
}

int st_table_init(struct st_table *t, u64 nr_slots, enum swaptab_layout layout,
		  struct st_counts __percpu *counts)
{
	int ret;

	memset(t, 0, sizeof(*t));
	if (!counts)
		return -EINVAL;
	/* set even on failure: st_table_stats() reads them */
	t->counts = counts;
	st_counts_clear(t);
	if (!nr_slots || nr_slots > ST_MAX_SLOTS)
		return -EINVAL;
	t->layout = layout;
	t->nr_slots = nr_slots;
	switch (layout) {
	case SWAPTAB_LAYOUT_TABLE:
		ret = st_table_setup(t);
		break;
	case SWAPTAB_LAYOUT_FLAT:
		ret = st_flat_setup(t);
		break;
	default:
		ret = -EINVAL;
	}
	if (ret)
		t->nr_slots = 0;
	return ret;
}

void st_table_destroy(struct st_table *t,
		      void (*release)(void *priv, const struct st_entry *e),
		      void *priv)
{
	if (t->layout == SWAPTAB_LAYOUT_FLAT) {
		if (t->flat)
			st_flat_teardown(t, release, priv);
	} else if (t->dir) {
		st_table_teardown(t, release, priv);
	}
	t->nr_slots = 0;
	t->meta_static_bytes = 0;
	atomic_long_set(&t->meta_dynamic_bytes, 0);
	atomic_long_set(&t->clusters_used, 0);
	if (t->counts)
		st_counts_clear(t);
}

/*
 * The slot operations, for either layout.  They and the cluster helpers
 * under them are always inlined so that the general paths of st_slot_xchg()
 * and st_slot_try_clear() (st_slot_*_ref()), when their fast path misses,
 * are one call rather than ten (a call and return is cheap on hardware, not
 * under QEMU's TCG, where the benchmark runs, and neither is free); the
 * exported st_slot_*() wrap them for everybody else.
 */
static __always_inline int st_ref_lock(struct st_table *t, u64 slot,
				       bool create, gfp_t gfp,
				       struct st_slot_ref *ref)
{
	struct st_flat_entry *fe;

	/*
	 * The debug check alone: might_sleep() is also a voluntary
	 * preemption point, a call on every page read or written.
	 */
	__might_sleep(__FILE__, __LINE__);
	if (WARN_ON_ONCE(slot >= t->nr_slots))
		return -EINVAL;
	if (t->layout != SWAPTAB_LAYOUT_FLAT)
		return st_table_lock(t, slot, create, gfp, ref);
	fe = &t->flat[slot];
	wait_on_bit_lock(&fe->flags, ST_FLAT_LOCK, TASK_UNINTERRUPTIBLE);
	st_ref_flat(t, fe, ref);
	return 0;
}

static __always_inline bool st_ref_trylock(struct st_table *t, u64 slot,
					   struct st_slot_ref *ref)
{
	struct st_flat_entry *fe;

	if (WARN_ON_ONCE(slot >= t->nr_slots))
		return false;
	if (t->layout != SWAPTAB_LAYOUT_FLAT)
		return st_table_trylock(t, slot, ref);
	fe = &t->flat[slot];
	if (test_and_set_bit_lock(ST_FLAT_LOCK, &fe->flags))
		return false;
	st_ref_flat(t, fe, ref);
	return true;
}

static __always_inline void st_ref_get(const struct st_slot_ref *ref,
				       struct st_entry *e)
{
	const struct st_flat_entry *fe;

	if (ref->t->layout != SWAPTAB_LAYOUT_FLAT) {
		st_table_get(ref, e);
		return;
	}
	fe = ref->where;
	e->kind = ref->kind;
	e->val = ref->kind == ST_EMPTY ? 0 : fe->val;
}

static __always_inline void st_ref_set(struct st_slot_ref *ref,
				       const struct st_entry *e)
{
	if (WARN_ON_ONCE(!st_kind_valid(e->kind)))
		return;
	if (ref->t->layout != SWAPTAB_LAYOUT_FLAT)
		st_table_set(ref, e);
	else
		st_flat_set(ref, e);
}

static __always_inline void st_ref_unlock(struct st_slot_ref *ref)
{
	struct st_flat_entry *fe;

	if (ref->t->layout != SWAPTAB_LAYOUT_FLAT) {
		st_table_unlock(ref);
		return;
	}
	fe = ref->where;
	clear_and_wake_up_bit(ST_FLAT_LOCK, &fe->flags);
}

int st_slot_lock(struct st_table *t, u64 slot, bool create, gfp_t gfp,
		 struct st_slot_ref *ref)
{
	return st_ref_lock(t, slot, create, gfp, ref);
}

bool st_slot_trylock(struct st_table *t, u64 slot, struct st_slot_ref *ref)
{
	return st_ref_trylock(t, slot, ref);
}

void st_slot_get(const struct st_slot_ref *ref, struct st_entry *e)
{
	st_ref_get(ref, e);
}

void st_slot_set(struct st_slot_ref *ref, const struct st_entry *e)
{
	st_ref_set(ref, e);
}

void st_slot_unlock(struct st_slot_ref *ref)
{
	st_ref_unlock(ref);
}

int st_slot_lock_read(struct st_table *t, u64 slot, struct st_slot_ref *ref,
		      struct st_entry *e)
{
	unsigned int i = slot & (ST_CLUSTER_SLOTS - 1);
	struct st_cluster *c;
	int ret;

	__might_sleep(__FILE__, __LINE__);	/* as st_ref_lock() */
	if (t->layout == SWAPTAB_LAYOUT_FLAT || slot >= t->nr_slots)
		goto general;
	/* one RCU-sched section and one kind read, as st_table_xchg_fast() */
	rcu_read_lock_sched();
	c = st_cluster_lookup(t, slot >> ST_CLUSTER_SHIFT);
	if (c && test_and_set_bit_lock(i, c->busy)) {
		rcu_read_unlock_sched();
		goto general;
	}
	e->kind = c ? st_cluster_kind(c, i) : ST_EMPTY;
	e->val = 0;
	if (e->kind != ST_EMPTY) {
		/* held by its own reference (see st_cluster) */
		e->val = c->table[i];
	} else if (c) {
		/* nothing to keep: let go, as for a missing cluster */
		st_cluster_unbusy(c, i);
		c = NULL;
	}
	rcu_read_unlock_sched();
	ref->kind = e->kind;
	ref->pinned = false;
	st_ref_cluster(t, c, i, ref);
	return 0;
general:
	ret = st_slot_lock(t, slot, false, 0, ref);
	if (!ret)
		st_ref_get(ref, e);
	return ret;
}

u64 st_table_next_stored(struct st_table *t, u64 slot, u64 end)
{
	struct st_dir *d;
	unsigned long ci;

	end = min_t(u64, end, t->nr_slots);
	if (t->layout == SWAPTAB_LAYOUT_FLAT)
		return min_t(u64, slot, end);
	while (slot < end) {
		ci = slot >> ST_CLUSTER_SHIFT;
		d = st_dir_of(t, ci);
		if (!d) {
			/* a whole directory page of clusters never used */
			slot = (u64)(ci / ST_DIR_CLUSTERS + 1) *
			       ST_DIR_CLUSTERS << ST_CLUSTER_SHIFT;
			continue;
		}
		if (rcu_access_pointer(d->cluster[ci % ST_DIR_CLUSTERS]))
			return slot;
		slot = (u64)(ci + 1) << ST_CLUSTER_SHIFT;
	}
	return end;
}

/* Swap @e into the locked slot of @ref, @old gets what it held; unlock. */
static __always_inline void st_ref_xchg(struct st_slot_ref *ref,
					const struct st_entry *e,
					struct st_entry *old)
{
	st_ref_get(ref, old);
	if (old->kind != ST_EMPTY || e->kind != ST_EMPTY)
		st_ref_set(ref, e);
	st_ref_unlock(ref);
}

/* st_slot_xchg() through a slot ref: out of line, off the fast path's frame. */
static noinline int st_slot_xchg_ref(struct st_table *t, u64 slot,
				     const struct st_entry *e, gfp_t gfp,
				     struct st_entry *old)
{
	struct st_slot_ref ref = { .t = t };	/* gcc cannot see it is set */
	int ret;

	ret = st_ref_lock(t, slot, e->kind != ST_EMPTY, gfp, &ref);
	if (ret)
		return ret;
	st_ref_xchg(&ref, e, old);
	return 0;
}

int st_slot_xchg(struct st_table *t, u64 slot, const struct st_entry *e,
		 gfp_t gfp, struct st_entry *old)
{
	bool busy;

	__might_sleep(__FILE__, __LINE__);	/* as st_ref_lock() */
	if (t->layout != SWAPTAB_LAYOUT_FLAT && slot < t->nr_slots &&
	    st_table_xchg_fast(t, slot, e, old, &busy))
		return 0;
	return st_slot_xchg_ref(t, slot, e, gfp, old);
}

static const struct st_entry st_empty = { .kind = ST_EMPTY };

/* st_slot_try_clear() through a slot ref: out of line, as st_slot_xchg_ref(). */
static noinline bool st_slot_try_clear_ref(struct st_table *t, u64 slot,
					   struct st_entry *old)
{
	struct st_slot_ref ref = { .t = t };	/* gcc cannot see it is set */

	if (!st_ref_trylock(t, slot, &ref))
		return false;
	st_ref_xchg(&ref, &st_empty, old);
	return true;
}

bool st_slot_try_clear(struct st_table *t, u64 slot, struct st_entry *old)
{
	bool busy = false;

	if (t->layout == SWAPTAB_LAYOUT_FLAT || slot >= t->nr_slots)
		return st_slot_try_clear_ref(t, slot, old);
	/* clearing never misses a dying cluster: it takes no reference */
	if (st_table_xchg_fast(t, slot, &st_empty, old, &busy))
		return true;
	if (busy)
		return false;
	/* no cluster: nothing stored */
	old->kind = ST_EMPTY;
	old->val = 0;
	return true;
}

void st_table_stats(struct st_table *t, struct st_table_stats *s)
{
	struct st_counts __percpu *counts = READ_ONCE(t->counts);
	long stored = 0, same = 0, huge = 0;
	int cpu;

	s->meta_static_bytes = t->meta_static_bytes;
	s->meta_dynamic_bytes = atomic_long_read(&t->meta_dynamic_bytes);
	s->clusters_used = atomic_long_read(&t->clusters_used);
	for_each_possible_cpu(cpu) {
		const struct st_counts *c;

		if (!counts)	/* never initialised */
			break;
		c = per_cpu_ptr(counts, cpu);
		stored += READ_ONCE(c->stored);
		same += READ_ONCE(c->same);
		huge += READ_ONCE(c->huge);
	}
	/* a sum taken while slots move between CPUs may dip below 0 */
	s->stored = max(stored, 0L);
	s->same = max(same, 0L);
	s->huge = max(huge, 0L);
}

int st_cluster_walk(struct st_table *t,
		    int (*fn)(void *priv, const struct st_cluster_view *v),
		    void *priv)
{
	might_sleep();
	if (t->layout == SWAPTAB_LAYOUT_FLAT)
		return t->flat ? st_flat_walk(t, fn, priv) : 0;
	return st_table_walk(t, fn, priv);
}
