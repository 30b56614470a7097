// SPDX-License-Identifier: GPL-2.0
/*
 * The block device: gendisk, the bio path, free notify, discard, open and
 * release, and the storage (pool, compressor, table) behind them.
 *
 * I/O alignment: every bio must start and end on a 4 KiB (slot) boundary;
 * others fail with BLK_STS_IOERR and count as failed reads/writes.  The
 * block layer never builds such bios for a queue with 4 KiB logical blocks,
 * so this only catches broken callers.  Inside an aligned bio, a slot's
 * page may be split across several bio segments: it is gathered into (or
 * scattered from) a per-CPU bounce page, so any segment layout is served.
 * No read-modify-write is ever needed: a slot is always written whole.
 *
 * Lock order: one slot lock -> compression stream (struct st_dev says what
 * keeps comp and the table under I/O).  A write compresses and allocates
 * under its stream and lets go of it before it takes the slot lock to
 * publish; a read takes a stream, when it needs one, under the slot lock.
 */
#include <linux/module.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "swaptab.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

int st_major;

enum { ST_FREE_NOTIFY, ST_FREE_DISCARD };

/* ---- slot contents ---- */

/*
 * st_entry_obj - the pool object of an ST_OBJ or ST_HUGE entry, and in *@len
 * the bytes stored there: the compressed length the slot keeps, or a page.
 */
static unsigned long st_entry_obj(const struct st_entry *e, size_t *len)
{
	*len = st_entry_bytes(e);
	if (e->kind == ST_HUGE)
		return e->val;
	return st_store_handle(st_obj_ref(e->val));
}

/*
 * st_release - free what a slot held, after it was taken out of the table.
 * Never sleeps (free notify calls it in atomic context).
 */
static void st_release(struct st_dev *dev, const struct st_entry *e)
{
	unsigned long handle;
	size_t len;

	if (e->kind != ST_OBJ && e->kind != ST_HUGE)
		return;
	handle = st_entry_obj(e, &len);
	this_cpu_sub(dev->stats->compr_bytes, len);
	st_store_free(dev->pool, handle);
}

static void st_release_cb(void *priv, const struct st_entry *e)
{
	st_release(priv, e);
}

/*
 * st_publish - store @e in @slot and release what it replaces.  On failure
 * the object of @e is freed and the slot keeps its old contents.  May sleep.
 */
static int st_publish(struct st_dev *dev, u64 slot, const struct st_entry *e,
		      size_t compr)
{
	struct st_entry old;
	int ret;

	this_cpu_add(dev->stats->compr_bytes, compr);
	ret = st_slot_xchg(&dev->table, slot, e, GFP_NOIO | __GFP_NOWARN, &old);
	if (ret) {
		st_release(dev, e);
		return ret;
	}
	st_release(dev, &old);
	return 0;
}

/* st_free_slot - empty @slot; true if it held something.  May sleep. */
static bool st_free_slot(struct st_dev *dev, u64 slot)
{
	static const struct st_entry empty = { .kind = ST_EMPTY };
	struct st_entry old;

	if (st_slot_xchg(&dev->table, slot, &empty, GFP_NOIO, &old) ||
	    old.kind == ST_EMPTY)
		return false;
	st_release(dev, &old);
	trace_swaptab_free(dev->index, slot, old.kind, ST_FREE_DISCARD);
	return true;
}

/*
 * Most other pages differ in their first or last word.  A same-filled page
 * is read whole, four words per branch: a quarter fewer instructions than
 * a branch per word, in what was the hottest loop of the driver's own code
 * (instruction-counted profile of the swap workload).
 */
static bool st_page_same_filled(const void *ptr, unsigned long *fill)
{
	const unsigned long *page = ptr;
	unsigned long val = page[0];
	unsigned int pos;

	if (val != page[PAGE_SIZE / sizeof(*page) - 1])
		return false;
	for (pos = 0; pos < PAGE_SIZE / sizeof(*page); pos += 4)
		if ((page[pos] ^ val) | (page[pos + 1] ^ val) |
		    (page[pos + 2] ^ val) | (page[pos + 3] ^ val))
			return false;
	*fill = val;
	return true;
}

