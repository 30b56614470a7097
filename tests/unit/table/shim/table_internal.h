/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace twin of module/table_internal.h.
 *
 * Same include guard as the kernel file: module/table.c is compiled with
 * this header force-included (-include), so its own
 * #include "table_internal.h" becomes a no-op and table.c builds against
 * these definitions instead of the kernel's.
 *
 * - memory: kmalloc/pages/vmalloc on malloc, each allocation accounted at
 *   the size the kernel allocator would give (kmalloc buckets, pages,
 *   page-rounded vmalloc), with live counters for leak checks and a
 *   fault-injection countdown (st_shim.h);
 * - bit waits: hashed mutex + condition variable buckets;
 * - RCU: readers take a writer-preferring rwlock for reading; kfree_rcu()
 *   accounts the free at once and frees the memory after the next grace
 *   period (a write lock/unlock), batched;
 * - per-CPU data: SHIM_NR_CPUS copies, SHIM_PERCPU_STRIDE bytes apart; each
 *   thread is given a "CPU" for life (st_shim.h).
 */
#ifndef SWAPTAB_TABLE_INTERNAL_H
#define SWAPTAB_TABLE_INTERNAL_H

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <linux/bits.h>
#include <linux/atomic.h>
#include <asm/page.h>

#include "st_shim.h"

#ifndef SWAPTAB_FLAT_ENTRY_SIZE
#define SWAPTAB_FLAT_ENTRY_SIZE	24
#endif

/* ---- compiler ---- */
#define __rcu
#define __force
#define __must_check		__attribute__((warn_unused_result))
#define noinline		__attribute__((noinline))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#undef static_assert
#define static_assert(expr, ...) _Static_assert(expr, #expr)

#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_mb__after_atomic()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define cmpxchg(p, o, n) ({						\
	__typeof__(*(p)) __old = (o);					\
	__atomic_compare_exchange_n((p), &__old, (n), false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);\
	__old;								\
})

/* ---- kernel.h ---- */
#define PAGE_ALIGN(x)		(((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define min_t(type, a, b)	((type)(a) < (type)(b) ? (type)(a) : (type)(b))
#define max_t(type, a, b)	((type)(a) > (type)(b) ? (type)(a) : (type)(b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define IS_ENABLED(x)		0
#define MAX_ERRNO		4095
#define IS_ERR_VALUE(x)		((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE(ptr);
}

#define WARN_ON_ONCE(cond)	shim_warn(!!(cond), __FILE__, __LINE__)
#define WARN_ON(cond)		WARN_ON_ONCE(cond)
#define might_sleep()		do { } while (0)
#define __might_sleep(f, l)	do { } while (0)
#define cond_resched()		do { } while (0)

/* ---- gfp / slab / vmalloc ---- */
#define GFP_KERNEL		0x1u
#define GFP_NOIO		0x2u
#define GFP_NOWAIT		0x4u
#define GFP_ATOMIC		0x8u
#define __GFP_NOWARN		0x100u
#define __GFP_ZERO		0x200u

#define kmalloc(size, gfp)	shim_kmalloc((size), (gfp))
#define kzalloc(size, gfp)	shim_kmalloc((size), (gfp) | __GFP_ZERO)
#define kfree(p)		shim_kfree(p)
#define kvcalloc(n, size, gfp)	shim_kvmalloc((n) * (size), (gfp) | __GFP_ZERO)
#define kvfree(p)		shim_kvfree(p)
#define vzalloc(size)		shim_vmalloc((size), __GFP_ZERO)
#define vfree(p)		shim_kvfree(p)
#define is_vmalloc_addr(p)	shim_is_vmalloc_addr(p)
#define kmalloc_size_roundup(s)	shim_kmalloc_size_roundup(s)
#define get_zeroed_page(gfp)	shim_get_page((gfp) | __GFP_ZERO)
#define __get_free_page(gfp)	shim_get_page(gfp)
#define free_page(addr)		shim_free_page(addr)

/* ---- per-CPU ---- */
#define for_each_possible_cpu(cpu)	for ((cpu) = 0; (cpu) < SHIM_NR_CPUS; (cpu)++)
#define per_cpu_ptr(p, cpu)	((__typeof__(p))((char *)(p) + (cpu) * SHIM_PERCPU_STRIDE))
/* atomic: threads given the same "CPU" run at once, unlike a CPU's tasks */
#define this_cpu_add(pcp, val)						\
	((void)__atomic_fetch_add(per_cpu_ptr(&(pcp), shim_cpu()), (val),	\
				  __ATOMIC_RELAXED))

