/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swaptab slot table: the per-slot metadata of a swaptab device.
 *
 * A device of N slots (one slot per PAGE_SIZE sector range) keeps, for every
 * slot, what is stored there:
 *
 *   ST_EMPTY  never written, or freed; reads as zeroes.
 *   ST_SAME   the page is one machine word repeated (zero included); the word
 *             itself is the entry value, nothing is allocated in the pool.
 *   ST_OBJ    a compressed object in the zsmalloc pool; the value packs the
 *             compressed length and a reference to the object (see
 *             st_obj_val() below), opaque to the table otherwise.
 *   ST_HUGE   the page stored raw (PAGE_SIZE bytes) in the pool; the value is
 *             the handle.
 *
 * Two layouts share this API; the device picks one at creation:
 *
 * SWAPTAB_LAYOUT_TABLE - slots are grouped in clusters of ST_CLUSTER_SLOTS.
 *   A cluster is a "swap table" (one word per slot, one page) plus a small
 *   info block holding the kind of every slot as two bitmaps, the per-slot
 *   lock bits and counters.  A cluster is allocated when its first slot is
 *   written and freed when its last slot is cleared.  Clusters are found
 *   through a sparse two-level directory: a small array fixed at init (one
 *   pointer per ST_DIR_CLUSTERS clusters) of directory pages allocated on
 *   demand.  Cost: ~8 KiB static per TiB of device; 4096 + 256 bytes per
 *   cluster in use (~8.5 bytes per stored page in well-filled clusters).
 *
 * SWAPTAB_LAYOUT_FLAT - one entry per slot, allocated at init, laid out and
 *   sized like the running kernel's struct zram_table_entry, for comparison
 *   with zram.  Kind and lock bits live in the entry's flags word.
 *
 * Locking (both layouts)
 * ----------------------
 * Every access to a slot happens between st_slot_lock()/st_slot_trylock() and
 * st_slot_unlock(), through a struct st_slot_ref on the caller's stack.
 * While a slot is locked, its holder owns the slot's entry: st_slot_get() and
 * st_slot_set() need no other lock.  A slot lock is a sleeping-safe bit lock:
 * the holder may sleep (e.g. across zsmalloc reads or decompression) and
 * st_slot_lock() sleeps (TASK_UNINTERRUPTIBLE) while another holder has the
 * slot.  st_slot_trylock() and st_slot_unlock() never sleep and may be called
 * from atomic context (swap_slot_free_notify, which runs in process context
 * under spinlocks); no call may come from hard or soft interrupt context.
 * Different slots, also of the same cluster, are locked independently.  One
 * task holds at most one slot lock at a time (no order between slot locks
 * is defined).
 *
 * TABLE layout, slot without a cluster: st_slot_lock() without create and
 * st_slot_trylock() find nothing stored and return a ref that reads as
 * ST_EMPTY but holds no lock, so it does not exclude a concurrent create
 * lock of that slot: the read or clear is ordered before that write.  The
 * swap layer never reads or frees a slot while it writes it, so this is all
 * it needs.  FLAT slots always exist: every lock is a real one.
 *
 * Inside the table: a cluster is kept (an atomic refcount, no lock) while
 * any of its slots is stored, held empty, or waited for; whoever drops the
 * last reference unpublishes it and frees it, its info block after an RCU
 * grace period (lookups are RCU-protected).  The directory pages are
 * installed with cmpxchg() and kept until destroy.
 *
 * st_table_init() and st_table_destroy() must not race with any other call.
 * st_table_stats() and st_cluster_walk() may run concurrently with I/O; their
 * figures are then a snapshot that may be slightly stale.
 *
 * Accounting: meta_static_bytes is what init allocated, meta_dynamic_bytes
 * what was allocated since and not yet freed, both at the size the allocator
 * gives (pages, kmalloc buckets, page-rounded vmalloc).  An emptied
 * cluster's info block is counted as freed when it is handed to kfree_rcu().
 */
#ifndef SWAPTAB_TABLE_H
#define SWAPTAB_TABLE_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/swaptab.h>
#include <asm/page.h>

/* Slots per cluster, as in the kernel's swap table. */
#define ST_CLUSTER_SHIFT	9
#define ST_CLUSTER_SLOTS	BIT(ST_CLUSTER_SHIFT)

/* Largest device: 2^36 slots (256 TiB with 4 KiB pages). */
#define ST_MAX_SLOTS		BIT_ULL(36)

enum st_kind {
	ST_EMPTY = 0,
	ST_SAME,
	ST_OBJ,
	ST_HUGE,
};

/*
 * What a slot holds.  val: fill word (ST_SAME), st_obj_val() (ST_OBJ),
 * handle (ST_HUGE); 0 if ST_EMPTY.
 */