static void st_update_peak(struct st_dev *dev, u64 bytes)
{
	s64 old = atomic64_read(&dev->pool_peak);

	while ((u64)old < bytes) {
		s64 cur = atomic64_cmpxchg(&dev->pool_peak, old, bytes);

		if (cur == old)
			break;
		old = cur;
	}
}

/* ---- one page of a bio ---- */

/*
 * Where the current slot's page is in the bio: one whole page, or split
 * across segments (then it goes through the stream's bounce page).
 */
struct st_src {
	struct page *page;	/* whole page, or NULL: use bounce */
	void *bounce;
};

static void *st_src_map(struct st_src *s)
{
	return s->page ? kmap_local_page(s->page) : s->bounce;
}

static void st_src_unmap(struct st_src *s, void *addr)
{
	if (s->page)
		kunmap_local(addr);
}

static struct page *st_iter_page(struct bio *bio, struct bvec_iter *iter)
{
	struct bio_vec bv = bio_iter_iovec(bio, *iter);

	return !bv.bv_offset && bv.bv_len == PAGE_SIZE ? bv.bv_page : NULL;
}

/* Copy one page out of the bio's segments and advance @iter past it. */
static void st_copy_from_bio(void *dst, struct bio *bio,
			     struct bvec_iter *iter)
{
	unsigned int done = 0;

	while (done < PAGE_SIZE) {
		struct bio_vec bv = bio_iter_iovec(bio, *iter);
		unsigned int n = min_t(unsigned int, bv.bv_len,
				       PAGE_SIZE - done);

		memcpy_from_page(dst + done, bv.bv_page, bv.bv_offset, n);
		done += n;
		bio_advance_iter_single(bio, iter, n);
	}
}

/* Copy one page into the bio's segments and advance @iter past it. */
static void st_copy_to_bio(struct bio *bio, struct bvec_iter *iter,
			   const void *src)
{
	unsigned int done = 0;

	while (done < PAGE_SIZE) {
		struct bio_vec bv = bio_iter_iovec(bio, *iter);
		unsigned int n = min_t(unsigned int, bv.bv_len,
				       PAGE_SIZE - done);

		memcpy_to_page(bv.bv_page, bv.bv_offset, src + done, n);
		done += n;
		bio_advance_iter_single(bio, iter, n);
	}
}

/*
 * st_write_page - store a page into @slot: @page if it is whole, else the
 * page gathered from @bio at @iter (advancing @iter).  Same-filled pages go
 * into the slot; others are compressed, and stored raw if they do not
 * shrink below the pool's huge class.
 *
 * Compression and the pool object's first allocation run under this CPU's
 * stream, without sleeping.  When the pool needs reclaim, the object is
 * allocated with the stream let go (that may sleep) and the page compressed
 * again under whichever stream is then ours; a page that changed in between
 * (a raw-device writer may do that; swap does not) starts over.  The slot
 * is taken only after the stream is let go.  May sleep.
 */
static int st_write_page(struct st_dev *dev, u64 slot, struct page *page,
			 struct bio *bio, struct bvec_iter *iter)
{
	struct bvec_iter from = iter ? *iter : (struct bvec_iter){};
	struct st_comp_stream *zstrm;
	struct st_entry e;
	struct st_src src = { .page = page };
	unsigned long handle = 0, ref = 0;
	size_t clen, alloc = 0;
	u64 t0 = 0, limit, pool;
	void *mem;
	int ret;

	if (trace_swaptab_write_enabled())
		t0 = ktime_get_ns();
again:
	zstrm = st_comp_stream_get(dev->comp);
	src.bounce = zstrm->bounce;
	if (!page) {
		*iter = from;
		st_copy_from_bio(zstrm->bounce, bio, iter);
	}

