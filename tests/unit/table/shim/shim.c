// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace implementation of what the twin table_internal.h declares:
 * an accounting allocator, bit waits, a small RCU and warnings.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

#include "table_internal.h"

/* ---- allocator ---- */

enum shim_kind { SHIM_KMALLOC = 1, SHIM_VMALLOC, SHIM_PAGE };

#define SHIM_MAGIC	0x5754ab1eu
#define SHIM_FREED	0xdeadf4eeu
#define SHIM_RCU	0x2c0f4eeeu

/* In front of every allocation; keeps the user area 16-byte aligned. */
struct shim_hdr {
	size_t bytes;		/* as accounted */
	unsigned int kind;
	unsigned int magic;
};

static long shim_live_bytes;
static long shim_live_allocs;
static long shim_fail_countdown = -1;
static long shim_warn_count;

long shim_bytes(void)
{
	return __atomic_load_n(&shim_live_bytes, __ATOMIC_SEQ_CST);
}

long shim_allocs(void)
{
	return __atomic_load_n(&shim_live_allocs, __ATOMIC_SEQ_CST);
}

void shim_fail_after(long n)
{
	__atomic_store_n(&shim_fail_countdown, n, __ATOMIC_SEQ_CST);
}

long shim_warnings(void)
{
	return __atomic_load_n(&shim_warn_count, __ATOMIC_SEQ_CST);
}

bool shim_warn(bool cond, const char *file, int line)
{
	if (cond) {
		__atomic_fetch_add(&shim_warn_count, 1, __ATOMIC_SEQ_CST);
		fprintf(stderr, "WARNING at %s:%d\n", file, line);
	}
	return cond;
}

