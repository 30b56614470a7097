// SPDX-License-Identifier: GPL-2.0
//
// table_bench: the slot-table core's hot paths, per layout, on 1 and 2
// threads (each thread on its own slots, which share clusters' directory
// but not clusters).  Built against the userspace shim, so locks are
// pthread-based: compare layouts and revisions, not absolute kernel costs.

extern "C" {
#include "table.h"
}
#include "st_shim.h"

#include <benchmark/benchmark.h>

namespace {

constexpr gfp_t kGfpNoio = 0x2u;
constexpr u64 kSlotsPerThread = 64 * ST_CLUSTER_SLOTS;	// 128 MiB of pages
constexpr int kMaxThreads = 2;

st_table g_table;
// what the device owns in the module: the table's per-CPU slot counts
st_counts *g_counts = static_cast<st_counts *>(shim_alloc_percpu(sizeof(st_counts)));

const char *layout_name(int64_t layout)
{
	return layout == SWAPTAB_LAYOUT_TABLE ? "TABLE" : "FLAT";
}

void put(u64 slot, st_kind kind, unsigned long val)
{
	st_entry e = { kind, val }, old;

	if (st_slot_xchg(&g_table, slot, &e, kGfpNoio, &old))
		abort();
}

// Thread 0 builds the table before the threads' common start barrier, and
// tears it down after their common end barrier.
void setup(benchmark::State &state, bool fill)
{
	if (state.thread_index() != 0)
		return;
	if (st_table_init(&g_table, kMaxThreads * kSlotsPerThread,
			  (swaptab_layout)state.range(0), g_counts))
		abort();
	for (u64 s = 0; fill && s < kMaxThreads * kSlotsPerThread; s++)
		put(s, ST_OBJ, s);
}

void teardown(benchmark::State &state)
{
	state.SetLabel(layout_name(state.range(0)));
	state.SetItemsProcessed(state.iterations());
	if (state.thread_index() == 0)
		st_table_destroy(&g_table, nullptr, nullptr);
}

u64 first_slot(const benchmark::State &state)
{
	return state.thread_index() * kSlotsPerThread;
}

// Write path: overwrite a stored slot (OBJ -> OBJ).
void BM_Xchg(benchmark::State &state)
{
	u64 base = first_slot(state), i = 0;

	setup(state, true);
	for (auto _ : state) {
		st_entry e = { ST_OBJ, i }, old;

		st_slot_xchg(&g_table, base + i % kSlotsPerThread, &e, kGfpNoio, &old);
		i++;
	}
	teardown(state);
}

// Read path.
void BM_LockGetUnlock(benchmark::State &state)
{
	u64 base = first_slot(state), i = 0;
	unsigned long sum = 0;

	setup(state, true);
	for (auto _ : state) {
		st_slot_ref ref;
		st_entry e;

		st_slot_lock(&g_table, base + i % kSlotsPerThread, false, kGfpNoio, &ref);
		st_slot_get(&ref, &e);
		st_slot_unlock(&ref);
		sum += e.val;
		i++;
	}
	benchmark::DoNotOptimize(sum);
	teardown(state);
}

// Free notify: every 512th clear frees a cluster (TABLE).  The slots are
// refilled, untimed, when all are clear.
void BM_TryClear(benchmark::State &state)
{
	u64 base = first_slot(state), i = 0;

	setup(state, true);
	for (auto _ : state) {
		st_entry old;

		st_slot_try_clear(&g_table, base + i, &old);
		if (++i == kSlotsPerThread) {
			state.PauseTiming();
			for (i = 0; i < kSlotsPerThread; i++)
				put(base + i, ST_OBJ, i);
			i = 0;
			state.ResumeTiming();
		}
	}
	teardown(state);
}

// First write of every slot: includes allocating each cluster (TABLE).
void BM_FirstWrite(benchmark::State &state)
{
	u64 base = first_slot(state), i = 0;

	setup(state, false);
	for (auto _ : state) {
		st_entry e = { ST_SAME, 0 }, old;

		st_slot_xchg(&g_table, base + i, &e, kGfpNoio, &old);
		if (++i == kSlotsPerThread) {
			state.PauseTiming();
			for (i = 0; i < kSlotsPerThread; i++)
				put(base + i, ST_EMPTY, 0);
			i = 0;
			state.ResumeTiming();
		}
	}
	teardown(state);
}

#define ST_BENCH(fn)                                                      \
	BENCHMARK(fn)                                                     \
		->ArgName("layout")                                       \
		->Arg(SWAPTAB_LAYOUT_TABLE)                               \
		->Arg(SWAPTAB_LAYOUT_FLAT)                                \
		->Threads(1)                                              \
		->Threads(kMaxThreads)                                    \
		->UseRealTime()

ST_BENCH(BM_Xchg);
ST_BENCH(BM_LockGetUnlock);
ST_BENCH(BM_TryClear);
ST_BENCH(BM_FirstWrite);

}  // namespace

BENCHMARK_MAIN();