	mem = st_src_map(&src);
	if (st_page_same_filled(mem, &e.val)) {
		st_src_unmap(&src, mem);
		st_comp_stream_put(dev->comp);
		if (handle)
			st_store_free(dev->pool, handle);
		e.kind = ST_SAME;
		clen = 0;
		goto publish;
	}
	ret = st_comp_compress(dev->comp, zstrm, mem, zstrm->buffer,
			       dev->huge_size - 1, &clen);
	st_src_unmap(&src, mem);

	e.kind = ST_OBJ;
	if (ret || clen >= dev->huge_size) {
		e.kind = ST_HUGE;
		clen = PAGE_SIZE;
	}

	if (handle && clen != alloc) {
		/* the page changed while the stream was let go */
		st_comp_stream_put(dev->comp);
		st_store_free(dev->pool, handle);
		handle = 0;
		goto again;
	}
	if (!handle) {
		alloc = clen;
		handle = st_store_alloc(dev->pool, alloc, false);
		if (!handle) {
			st_comp_stream_put(dev->comp);
			handle = st_store_alloc(dev->pool, alloc, true);
			if (!handle)
				return -ENOMEM;
			goto again;
		}
	}
	/* Fails only if zsmalloc's handles changed form: fail loudly. */
	if (e.kind == ST_OBJ && WARN_ON_ONCE(!st_store_ref(handle, &ref))) {
		ret = -EIO;
		goto out_free;
	}
	pool = st_store_bytes(dev->pool);
	limit = READ_ONCE(dev->cfg.mem_limit);
	if (limit && pool > limit) {
		this_cpu_inc(dev->stats->mem_limit_rejects);
		ret = -ENOSPC;
		goto out_free;
	}
	st_update_peak(dev, pool);

	if (e.kind == ST_HUGE) {
		mem = st_src_map(&src);
		st_store_write(dev->pool, handle, mem, PAGE_SIZE);
		st_src_unmap(&src, mem);
		e.val = handle;
	} else {
		st_store_write(dev->pool, handle, zstrm->buffer, clen);
		e.val = st_obj_val(ref, clen);
	}
	st_comp_stream_put(dev->comp);
publish:
	/* st_publish()'s only call, so the compiler inlines it */
	ret = st_publish(dev, slot, &e, clen);
	if (!ret)
		trace_swaptab_write(dev->index, slot, e.kind, clen,
				    t0 ? ktime_get_ns() - t0 : 0);
	return ret;

out_free:
	st_comp_stream_put(dev->comp);
	st_store_free(dev->pool, handle);
	return ret;
}

/*
 * st_read_page - read @slot into @page if it is whole, else into the bio's
 * segments at @iter (advancing @iter).  A compression stream is taken only
 * when needed (a pool object to decode, or a split page's bounce buffer),
 * after the slot lock.  May sleep.
 */
static int st_read_page(struct st_dev *dev, u64 slot, struct page *page,
			struct bio *bio, struct bvec_iter *iter)
{
	struct st_comp_stream *zstrm = NULL;
	struct st_entry e;
	struct st_slot_ref ref;
	unsigned long handle;
	size_t len = 0;		/* stored length, for the tracepoint */
	const void *src;
	void *dst;
	u64 t0 = 0;
	int ret;

	if (trace_swaptab_read_enabled())
		t0 = ktime_get_ns();