static bool shim_should_fail(void)
{
	long v = __atomic_load_n(&shim_fail_countdown, __ATOMIC_SEQ_CST);

	while (v >= 0) {
		long nv = v == 0 ? -1 : v - 1;

		if (__atomic_compare_exchange_n(&shim_fail_countdown, &v, nv,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return v == 0;
	}
	return false;
}

size_t shim_kmalloc_size_roundup(size_t size)
{
	static const size_t buckets[] = {
		8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
	};
	size_t i, bytes;

	for (i = 0; i < sizeof(buckets) / sizeof(buckets[0]); i++)
		if (size <= buckets[i])
			return buckets[i];
	/* large kmalloc: whole pages, power-of-two order */
	for (bytes = PAGE_SIZE; bytes < size; bytes <<= 1)
		;
	return bytes;
}

static void *shim_alloc(size_t size, size_t bytes, unsigned int kind,
			unsigned int gfp)
{
	struct shim_hdr *h;

	if (shim_should_fail())
		return NULL;
	h = malloc(sizeof(*h) + size);
	if (!h)
		return NULL;
	h->bytes = bytes;
	h->kind = kind;
	h->magic = SHIM_MAGIC;
	if (gfp & __GFP_ZERO)
		memset(h + 1, 0, size);
	else
		memset(h + 1, 0xa5, size);	/* catch reads of uninitialised data */
	__atomic_fetch_add(&shim_live_bytes, (long)bytes, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&shim_live_allocs, 1, __ATOMIC_SEQ_CST);
	return h + 1;
}

static struct shim_hdr *shim_hdr_of(const void *p, unsigned int kind)
{
	struct shim_hdr *h = (struct shim_hdr *)p - 1;

	if (h->magic != SHIM_MAGIC || (kind && h->kind != kind)) {
		fprintf(stderr, "shim: bad free of %p (magic %#x kind %u)\n",
			p, h->magic, h->kind);
		abort();
	}
	return h;
}

/* Account the free of @p now; the memory itself is released by the caller. */
static struct shim_hdr *shim_unaccount(const void *p, unsigned int kind)
{
	struct shim_hdr *h = shim_hdr_of(p, kind);

	__atomic_fetch_sub(&shim_live_bytes, (long)h->bytes, __ATOMIC_SEQ_CST);
	__atomic_fetch_sub(&shim_live_allocs, 1, __ATOMIC_SEQ_CST);
	h->magic = SHIM_FREED;
	return h;
}

void *shim_kmalloc(size_t size, unsigned int gfp)
{
	return shim_alloc(size, shim_kmalloc_size_roundup(size), SHIM_KMALLOC,
			  gfp);
}

void shim_kfree(const void *p)
{
	if (p)
		free(shim_unaccount(p, SHIM_KMALLOC));
}

void *shim_vmalloc(size_t size, unsigned int gfp)
{
	return shim_alloc(size, PAGE_ALIGN(size), SHIM_VMALLOC, gfp);
}

/* Like the kernel's: kmalloc for what fits its caches, else vmalloc. */
void *shim_kvmalloc(size_t size, unsigned int gfp)
{
	if (size > INT_MAX)
		return NULL;
	if (size <= 2 * PAGE_SIZE)
		return shim_kmalloc(size, gfp);
	return shim_vmalloc(size, gfp);
}

void shim_kvfree(const void *p)
{
	if (p)
		free(shim_unaccount(p, 0));
}

bool shim_is_vmalloc_addr(const void *p)
{
	return shim_hdr_of(p, 0)->kind == SHIM_VMALLOC;
}

unsigned long shim_get_page(unsigned int gfp)
{
	return (unsigned long)shim_alloc(PAGE_SIZE, PAGE_SIZE, SHIM_PAGE, gfp);
}

void shim_free_page(unsigned long addr)
{
	if (addr)
		free(shim_unaccount((void *)addr, SHIM_PAGE));
}

/* ---- per-CPU ---- */

/* Not the table's memory (its user owns it): plain calloc, not accounted. */
void *shim_alloc_percpu(size_t size)
{
	if (size > SHIM_PERCPU_STRIDE)
		abort();
	return calloc(SHIM_NR_CPUS, SHIM_PERCPU_STRIDE);
}

void shim_free_percpu(void *p)
{
	free(p);
}

int shim_cpu(void)
{
	static int next;
	static __thread int cpu = -1;

	if (cpu < 0)
		cpu = __atomic_fetch_add(&next, 1, __ATOMIC_RELAXED) % SHIM_NR_CPUS;
	return cpu;
}

/* ---- RCU: readers share a writer-preferring rwlock ---- */

static pthread_rwlock_t shim_rcu_lock =
	PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;
static __thread int shim_rcu_nesting;
static pthread_mutex_t shim_rcu_list_lock = PTHREAD_MUTEX_INITIALIZER;
static void *shim_rcu_list;		/* chained through the objects' first word */
static long shim_rcu_count;

#define SHIM_RCU_BATCH	64

void rcu_read_lock(void)
{
	if (shim_rcu_nesting++ == 0)
		pthread_rwlock_rdlock(&shim_rcu_lock);
}

void rcu_read_unlock(void)
{
	if (--shim_rcu_nesting == 0)
		pthread_rwlock_unlock(&shim_rcu_lock);
}

static void shim_synchronize_rcu(void)
{
	pthread_rwlock_wrlock(&shim_rcu_lock);
	pthread_rwlock_unlock(&shim_rcu_lock);
}

/* Wait for a grace period, then free the objects chained from @list. */
static void shim_rcu_free(void *list)
{
	shim_synchronize_rcu();
	while (list) {
		void *next = *(void **)list;
		struct shim_hdr *h = (struct shim_hdr *)list - 1;

		if (h->magic != SHIM_RCU)
			abort();
		free(h);
		list = next;
	}
}

static void *shim_rcu_take(void)
{
	void *list;

	pthread_mutex_lock(&shim_rcu_list_lock);
	list = shim_rcu_list;
	shim_rcu_list = NULL;
	shim_rcu_count = 0;
	pthread_mutex_unlock(&shim_rcu_list_lock);
	return list;
}

void shim_kfree_rcu(void *p)
{
	struct shim_hdr *h = shim_unaccount(p, SHIM_KMALLOC);
	bool full;

	h->magic = SHIM_RCU;
	pthread_mutex_lock(&shim_rcu_list_lock);
	*(void **)p = shim_rcu_list;
	shim_rcu_list = p;
	full = ++shim_rcu_count >= SHIM_RCU_BATCH;
	pthread_mutex_unlock(&shim_rcu_list_lock);
	/* a reader cannot wait for a grace period */
	if (full && !shim_rcu_nesting)
		shim_rcu_free(shim_rcu_take());
}

void shim_rcu_barrier(void)
{
	shim_rcu_free(shim_rcu_take());
}

/* ---- bit waits: hashed buckets of a mutex and a condition variable ---- */

struct shim_wait_bucket {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	long waiters;
};

#define SHIM_WAIT_BUCKETS	64

static struct shim_wait_bucket shim_wait[SHIM_WAIT_BUCKETS];
static pthread_once_t shim_wait_once = PTHREAD_ONCE_INIT;

static void shim_wait_init(void)
{
	int i;

	for (i = 0; i < SHIM_WAIT_BUCKETS; i++) {
		pthread_mutex_init(&shim_wait[i].lock, NULL);
		pthread_cond_init(&shim_wait[i].cond, NULL);
	}
}

static struct shim_wait_bucket *shim_bucket(const unsigned long *word, int bit)
{
	unsigned long key = ((unsigned long)word >> 3) * 64 + (unsigned long)bit;

	pthread_once(&shim_wait_once, shim_wait_init);
	key ^= key >> 17;
	key *= 0x9e3779b97f4a7c15ul;
	return &shim_wait[key >> 58];
}

int wait_on_bit_lock(unsigned long *word, int bit, unsigned int mode)
{
	struct shim_wait_bucket *b;

	(void)mode;
	if (!test_and_set_bit_lock(bit, word))
		return 0;
	b = shim_bucket(word, bit);
	pthread_mutex_lock(&b->lock);
	__atomic_fetch_add(&b->waiters, 1, __ATOMIC_SEQ_CST);
	while (test_and_set_bit_lock(bit, word))
		pthread_cond_wait(&b->cond, &b->lock);
	__atomic_fetch_sub(&b->waiters, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&b->lock);
	return 0;
}

void wake_up_bit(unsigned long *word, int bit)
{
	struct shim_wait_bucket *b = shim_bucket(word, bit);

	/* a waiter registers before it tests the bit: seeing none is safe */
	if (!__atomic_load_n(&b->waiters, __ATOMIC_SEQ_CST))
		return;
	pthread_mutex_lock(&b->lock);
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
}

void clear_and_wake_up_bit(int bit, unsigned long *word)
{
	__atomic_fetch_and(word, ~BIT(bit), __ATOMIC_SEQ_CST);
	wake_up_bit(word, bit);
}
