/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace shim's own interface: the allocator, RCU and warning hooks
 * the twin table_internal.h maps the kernel calls to, and the counters and
 * knobs the tests read and turn.  C and C++.
 */
#ifndef SWAPTAB_ST_SHIM_H
#define SWAPTAB_ST_SHIM_H

#include <stddef.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes the table holds, as the kernel allocators would size them. */
long shim_bytes(void);
/* Allocations not yet freed (kfree_rcu()ed ones count as freed). */
long shim_allocs(void);
/* Make the allocation after the next @n ones fail (0: the next); -1: never. */
void shim_fail_after(long n);
/* WARN_ON_ONCE() conditions that were true so far. */
long shim_warnings(void);
/* Wait for a grace period and free everything kfree_rcu() deferred. */
void shim_rcu_barrier(void);

/* Per-CPU memory: SHIM_NR_CPUS zeroed copies of @size bytes (at most the stride). */
#define SHIM_NR_CPUS		4
#define SHIM_PERCPU_STRIDE	64
void *shim_alloc_percpu(size_t size);
void shim_free_percpu(void *p);
/* The calling thread's "CPU", given round-robin at its first call. */
int shim_cpu(void);

/* Hooks behind the kernel names of the twin table_internal.h. */
bool shim_warn(bool cond, const char *file, int line);
void *shim_kmalloc(size_t size, unsigned int gfp);
void shim_kfree(const void *p);
void *shim_kvmalloc(size_t size, unsigned int gfp);
void *shim_vmalloc(size_t size, unsigned int gfp);
void shim_kvfree(const void *p);
bool shim_is_vmalloc_addr(const void *p);
size_t shim_kmalloc_size_roundup(size_t size);
unsigned long shim_get_page(unsigned int gfp);
void shim_free_page(unsigned long addr);
void shim_kfree_rcu(void *p);

#ifdef __cplusplus
}
#endif

#endif /* SWAPTAB_ST_SHIM_H */