	ret = st_slot_lock_read(&dev->table, slot, &ref, &e);
	if (ret)
		return ret;
	if (!page || e.kind == ST_OBJ || e.kind == ST_HUGE)
		zstrm = st_comp_stream_get(dev->comp);
	dst = page ? kmap_local_page(page) : zstrm->bounce;
	switch (e.kind) {
	case ST_EMPTY:
		memset(dst, 0, PAGE_SIZE);
		break;
	case ST_SAME:
		memset_l(dst, e.val, PAGE_SIZE / sizeof(unsigned long));
		break;
	case ST_OBJ:
	case ST_HUGE:
		handle = st_entry_obj(&e, &len);
		src = st_store_read_begin(dev->pool, handle, len, zstrm->buffer);
		if (e.kind == ST_HUGE)
			memcpy(dst, src, PAGE_SIZE);
		else
			ret = st_comp_decompress(dev->comp, zstrm, src, len, dst);
		st_store_read_end(dev->pool, handle, len, src, zstrm->buffer);
		break;
	}
	st_slot_unlock(&ref);

	if (page) {
		kunmap_local(dst);
		flush_dcache_page(page);
	} else {
		st_copy_to_bio(bio, iter, zstrm->bounce);
	}
	if (zstrm)
		st_comp_stream_put(dev->comp);
	if (!ret)
		trace_swaptab_read(dev->index, slot, e.kind, len,
				   t0 ? ktime_get_ns() - t0 : 0);
	return ret;
}

/* ---- bios ---- */

static bool st_bio_aligned(struct bio *bio)
{
	return !(bio->bi_iter.bi_sector & (ST_SECTORS_PER_PAGE - 1)) &&
	       !(bio->bi_iter.bi_size & (PAGE_SIZE - 1));
}

/* May sleep: submit_bio of a synchronous device runs the I/O inline. */
static void st_rw_bio(struct st_dev *dev, struct bio *bio)
{
	bool write = op_is_write(bio_op(bio));
	struct bvec_iter iter = bio->bi_iter;
	u64 slot = bio->bi_iter.bi_sector >> (PAGE_SHIFT - SECTOR_SHIFT);
	unsigned long start;
	int ret = 0;

	if (!st_bio_aligned(bio)) {
		ret = -EINVAL;
		goto out;
	}
	start = bio_start_io_acct(bio);
	if (dev->broken)
		ret = -EIO;
	while (!ret && iter.bi_size) {
		struct page *page = st_iter_page(bio, &iter);

		if (write) {
			ret = st_write_page(dev, slot, page, bio, &iter);
			this_cpu_inc(dev->stats->writes);
		} else {
			ret = st_read_page(dev, slot, page, bio, &iter);
			this_cpu_inc(dev->stats->reads);
		}
		if (page)
			bio_advance_iter_single(bio, &iter, PAGE_SIZE);
		slot++;
	}
	bio_end_io_acct(bio, start);
out:
	if (ret) {
		if (write)
			this_cpu_inc(dev->stats->failed_writes);
		else
			this_cpu_inc(dev->stats->failed_reads);
		bio->bi_status = BLK_STS_IOERR;
	}
	bio_endio(bio);
}

/* Discard and write-zeroes: free every slot covered.  May sleep. */
static void st_discard_bio(struct st_dev *dev, struct bio *bio)
{
	u64 slot = bio->bi_iter.bi_sector >> (PAGE_SHIFT - SECTOR_SHIFT);
	u64 end = slot + (bio->bi_iter.bi_size >> PAGE_SHIFT), freed = 0;

	if (!st_bio_aligned(bio)) {
		bio->bi_status = BLK_STS_IOERR;
		goto out;
	}
	if (dev->broken) {
		bio->bi_status = BLK_STS_IOERR;
		end = slot;
	}
	/* slots of clusters that do not exist hold nothing: skip them */
	for (slot = st_table_next_stored(&dev->table, slot, end); slot < end;
	     slot = st_table_next_stored(&dev->table, slot + 1, end)) {
		if (st_free_slot(dev, slot))
			freed++;
		if (!((slot + 1) & (ST_CLUSTER_SLOTS - 1)))
			cond_resched();
	}
	this_cpu_add(dev->stats->discards, freed);
out:
	bio_endio(bio);
}