/* ---- atomics ---- */
#define atomic_read(v)		__atomic_load_n(&(v)->counter, __ATOMIC_RELAXED)
#define atomic_set(v, i)	__atomic_store_n(&(v)->counter, (i), __ATOMIC_RELAXED)
#define atomic_add(i, v)	((void)__atomic_fetch_add(&(v)->counter, (i), __ATOMIC_RELAXED))
#define atomic_inc(v)		atomic_add(1, v)
#define atomic_dec(v)		atomic_add(-1, v)
/* value-returning atomics are fully ordered, as the kernel's */
#define atomic_inc_return(v)	__atomic_add_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST)
#define atomic_dec_and_test(v)	(__atomic_sub_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST) == 0)

static inline bool atomic_inc_not_zero(atomic_t *v)
{
	int old = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);

	do {
		if (!old)
			return false;
	} while (!__atomic_compare_exchange_n(&v->counter, &old, old + 1, true,
					      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	return true;
}
#define atomic_long_read	atomic_read
#define atomic_long_set		atomic_set
#define atomic_long_add		atomic_add
#define atomic_long_sub(i, v)	((void)__atomic_fetch_sub(&(v)->counter, (i), __ATOMIC_RELAXED))
#define atomic_long_inc(v)	atomic_long_add(1, v)
#define atomic_long_dec(v)	atomic_long_sub(1, v)

/* ---- bitops ---- */
#define hweight_long(w)		((unsigned int)__builtin_popcountl(w))

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	return (__atomic_load_n(&addr[BIT_WORD(nr)], __ATOMIC_RELAXED) >>
		(nr % BITS_PER_LONG)) & 1;
}

static inline void set_bit(unsigned long nr, unsigned long *addr)
{
	__atomic_fetch_or(&addr[BIT_WORD(nr)], BIT(nr % BITS_PER_LONG),
			  __ATOMIC_RELAXED);
}

static inline void clear_bit(unsigned long nr, unsigned long *addr)
{
	__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT(nr % BITS_PER_LONG),
			   __ATOMIC_RELAXED);
}

static inline void assign_bit(unsigned long nr, unsigned long *addr, bool value)
{
	if (value)
		set_bit(nr, addr);
	else
		clear_bit(nr, addr);
}

static inline bool test_and_set_bit_lock(unsigned long nr, unsigned long *addr)
{
	unsigned long mask = BIT(nr % BITS_PER_LONG);

	return __atomic_fetch_or(&addr[BIT_WORD(nr)], mask,
				 __ATOMIC_SEQ_CST) & mask;
}

#define TASK_UNINTERRUPTIBLE	2

/* Sleeps (on a condition variable) until it sets the bit.  Returns 0. */
int wait_on_bit_lock(unsigned long *word, int bit, unsigned int mode);
/* Clears the bit with release semantics and wakes its waiters. */
void clear_and_wake_up_bit(int bit, unsigned long *word);
/* Wakes the waiters of a bit its caller cleared. */
void wake_up_bit(unsigned long *word, int bit);

static inline void clear_bit_unlock(unsigned long nr, unsigned long *addr)
{
	__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT(nr % BITS_PER_LONG),
			   __ATOMIC_RELEASE);
}

/* ---- RCU ---- */
struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};

void rcu_read_lock(void);
void rcu_read_unlock(void);
/* one RCU, as in the kernel: a sched reader is a reader */
#define rcu_read_lock_sched()		rcu_read_lock()
#define rcu_read_unlock_sched()		rcu_read_unlock()
#define rcu_dereference_sched(p)	rcu_dereference(p)
#define rcu_dereference(p)		__atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define rcu_access_pointer(p)		__atomic_load_n(&(p), __ATOMIC_RELAXED)
#define rcu_dereference_protected(p, c)	(p)
#define RCU_INIT_POINTER(p, v)		__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define RCU_INITIALIZER(v)		(v)
#define kfree_rcu(ptr, field)		shim_kfree_rcu(ptr)

#include "table.h"

#endif /* SWAPTAB_TABLE_INTERNAL_H */