struct st_entry {
	enum st_kind kind;
	unsigned long val;
};

/*
 * ST_OBJ value: the compressed length (below PAGE_SIZE) in the top
 * ST_OBJ_LEN_BITS bits, the pool object's reference (the store layer's
 * compact form of its handle, at most ST_OBJ_REF_MAX) in the rest.  With the
 * length in the slot, an object is pure payload, and neither a read nor a
 * free has to look into the pool to learn its size.
 */
#define ST_OBJ_LEN_BITS		PAGE_SHIFT
#define ST_OBJ_REF_BITS		(BITS_PER_LONG - ST_OBJ_LEN_BITS)
#define ST_OBJ_REF_MAX		(BIT(ST_OBJ_REF_BITS) - 1)

static inline unsigned long st_obj_val(unsigned long ref, unsigned int len)
{
	return (unsigned long)len << ST_OBJ_REF_BITS | ref;
}

static inline unsigned long st_obj_ref(unsigned long val)
{
	return val & ST_OBJ_REF_MAX;
}

static inline unsigned int st_obj_len(unsigned long val)
{
	return val >> ST_OBJ_REF_BITS;
}

/* Pool bytes @e's slot holds: its compressed length, a page if huge, or 0. */
static inline size_t st_entry_bytes(const struct st_entry *e)
{
	if (e->kind == ST_HUGE)
		return PAGE_SIZE;
	return e->kind == ST_OBJ ? st_obj_len(e->val) : 0;
}

struct st_dir;			/* directory page, private to table.c */
struct st_cluster;		/* cluster info, private to table.c */
struct st_flat_entry;		/* FLAT entry, private to table.c */

/*
 * Slots by kind, one set per CPU, summed by st_table_stats(): a slot update
 * costs no shared atomic for them.  A CPU's figure may go negative (a slot
 * stored on one CPU and freed on another).  The table's user owns them, so
 * that they outlive st_table_destroy() for readers of the figures.
 */
struct st_counts {
	long stored;		/* any kind but ST_EMPTY */
	long same;
	long huge;
};

/*
 * One device's slot table, embedded in the device.  All fields are private
 * to table.c; read the figures with st_table_stats().
 */
struct st_table {
	enum swaptab_layout layout;
	u64 nr_slots;
	/* TABLE: nr_dir pointers to directory pages, installed once by cmpxchg, freed at destroy */
	struct st_dir **dir;
	unsigned long nr_dir;
	/* FLAT: nr_slots entries */
	struct st_flat_entry *flat;
	/* bytes allocated at init (directory array or flat entries) */
	u64 meta_static_bytes;
	/* bytes allocated since init: directory pages, clusters */
	atomic_long_t meta_dynamic_bytes;
	atomic_long_t clusters_used;
	struct st_counts __percpu *counts;
};

/*
 * A locked slot, held through a caller-stack object between lock and unlock.
 * Fields are private to table.c.
 */
struct st_slot_ref {
	struct st_table *t;
	void *where;		/* st_cluster or st_flat_entry; NULL: no cluster, EMPTY */
	unsigned int idx;	/* slot index within its cluster */
	u8 kind;		/* kind now */
	bool pinned;		/* TABLE: holds a pin on the cluster */
};

struct st_table_stats {
	u64 meta_static_bytes;	/* bytes allocated at init */
	u64 meta_dynamic_bytes;	/* bytes allocated since, as the allocator sized them */
	u64 clusters_used;	/* TABLE: clusters allocated; FLAT: 0 */
	u64 stored;		/* slots not EMPTY (SAME + OBJ + HUGE) */
	u64 same;		/* slots SAME */
	u64 huge;		/* slots HUGE */
};

/* One cluster as shown by st_cluster_walk(). */
struct st_cluster_view {
	u64 index;		/* cluster number: first slot is index * ST_CLUSTER_SLOTS */
	unsigned int used;	/* slots not EMPTY */
	unsigned int same;
	unsigned int huge;
	u64 bytes;		/* pool bytes its slots hold (st_entry_bytes()) */
	u64 meta_bytes;		/* bytes this cluster's metadata takes */
};

/*
 * st_table_init - set up an empty table of @nr_slots slots in @layout that
 * counts its slots in @counts (zeroed here; the caller allocates and frees
 * them).  May sleep.  Returns 0, -EINVAL (nr_slots 0 or above ST_MAX_SLOTS,
 * unknown layout) or -ENOMEM.
 */
int st_table_init(struct st_table *t, u64 nr_slots, enum swaptab_layout layout,
		  struct st_counts __percpu *counts);

/*
 * st_table_destroy - free everything; call @release (if not NULL) once for
 * every slot that holds ST_OBJ or ST_HUGE, so the caller frees its object.
 * May sleep.  No slot may be locked and no I/O may be in flight.
 */