static void st_submit_bio(struct bio *bio)
{
	struct st_dev *dev = bio->bi_bdev->bd_disk->private_data;

	switch (bio_op(bio)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		st_rw_bio(dev, bio);
		return;
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		st_discard_bio(dev, bio);
		return;
	case REQ_OP_FLUSH:
		break;
	default:
		bio->bi_status = BLK_STS_NOTSUPP;
		break;
	}
	bio_endio(bio);
}

#ifdef ST_HAVE_BDOPS_RW_PAGE
/*
 * Single-page I/O without a bio, used by swap (and the reason swap treats
 * the device as synchronous) before 6.3.  On error the caller retries with
 * a bio.  May sleep.
 */
static int st_rw_page(struct block_device *bdev, sector_t sector,
		      struct page *page, enum req_op op)
{
	struct st_dev *dev = bdev->bd_disk->private_data;
	bool write = op_is_write(op);
	unsigned long start;
	int ret;

	if (PageTransHuge(page) || (sector & (ST_SECTORS_PER_PAGE - 1)))
		return -EOPNOTSUPP;
	start = bdev_start_io_acct(bdev->bd_disk->part0, ST_SECTORS_PER_PAGE,
				   op, jiffies);
	if (dev->broken)
		ret = -EIO;
	else if (write)
		ret = st_write_page(dev, sector / ST_SECTORS_PER_PAGE, page,
				    NULL, NULL);
	else
		ret = st_read_page(dev, sector / ST_SECTORS_PER_PAGE, page,
				   NULL, NULL);
	bdev_end_io_acct(bdev->bd_disk->part0, op, start);
	if (write)
		this_cpu_inc(dev->stats->writes);
	else
		this_cpu_inc(dev->stats->reads);
	if (ret)
		return ret;
	page_endio(page, write, 0);
	return 0;
}
#endif

/*
 * Called by swap when it frees a slot, under swap's own spinlocks: never
 * sleeps.  A slot busy in I/O is left alone and counted as missed; swap
 * overwrites or discards it later.
 */
static void st_swap_slot_free_notify(struct block_device *bdev,
				     unsigned long index)
{
	struct st_dev *dev = bdev->bd_disk->private_data;
	struct st_entry old;

	if (!st_slot_try_clear(&dev->table, index, &old)) {
		this_cpu_inc(dev->stats->missed_free);
		return;
	}
	this_cpu_inc(dev->stats->notify_free);
	if (old.kind != ST_EMPTY) {
		st_release(dev, &old);
		trace_swaptab_free(dev->index, index, old.kind, ST_FREE_NOTIFY);
	}
}

/* Called with disk->open_mutex held; refuses while del or reset own the device. */
static int st_open(ST_OPEN_ARGS)
{
	struct st_dev *dev = ST_OPEN_DISK->private_data;

	return dev->claimed ? -EBUSY : 0;
}

static void st_release_disk(ST_RELEASE_ARGS)
{
}

static const struct block_device_operations st_fops = {
	.owner			= THIS_MODULE,
	.submit_bio		= st_submit_bio,
#ifdef ST_HAVE_BDOPS_RW_PAGE
	.rw_page		= st_rw_page,
#endif
	.open			= st_open,
	.release		= st_release_disk,
	.swap_slot_free_notify	= st_swap_slot_free_notify,
};

/* ---- storage ---- */

/*
 * What a device costs whatever its size: its state, its per-CPU counters
 * and @comp's streams, as the allocators size them.
 */
static size_t st_dev_fixed_bytes(const struct st_comp *comp)
{
	return kmalloc_size_roundup(sizeof(struct st_dev)) + comp->bytes +
	       num_possible_cpus() * sizeof(struct st_stats);
}

/* st_dev_storage_init - pool, compressor and table per dev->cfg.  May sleep. */
int st_dev_storage_init(struct st_dev *dev)
{
	const struct st_comp_backend *b;
	int ret;

	b = st_comp_find(dev->cfg.algorithm);
	if (!b)
		return -EINVAL;

	dev->pool = st_store_create(dev->name);
	if (!dev->pool)
		return -ENOMEM;
	dev->huge_size = st_store_huge_size(dev->pool);

	dev->comp = st_comp_create(b, dev->cfg.level);
	if (!dev->comp) {
		ret = -ENOMEM;
		goto out_destroy_pool;
	}

	ret = st_table_init(&dev->table, dev->cfg.size >> PAGE_SHIFT,
			    dev->cfg.layout, &dev->stats->kinds);
	if (ret)
		goto out_destroy_comp;

	WRITE_ONCE(dev->fixed_bytes, st_dev_fixed_bytes(dev->comp));
	return 0;

out_destroy_comp:
	st_comp_destroy(dev->comp);
	dev->comp = NULL;
out_destroy_pool:
	st_store_destroy(dev->pool);
	dev->pool = NULL;
	return ret;
}

/* May sleep.  No I/O may be in flight. */
void st_dev_storage_free(struct st_dev *dev)
{
	if (!dev->broken)
		st_table_destroy(&dev->table, st_release_cb, dev);
	st_comp_destroy(dev->comp);
	dev->comp = NULL;
	st_store_destroy(dev->pool);
	dev->pool = NULL;
}

/* ---- gendisk ---- */

/* st_disk_create - the gendisk of a device whose storage is ready.  May sleep. */
int st_disk_create(struct st_dev *dev)
{
	struct gendisk *disk;
	int ret;

	disk = st_compat_alloc_disk();
	if (IS_ERR(disk))
		return PTR_ERR(disk);

	disk->major = st_major;
	disk->first_minor = dev->index;
	disk->minors = 1;
	disk->flags |= GENHD_FL_NO_PART;
	disk->fops = &st_fops;
	disk->private_data = dev;
	strscpy(disk->disk_name, dev->name, sizeof(disk->disk_name));
	set_capacity(disk, dev->cfg.size >> SECTOR_SHIFT);

	ret = add_disk(disk);
	if (ret)
		goto out_put_disk;
	dev->disk = disk;
	return 0;

out_put_disk:
	put_disk(disk);
	return ret;
}

/* st_disk_destroy - remove the disk, then free the storage.  May sleep. */
void st_disk_destroy(struct st_dev *dev)
{
	del_gendisk(dev->disk);
	st_dev_storage_free(dev);
	put_disk(dev->disk);
	dev->disk = NULL;
}

/* ---- control, called from netlink with st_registry_lock held ---- */

unsigned int st_dev_openers(struct st_dev *dev)
{
	return disk_openers(dev->disk);
}

/* st_dev_claim - own the closed device: opens fail until unclaimed. May sleep. */
int st_dev_claim(struct st_dev *dev)
{
	int ret = 0;

	mutex_lock(&dev->disk->open_mutex);
	if (dev->claimed || disk_openers(dev->disk))
		ret = -EBUSY;
	else
		dev->claimed = true;
	mutex_unlock(&dev->disk->open_mutex);
	return ret;
}

void st_dev_unclaim(struct st_dev *dev)
{
	mutex_lock(&dev->disk->open_mutex);
	dev->claimed = false;
	mutex_unlock(&dev->disk->open_mutex);
}

/* Zero the counters of a claimed device, table_lock held for writing. */
static void st_stats_clear(struct st_dev *dev)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(dev->stats, cpu), 0, sizeof(struct st_stats));
	atomic64_set(&dev->pool_peak, st_store_bytes(dev->pool));
}

/*
 * st_dev_reset - drop all stored data and zero the counters; the device must
 * be closed.  May sleep.
 */
int st_dev_reset(struct st_dev *dev)
{
	int ret;

	ret = st_dev_claim(dev);
	if (ret)
		return ret;
	down_write(&dev->table_lock);
	if (!dev->broken)
		st_table_destroy(&dev->table, st_release_cb, dev);
	ret = st_table_init(&dev->table, dev->cfg.size >> PAGE_SHIFT,
			    dev->cfg.layout, &dev->stats->kinds);
	dev->broken = ret != 0;
	st_stats_clear(dev);
	up_write(&dev->table_lock);
	st_dev_unclaim(dev);
	return ret;
}