void st_table_destroy(struct st_table *t,
		      void (*release)(void *priv, const struct st_entry *e),
		      void *priv);

/*
 * st_slot_lock - lock @slot, waiting while another holder has it.
 * @create: allocate the slot's cluster with @gfp if missing (TABLE layout).
 * May sleep.  Returns 0 with the slot locked, or -ENOMEM (nothing changed,
 * nothing locked).  Without @create, a slot whose cluster does not exist is
 * returned "locked" as ST_EMPTY without any allocation; such a ref may only
 * be set to ST_EMPTY (a no-op).  To store into a slot, lock it with @create.
 */
int st_slot_lock(struct st_table *t, u64 slot, bool create, gfp_t gfp,
		 struct st_slot_ref *ref);

/*
 * st_slot_lock_read - st_slot_lock() without create, then st_slot_get() into
 * @e: the read path's one call.  A slot found ST_EMPTY may come back holding
 * no lock, as one without a cluster does (see above): it is only to be
 * unlocked.  May sleep.  Returns 0, or -EINVAL for a slot out of range.
 */
int st_slot_lock_read(struct st_table *t, u64 slot, struct st_slot_ref *ref,
		      struct st_entry *e);

/*
 * st_slot_trylock - lock @slot if nobody holds it.  Never sleeps, never
 * waits for a slot holder, takes no lock (an RCU lookup and atomic
 * operations only); callable from atomic context.
 * Never allocates: a slot without a cluster is returned "locked" as
 * ST_EMPTY (see above).  Returns true if locked, false if the slot is busy.
 */
bool st_slot_trylock(struct st_table *t, u64 slot, struct st_slot_ref *ref);

/* st_slot_get - read the locked slot's entry.  Never sleeps. */
void st_slot_get(const struct st_slot_ref *ref, struct st_entry *e);

/*
 * st_slot_set - replace the locked slot's entry with @e (ST_EMPTY clears;
 * its val is ignored).  The caller frees what it replaces (read it first
 * with st_slot_get()).  Never sleeps, never allocates.  Counters are
 * updated at once; a cluster left empty is freed at unlock.
 */
void st_slot_set(struct st_slot_ref *ref, const struct st_entry *e);

/*
 * st_slot_unlock - release the slot and wake a waiter; free the cluster if
 * this left it with no stored slot and no other holder.  Never sleeps;
 * callable from atomic context.
 */
void st_slot_unlock(struct st_slot_ref *ref);

/*
 * st_table_next_stored - the first slot in [@slot, @end) that may hold
 * something, or @end: TABLE skips the clusters (and directory pages) that do
 * not exist, so a range over an unused part of a huge device costs next to
 * nothing; FLAT returns @slot.  A hint: a cluster may appear or go at any
 * moment; callers that must not miss a slot lock it.  Never sleeps.
 */
u64 st_table_next_stored(struct st_table *t, u64 slot, u64 end);

/*
 * st_slot_xchg - store @e in @slot and return in @old what it held, under
 * one lock and unlock: the write path (@e not ST_EMPTY: a missing cluster is
 * created with @gfp) and discard (@e ST_EMPTY: nothing is allocated, and an
 * empty slot is left as it is).  @e->kind must be an enum st_kind: unlike
 * st_slot_set(), this hot path does not check it.  May sleep: waits while
 * another holder has the slot.  Returns 0, or -ENOMEM with nothing changed.
 */
int st_slot_xchg(struct st_table *t, u64 slot, const struct st_entry *e,
		 gfp_t gfp, struct st_entry *old);

/*
 * st_slot_try_clear - empty @slot unless another holder has it, and return
 * in @old what it held.  Never sleeps, never allocates; callable from atomic
 * context (swap_slot_free_notify).  Returns false, changing nothing, if the
 * slot is busy.
 */
bool st_slot_try_clear(struct st_table *t, u64 slot, struct st_entry *old);

/* st_table_stats - snapshot of the table's counters.  Never sleeps. */
void st_table_stats(struct st_table *t, struct st_table_stats *s);

/*
 * st_cluster_walk - call @fn for every cluster in use, in index order, with
 * a snapshot of it; stop at, and return, the first nonzero value @fn returns.
 * FLAT layout: one view per ST_CLUSTER_SLOTS slots that holds something.
 * A view read while its slots change may mix moments, and count for a slot
 * being rewritten a length of its old or new value (below a page).
 * May sleep, and so may @fn (it is called with no lock held).
 */
int st_cluster_walk(struct st_table *t,
		    int (*fn)(void *priv, const struct st_cluster_view *v),
		    void *priv);

#endif /* SWAPTAB_TABLE_H */