/*
 * st_dev_set_comp - switch algorithm/level; only while nothing is stored.
 * The new compressor is made before the queue is frozen and the old one
 * freed after: I/O to this device may be what an allocation in between
 * would wait for.  May sleep.
 */
int st_dev_set_comp(struct st_dev *dev, const struct st_comp_backend *b,
		    int level)
{
	struct st_table_stats ts;
	struct st_comp *comp, *old;
	unsigned int memflags;
	int ret = 0;

	comp = st_comp_create(b, level);
	if (!comp)
		return -ENOMEM;

	memflags = st_freeze_queue(dev->disk->queue);
	st_table_stats(&dev->table, &ts);
	if (ts.stored) {
		ret = -EBUSY;
		old = comp;
	} else {
		old = dev->comp;
		dev->comp = comp;
		strscpy(dev->cfg.algorithm, b->name,
			sizeof(dev->cfg.algorithm));
		dev->cfg.level = level;
		WRITE_ONCE(dev->fixed_bytes, st_dev_fixed_bytes(comp));
	}
	st_unfreeze_queue(dev->disk->queue, memflags);
	st_comp_destroy(old);
	return ret;
}

void st_dev_set_mem_limit(struct st_dev *dev, u64 limit)
{
	WRITE_ONCE(dev->cfg.mem_limit, limit);
}

/* Sum the per-CPU counters into @sum.  Never sleeps. */
static void st_stats_sum(struct st_dev *dev, struct st_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct st_stats *c = per_cpu_ptr(dev->stats, cpu);

		sum->reads += READ_ONCE(c->reads);
		sum->writes += READ_ONCE(c->writes);
		sum->failed_reads += READ_ONCE(c->failed_reads);
		sum->failed_writes += READ_ONCE(c->failed_writes);
		sum->notify_free += READ_ONCE(c->notify_free);
		sum->missed_free += READ_ONCE(c->missed_free);
		sum->discards += READ_ONCE(c->discards);
		sum->mem_limit_rejects += READ_ONCE(c->mem_limit_rejects);
		sum->compr_bytes += READ_ONCE(c->compr_bytes);
	}
}

/* st_dev_stats - every counter at once.  Never sleeps. */
void st_dev_stats(struct st_dev *dev, struct st_stats_snapshot *s)
{
	struct st_table_stats ts;
	struct st_stats sum;

	st_table_stats(&dev->table, &ts);
	st_stats_sum(dev, &sum);
	memset(s, 0, sizeof(*s));
	s->reads = sum.reads;
	s->writes = sum.writes;
	s->failed_reads = sum.failed_reads;
	s->failed_writes = sum.failed_writes;
	s->notify_free = sum.notify_free;
	s->missed_free = sum.missed_free;
	s->discards = sum.discards;
	s->stored = ts.stored;
	s->same = ts.same;
	s->huge = ts.huge;
	s->obj = ts.stored >= ts.same + ts.huge ?
		 ts.stored - ts.same - ts.huge : 0;
	s->orig_bytes = ts.stored << PAGE_SHIFT;
	s->compr_bytes = sum.compr_bytes > 0 ? sum.compr_bytes : 0;
	s->pool_bytes = st_store_bytes(dev->pool);
	s->pool_peak = max_t(u64, s->pool_bytes,
			     atomic64_read(&dev->pool_peak));
	s->meta_static = ts.meta_static_bytes;
	s->meta_dynamic = ts.meta_dynamic_bytes;
	s->clusters_used = ts.clusters_used;
	s->mem_limit_rejects = sum.mem_limit_rejects;
	s->fixed_bytes = READ_ONCE(dev->fixed_bytes);
}
