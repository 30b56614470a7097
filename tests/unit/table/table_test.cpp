// SPDX-License-Identifier: GPL-2.0
//
// The slot-table core (module/table.c), built against the userspace shim:
// every entry kind and transition, cluster lifetime, the sparse directory,
// both layouts, slot locking (trylock, waiting, concurrent stress), exact
// accounting against the shim allocator, and destroy releasing objects.

extern "C" {
#include "table.h"
}
#include "st_shim.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <thread>
#include <vector>

namespace {

// The table's per-CPU slot counts, which its user owns (the device, in
// the module).
using Counts = std::unique_ptr<st_counts, void (*)(void *)>;

Counts make_counts()
{
	return Counts(static_cast<st_counts *>(shim_alloc_percpu(sizeof(st_counts))),
		      shim_free_percpu);
}

constexpr gfp_t kGfpNoio = 0x2u;	// the shim only looks at __GFP_ZERO
constexpr unsigned long kPage = 4096;
constexpr unsigned long kSlots = ST_CLUSTER_SLOTS;
// What the kernel allocator gives for one cluster: its table page, and its
// info block from kmalloc-256.
constexpr unsigned long kClusterBytes = kPage + 256;
constexpr u64 kTiBSlots = 1ULL << 28;	// 1 TiB of 4 KiB pages

const st_kind kKinds[] = { ST_EMPTY, ST_SAME, ST_OBJ, ST_HUGE };

const char *kind_name(st_kind k)
{
	switch (k) {
	case ST_EMPTY: return "EMPTY";
	case ST_SAME: return "SAME";
	case ST_OBJ: return "OBJ";
	case ST_HUGE: return "HUGE";
	}
	return "?";
}

struct st_table_stats stats(st_table *t)
{
	struct st_table_stats s;

	st_table_stats(t, &s);
	return s;
}

void put(st_table *t, u64 slot, st_kind kind, unsigned long val)
{
	st_slot_ref ref;
	st_entry e = { kind, val };

	ASSERT_EQ(0, st_slot_lock(t, slot, true, kGfpNoio, &ref));
	st_slot_set(&ref, &e);
	st_slot_unlock(&ref);
}

st_entry get(st_table *t, u64 slot)
{
	st_slot_ref ref;
	st_entry e = { ST_HUGE, 0xbad };

	EXPECT_EQ(0, st_slot_lock(t, slot, false, kGfpNoio, &ref));
	st_slot_get(&ref, &e);
	st_slot_unlock(&ref);
	return e;
}

#define EXPECT_ENTRY(t, slot, k, v)                                            \
	do {                                                                   \
		st_entry e_ = get((t), (slot));                                \
		EXPECT_EQ((k), e_.kind) << "slot " << (slot);                  \
		EXPECT_EQ((unsigned long)(v), e_.val) << "slot " << (slot);    \
	} while (0)

struct Released {
	std::multimap<unsigned long, st_kind> objs;
};

void release_cb(void *priv, const st_entry *e)
{
	static_cast<Released *>(priv)->objs.emplace(e->val, e->kind);
}

int collect_cb(void *priv, const st_cluster_view *v)
{
	static_cast<std::vector<st_cluster_view> *>(priv)->push_back(*v);
	return 0;
}

int stop_cb(void *priv, const st_cluster_view *v)
{
	(void)v;
	return ++*static_cast<int *>(priv) == 2 ? 42 : 0;
}

// Every test starts and ends with the shim's books balanced: no leak, no
// warning unless the test expects one.
class TableTest : public ::testing::TestWithParam<swaptab_layout> {
protected:
	void SetUp() override
	{
		shim_fail_after(-1);
		shim_rcu_barrier();
		base_bytes_ = shim_bytes();
		base_allocs_ = shim_allocs();
		base_warnings_ = shim_warnings();
	}

	void TearDown() override
	{
		shim_fail_after(-1);
		if (live_)
			st_table_destroy(&t_, nullptr, nullptr);
		shim_rcu_barrier();
		EXPECT_EQ(base_bytes_, shim_bytes()) << "leaked bytes";
		EXPECT_EQ(base_allocs_, shim_allocs()) << "leaked allocations";
		EXPECT_EQ(base_warnings_ + expected_warnings_, shim_warnings());
	}

	void init(u64 nr_slots)
	{
		ASSERT_EQ(0, st_table_init(&t_, nr_slots, GetParam(), counts_.get()));
		live_ = true;
	}

	bool table() const { return GetParam() == SWAPTAB_LAYOUT_TABLE; }

	// What the table says it holds is exactly what the allocator gave it.
	void expect_accounting()
	{
		struct st_table_stats s = stats(&t_);

		EXPECT_EQ(shim_bytes() - base_bytes_,
			  (long)(s.meta_static_bytes + s.meta_dynamic_bytes));
	}

	void expect_counts(u64 stored, u64 same, u64 huge)
	{
		struct st_table_stats s = stats(&t_);

		EXPECT_EQ(stored, s.stored);
		EXPECT_EQ(same, s.same);
		EXPECT_EQ(huge, s.huge);
	}

	Counts counts_ = make_counts();
	st_table t_ = {};
	bool live_ = false;
	long base_bytes_ = 0, base_allocs_ = 0, base_warnings_ = 0;
	long expected_warnings_ = 0;
};

INSTANTIATE_TEST_SUITE_P(Layouts, TableTest,
			 ::testing::Values(SWAPTAB_LAYOUT_TABLE, SWAPTAB_LAYOUT_FLAT),
			 [](const ::testing::TestParamInfo<swaptab_layout> &i) {
				 return i.param == SWAPTAB_LAYOUT_TABLE ? "Table" : "Flat";
			 });

TEST(TableInit, RejectsBadArguments)
{
	st_table t;
	Counts counts = make_counts();
	long bytes = shim_bytes();

	EXPECT_EQ(-EINVAL, st_table_init(&t, 0, SWAPTAB_LAYOUT_TABLE, counts.get()));
	EXPECT_EQ(-EINVAL, st_table_init(&t, ST_MAX_SLOTS + 1, SWAPTAB_LAYOUT_TABLE,
					 counts.get()));
	EXPECT_EQ(-EINVAL, st_table_init(&t, 1024, (swaptab_layout)7, counts.get()));
	EXPECT_EQ(-EINVAL, st_table_init(&t, 1024, SWAPTAB_LAYOUT_TABLE, nullptr));
	EXPECT_EQ(bytes, shim_bytes());
	// destroy of a table whose init failed is harmless
	st_table_destroy(&t, nullptr, nullptr);
	EXPECT_EQ(bytes, shim_bytes());
}

// An OBJ value keeps every length a compressed page can have (1..PAGE_SIZE-1)
// beside every reference up to ST_OBJ_REF_MAX, neither bleeding into the other.
TEST(ObjValue, PacksLengthAndReference)
{
	static_assert(ST_OBJ_LEN_BITS + ST_OBJ_REF_BITS == 64, "one word");
	const unsigned int lens[] = { 1, 2, 100, 2048, kPage - 1 };
	const unsigned long refs[] = { 0, 1, 0x123456789aUL, ST_OBJ_REF_MAX - 1,
				       ST_OBJ_REF_MAX };

	for (unsigned int len : lens) {
		for (unsigned long ref : refs) {
			unsigned long val = st_obj_val(ref, len);

			EXPECT_EQ(ref, st_obj_ref(val)) << len << " " << ref;
			EXPECT_EQ(len, st_obj_len(val)) << len << " " << ref;
		}
	}
	// the reference has the bits the store layer needs for a 52-bit
	// physical address space in words, and then some
	EXPECT_GE(ST_OBJ_REF_BITS, 52 - 3);
}

TEST_P(TableTest, InitFailsCleanlyWithoutMemory)
{
	shim_fail_after(0);
	EXPECT_EQ(-ENOMEM, st_table_init(&t_, 1 << 20, GetParam(), counts_.get()));
	shim_fail_after(-1);
	EXPECT_EQ(base_bytes_, shim_bytes());
}

TEST_P(TableTest, FreshTableReadsEmptyAndAllocatesNothingMore)
{
	const u64 n = 3 * kSlots + 17;

	init(n);
	long after_init = shim_bytes();
	for (u64 slot : { (u64)0, kSlots - 1, (u64)kSlots, n - 1 }) {
		st_slot_ref ref;
		st_entry e;

		EXPECT_ENTRY(&t_, slot, ST_EMPTY, 0);
		ASSERT_TRUE(st_slot_trylock(&t_, slot, &ref));
		st_slot_get(&ref, &e);
		EXPECT_EQ(ST_EMPTY, e.kind);
		st_slot_unlock(&ref);
	}
	EXPECT_EQ(after_init, shim_bytes());
	struct st_table_stats s = stats(&t_);
	EXPECT_EQ(0u, s.meta_dynamic_bytes);
	EXPECT_EQ(0u, s.clusters_used);
	expect_counts(0, 0, 0);
	expect_accounting();
}

// Every kind overwritten by every kind (EMPTY included), each checked
// inside the lock, after relocking, and in the counters.
TEST_P(TableTest, EveryTransition)
{
	init(64 * kSlots);
	const unsigned long vals[] = { 0, ~0UL, 0x0101010101010101UL, 0xdeadbeef };
	u64 slot = 5;
	int n = 0;

	for (st_kind from : kKinds) {
		for (st_kind to : kKinds) {
			SCOPED_TRACE(std::string(kind_name(from)) + " -> " + kind_name(to));
			unsigned long v1 = vals[n % 4], v2 = vals[(n + 1) % 4] ^ n;
			st_slot_ref ref;
			st_entry e = { from, v1 }, got;

			n++;
			put(&t_, slot, from, v1);
			EXPECT_ENTRY(&t_, slot, from, from == ST_EMPTY ? 0 : v1);
			expect_counts(from != ST_EMPTY, from == ST_SAME, from == ST_HUGE);

			ASSERT_EQ(0, st_slot_lock(&t_, slot, true, kGfpNoio, &ref));
			st_slot_get(&ref, &got);
			EXPECT_EQ(from, got.kind);
			e = { to, v2 };
			st_slot_set(&ref, &e);
			st_slot_get(&ref, &got);
			EXPECT_EQ(to, got.kind);
			EXPECT_EQ(to == ST_EMPTY ? 0 : v2, got.val);
			st_slot_unlock(&ref);

			EXPECT_ENTRY(&t_, slot, to, to == ST_EMPTY ? 0 : v2);
			expect_counts(to != ST_EMPTY, to == ST_SAME, to == ST_HUGE);
			expect_accounting();

			put(&t_, slot, ST_EMPTY, 0);
			expect_counts(0, 0, 0);
			EXPECT_EQ(0u, stats(&t_).clusters_used);
			slot += kSlots + 1;	// a new cluster each time
		}
	}
}

// Handles are opaque: zero and all-ones are valid OBJ/HUGE values, and any
// word is a valid SAME fill.
TEST_P(TableTest, ValuesOfEveryBitPattern)
{
	init(4 * kSlots);
	put(&t_, 0, ST_OBJ, 0);
	put(&t_, 1, ST_HUGE, 0);
	put(&t_, 2, ST_SAME, 0);
	put(&t_, 3, ST_SAME, ~0UL);
	put(&t_, 4, ST_OBJ, ~0UL);
	put(&t_, 5, ST_EMPTY, 1234);	// value of EMPTY is ignored
	EXPECT_ENTRY(&t_, 0, ST_OBJ, 0);
	EXPECT_ENTRY(&t_, 1, ST_HUGE, 0);
	EXPECT_ENTRY(&t_, 2, ST_SAME, 0);
	EXPECT_ENTRY(&t_, 3, ST_SAME, ~0UL);
	EXPECT_ENTRY(&t_, 4, ST_OBJ, ~0UL);
	EXPECT_ENTRY(&t_, 5, ST_EMPTY, 0);
	expect_counts(5, 2, 1);
	// neighbours are untouched
	for (u64 s = 6; s < kSlots; s++)
		ASSERT_EQ(ST_EMPTY, get(&t_, s).kind);
}

TEST_P(TableTest, SeveralSetsUnderOneLockCountOnce)
{
	init(4 * kSlots);
	st_slot_ref ref;
	st_entry e;

	ASSERT_EQ(0, st_slot_lock(&t_, 700, true, kGfpNoio, &ref));
	e = { ST_SAME, 7 };
	st_slot_set(&ref, &e);
	e = { ST_HUGE, 8 };
	st_slot_set(&ref, &e);
	e = { ST_OBJ, 9 };
	st_slot_set(&ref, &e);
	st_slot_unlock(&ref);
	expect_counts(1, 0, 0);
	EXPECT_ENTRY(&t_, 700, ST_OBJ, 9);

	ASSERT_EQ(0, st_slot_lock(&t_, 700, true, kGfpNoio, &ref));
	e = { ST_EMPTY, 0 };
	st_slot_set(&ref, &e);
	e = { ST_SAME, 1 };
	st_slot_set(&ref, &e);
	e = { ST_EMPTY, 0 };
	st_slot_set(&ref, &e);
	st_slot_unlock(&ref);
	expect_counts(0, 0, 0);
	if (table()) {
		EXPECT_EQ(0u, stats(&t_).clusters_used);
	}
	expect_accounting();
}

TEST_P(TableTest, ClusterAllocatedOnFirstWriteFreedOnLastClear)
{
	if (!table())
		GTEST_SKIP() << "FLAT has no clusters";
	init(64 * kSlots);
	struct st_table_stats s;

	put(&t_, 1000, ST_OBJ, 1);
	s = stats(&t_);
	EXPECT_EQ(1u, s.clusters_used);
	EXPECT_EQ(kPage + kClusterBytes, s.meta_dynamic_bytes);	// directory page + cluster
	expect_accounting();

	put(&t_, 1001, ST_SAME, 2);	// same cluster
	EXPECT_EQ(1u, stats(&t_).clusters_used);
	put(&t_, 9 * kSlots + 3, ST_HUGE, 3);	// another cluster
	s = stats(&t_);
	EXPECT_EQ(2u, s.clusters_used);
	EXPECT_EQ(kPage + 2 * kClusterBytes, s.meta_dynamic_bytes);
	expect_accounting();

	put(&t_, 1000, ST_EMPTY, 0);
	EXPECT_EQ(2u, stats(&t_).clusters_used);
	put(&t_, 1001, ST_EMPTY, 0);
	EXPECT_EQ(1u, stats(&t_).clusters_used);
	put(&t_, 9 * kSlots + 3, ST_EMPTY, 0);
	s = stats(&t_);
	EXPECT_EQ(0u, s.clusters_used);
	EXPECT_EQ(kPage, s.meta_dynamic_bytes);	// the directory page stays
	expect_accounting();

	// a create lock that stores nothing leaves nothing behind
	st_slot_ref ref;

	ASSERT_EQ(0, st_slot_lock(&t_, 20 * kSlots, true, kGfpNoio, &ref));
	EXPECT_EQ(1u, stats(&t_).clusters_used);
	st_slot_unlock(&ref);
	EXPECT_EQ(0u, stats(&t_).clusters_used);
	expect_accounting();
}

TEST_P(TableTest, SparseDirectoryFor1TiB)
{
	if (!table())
		GTEST_SKIP() << "FLAT pays 16-24 B per slot up front by design";
	init(kTiBSlots);
	struct st_table_stats s = stats(&t_);

	std::printf("1 TiB TABLE: %llu bytes static (%.6f B/slot)\n",
		    (unsigned long long)s.meta_static_bytes,
		    (double)s.meta_static_bytes / kTiBSlots);
	EXPECT_LE(s.meta_static_bytes, 5u << 20);
	EXPECT_LE(s.meta_static_bytes, 16u << 10);	// a few KiB
	EXPECT_LE((double)s.meta_static_bytes / kTiBSlots, 0.02);
	EXPECT_EQ(0u, s.meta_dynamic_bytes);
	expect_accounting();

	put(&t_, 0, ST_SAME, 0);
	put(&t_, kTiBSlots - 1, ST_OBJ, 77);
	put(&t_, kTiBSlots / 2, ST_HUGE, 78);
	s = stats(&t_);
	EXPECT_EQ(3u, s.clusters_used);
	EXPECT_EQ(3 * kPage + 3 * kClusterBytes, s.meta_dynamic_bytes);
	EXPECT_ENTRY(&t_, kTiBSlots - 1, ST_OBJ, 77);
	EXPECT_ENTRY(&t_, kTiBSlots - 2, ST_EMPTY, 0);
	expect_accounting();
}

// Discard walks only what may hold something: on a 1 TiB TABLE, the next
// stored slot is found past missing directory pages and missing clusters.
TEST_P(TableTest, NextStoredSkipsWhatDoesNotExist)
{
	const u64 slots = table() ? kTiBSlots : 16 * kSlots;
	const u64 far = slots / 2 + 5 * kSlots + 7;

	init(slots);
	EXPECT_EQ(table() ? slots : 0, st_table_next_stored(&t_, 0, slots));
	put(&t_, 3 * kSlots + 9, ST_SAME, 1);
	put(&t_, far, ST_OBJ, 2);
	if (!table()) {
		// every FLAT slot exists: no skipping
		EXPECT_EQ(5u, st_table_next_stored(&t_, 5, slots));
		EXPECT_EQ(slots, st_table_next_stored(&t_, slots + 3, slots + 9));
		return;
	}
	// the cluster, not the slot: its other slots are for the caller to lock
	EXPECT_EQ(3 * kSlots, st_table_next_stored(&t_, 0, slots));
	EXPECT_EQ(3 * kSlots + 100, st_table_next_stored(&t_, 3 * kSlots + 100, slots));
	EXPECT_EQ(far - 7, st_table_next_stored(&t_, 4 * kSlots, slots));
	EXPECT_EQ(far - 7, st_table_next_stored(&t_, 4 * kSlots + 1, slots));
	// end bounds the answer, also past the table's own end
	EXPECT_EQ(far - 8, st_table_next_stored(&t_, 4 * kSlots, far - 8));
	EXPECT_EQ(slots, st_table_next_stored(&t_, far + kSlots, slots + 100));
	// an emptied cluster is skipped again
	put(&t_, 3 * kSlots + 9, ST_EMPTY, 0);
	EXPECT_EQ(far - 7, st_table_next_stored(&t_, 0, slots));
}

TEST_P(TableTest, MetadataPerStoredPage)
{
	const u64 clusters = 64, n = clusters * kSlots;

	init(16 * n);
	for (u64 s = 0; s < n; s++)
		put(&t_, s, s % 8 ? ST_OBJ : ST_SAME, s);
	struct st_table_stats s = stats(&t_);
	double per_page = (double)(s.meta_static_bytes + s.meta_dynamic_bytes) / n;

	std::printf("%s: %.3f B metadata per stored page (%llu pages)\n",
		    table() ? "TABLE" : "FLAT", per_page, (unsigned long long)n);
	if (table()) {
		EXPECT_LE(per_page, 10.0);
	} else {
		EXPECT_GE(per_page, (double)SWAPTAB_FLAT_ENTRY_SIZE * 16);
	}
	expect_accounting();
}

TEST_P(TableTest, FlatStaticArraySizedLikeZram)
{
	if (table())
		GTEST_SKIP();
	const u64 n = 262144;	// 1 GiB

	init(n);
	struct st_table_stats s = stats(&t_);
	EXPECT_EQ((n * SWAPTAB_FLAT_ENTRY_SIZE + kPage - 1) / kPage * kPage,
		  s.meta_static_bytes);
	put(&t_, 5, ST_OBJ, 5);
	EXPECT_EQ(0u, stats(&t_).meta_dynamic_bytes);
	expect_accounting();
}

// The one-call forms the I/O paths use: a write returns what it replaced;
// a clear of an empty slot allocates nothing; a try-clear of a held slot
// changes nothing; and a cluster emptied by them is freed.
TEST_P(TableTest, XchgAndTryClear)
{
	init(4 * kSlots);
	const st_entry obj = { ST_OBJ, st_obj_val(1234, 100) };
	const st_entry same = { ST_SAME, 0x5a5a };
	const st_entry empty = { ST_EMPTY, 0 };
	const unsigned long dyn0 = stats(&t_).meta_dynamic_bytes;
	st_entry old;

	ASSERT_EQ(0, st_slot_xchg(&t_, kSlots + 1, &empty, kGfpNoio, &old));
	EXPECT_EQ(ST_EMPTY, old.kind);
	EXPECT_EQ(dyn0, stats(&t_).meta_dynamic_bytes);	// nothing created

	ASSERT_EQ(0, st_slot_xchg(&t_, kSlots + 1, &obj, kGfpNoio, &old));
	EXPECT_EQ(ST_EMPTY, old.kind);
	ASSERT_EQ(0, st_slot_xchg(&t_, kSlots + 1, &same, kGfpNoio, &old));
	EXPECT_EQ(ST_OBJ, old.kind);
	EXPECT_EQ(obj.val, old.val);
	EXPECT_EQ(100u, st_obj_len(old.val));
	EXPECT_ENTRY(&t_, kSlots + 1, ST_SAME, 0x5a5a);
	expect_counts(1, 1, 0);

	st_slot_ref held;

	ASSERT_EQ(0, st_slot_lock(&t_, kSlots + 1, false, kGfpNoio, &held));
	old = obj;
	EXPECT_FALSE(st_slot_try_clear(&t_, kSlots + 1, &old));
	EXPECT_EQ(ST_OBJ, old.kind);	// untouched
	st_slot_unlock(&held);
	EXPECT_ENTRY(&t_, kSlots + 1, ST_SAME, 0x5a5a);

	EXPECT_TRUE(st_slot_try_clear(&t_, kSlots + 1, &old));
	EXPECT_EQ(ST_SAME, old.kind);
	EXPECT_EQ(0x5a5aUL, old.val);
	expect_counts(0, 0, 0);
	EXPECT_EQ(0u, stats(&t_).clusters_used);
	// a slot without a cluster is cleared at once, and was empty
	EXPECT_TRUE(st_slot_try_clear(&t_, 3 * kSlots, &old));
	EXPECT_EQ(ST_EMPTY, old.kind);
	expect_accounting();
}

// The read path's lock: a stored slot is held until unlocked; an empty one
// of the TABLE layout is not held at all, like one without a cluster.
TEST_P(TableTest, LockReadHoldsStoredSlots)
{
	init(4 * kSlots);
	st_slot_ref ref;
	st_entry e, old;

	put(&t_, 5, ST_OBJ, st_obj_val(77, 300));
	ASSERT_EQ(0, st_slot_lock_read(&t_, 5, &ref, &e));
	EXPECT_EQ(ST_OBJ, e.kind);
	EXPECT_EQ(st_obj_val(77, 300), e.val);
	EXPECT_FALSE(st_slot_try_clear(&t_, 5, &old));	// held
	st_slot_unlock(&ref);

	ASSERT_EQ(0, st_slot_lock_read(&t_, 6, &ref, &e));	// cluster exists
	EXPECT_EQ(ST_EMPTY, e.kind);
	EXPECT_EQ(0u, e.val);
	EXPECT_EQ(!table(), !st_slot_try_clear(&t_, 6, &old));
	st_slot_unlock(&ref);

	ASSERT_EQ(0, st_slot_lock_read(&t_, 3 * kSlots, &ref, &e));	// no cluster
	EXPECT_EQ(ST_EMPTY, e.kind);
	st_slot_unlock(&ref);

	EXPECT_EQ(-EINVAL, st_slot_lock_read(&t_, 4 * kSlots, &ref, &e));
	expected_warnings_++;

	EXPECT_TRUE(st_slot_try_clear(&t_, 5, &old));
	EXPECT_EQ(ST_OBJ, old.kind);
	if (table()) {
		EXPECT_EQ(0u, stats(&t_).clusters_used);
	}
	expect_accounting();
}

TEST_P(TableTest, TrylockOnBusySlot)
{
	init(4 * kSlots);
	st_slot_ref held, ref;
	st_entry e = { ST_OBJ, 99 };

	ASSERT_EQ(0, st_slot_lock(&t_, 7, true, kGfpNoio, &held));
	st_slot_set(&held, &e);
	EXPECT_FALSE(st_slot_trylock(&t_, 7, &ref));
	// another slot of the same cluster is independent
	ASSERT_TRUE(st_slot_trylock(&t_, 8, &ref));
	st_slot_unlock(&ref);
	// a slot of a cluster that does not exist: locked, EMPTY
	ASSERT_TRUE(st_slot_trylock(&t_, 3 * kSlots, &ref));
	st_slot_get(&ref, &e);
	EXPECT_EQ(ST_EMPTY, e.kind);
	st_slot_unlock(&ref);
	st_slot_unlock(&held);

	// free-notify style: trylock, clear, unlock
	ASSERT_TRUE(st_slot_trylock(&t_, 7, &ref));
	st_slot_get(&ref, &e);
	EXPECT_EQ(ST_OBJ, e.kind);
	EXPECT_EQ(99u, e.val);
	e = { ST_EMPTY, 0 };
	st_slot_set(&ref, &e);
	st_slot_unlock(&ref);
	EXPECT_ENTRY(&t_, 7, ST_EMPTY, 0);
	if (table()) {
		EXPECT_EQ(0u, stats(&t_).clusters_used);
	}
	expect_accounting();
}

TEST_P(TableTest, LockWaitsForTheHolder)
{
	init(4 * kSlots);
	st_slot_ref held;
	std::atomic<bool> got{false};
	st_entry seen = {};

	ASSERT_EQ(0, st_slot_lock(&t_, 3, true, kGfpNoio, &held));
	std::thread waiter([&] {
		st_slot_ref ref;

		EXPECT_EQ(0, st_slot_lock(&t_, 3, true, kGfpNoio, &ref));
		got = true;
		st_slot_get(&ref, &seen);
		st_slot_unlock(&ref);
	});
	std::this_thread::sleep_for(std::chrono::milliseconds(50));
	EXPECT_FALSE(got.load());
	st_entry e = { ST_HUGE, 4242 };
	st_slot_set(&held, &e);
	st_slot_unlock(&held);
	waiter.join();
	EXPECT_TRUE(got.load());
	EXPECT_EQ(ST_HUGE, seen.kind);
	EXPECT_EQ(4242u, seen.val);
}

TEST_P(TableTest, CreateFailsCleanlyWithoutMemory)
{
	init(64 * kSlots);
	st_slot_ref ref;
	long before;

	if (!table()) {
		// FLAT never allocates after init
		shim_fail_after(0);
		ASSERT_EQ(0, st_slot_lock(&t_, 1, true, kGfpNoio, &ref));
		st_slot_unlock(&ref);
		shim_fail_after(-1);
		return;
	}
	// no directory page yet: its allocation fails
	before = shim_bytes();
	shim_fail_after(0);
	EXPECT_EQ(-ENOMEM, st_slot_lock(&t_, 1, true, kGfpNoio, &ref));
	EXPECT_EQ(before, shim_bytes());
	EXPECT_EQ(0u, stats(&t_).meta_dynamic_bytes);

	put(&t_, 0, ST_SAME, 1);	// directory page and cluster 0
	before = shim_bytes();
	for (long n : { 0L, 1L }) {	// the info block, then the table page
		shim_fail_after(n);
		EXPECT_EQ(-ENOMEM, st_slot_lock(&t_, 5 * kSlots, true, kGfpNoio, &ref));
		shim_fail_after(-1);
		EXPECT_EQ(before, shim_bytes());
		EXPECT_EQ(1u, stats(&t_).clusters_used);
		expect_counts(1, 1, 0);
		expect_accounting();
	}
	// without create nothing is allocated, so nothing can fail
	shim_fail_after(0);
	ASSERT_EQ(0, st_slot_lock(&t_, 5 * kSlots, false, kGfpNoio, &ref));
	st_slot_unlock(&ref);
	shim_fail_after(-1);
	EXPECT_ENTRY(&t_, 0, ST_SAME, 1);
}

TEST_P(TableTest, NoCreateRefOfMissingClusterCanOnlyClear)
{
	if (!table())
		GTEST_SKIP() << "every FLAT slot exists";
	init(4 * kSlots);
	st_slot_ref ref;
	st_entry e = { ST_EMPTY, 0 };

	ASSERT_EQ(0, st_slot_lock(&t_, 600, false, kGfpNoio, &ref));
	st_slot_set(&ref, &e);	// fine: already EMPTY
	e = { ST_SAME, 5 };
	st_slot_set(&ref, &e);	// a caller bug: warns, stores nothing
	expected_warnings_ = 1;
	st_slot_unlock(&ref);
	EXPECT_ENTRY(&t_, 600, ST_EMPTY, 0);
	EXPECT_EQ(0u, stats(&t_).clusters_used);
}

TEST_P(TableTest, DestroyReleasesEveryObject)
{
	init(32 * kSlots);
	std::multimap<unsigned long, st_kind> want;
	std::mt19937_64 rng(1);

	for (u64 s = 0; s < 32 * kSlots; s += 1 + rng() % 13) {
		st_kind k = kKinds[rng() % 4];
		unsigned long v = rng();

		put(&t_, s, k, v);
		if (k == ST_OBJ || k == ST_HUGE)
			want.emplace(v, k);
	}
	// overwritten and cleared objects are the caller's to free: not released
	put(&t_, 1, ST_OBJ, 1111);
	put(&t_, 1, ST_SAME, 0);
	want.erase(1111);
	Released got;

	st_table_destroy(&t_, release_cb, &got);
	live_ = false;
	EXPECT_EQ(want, got.objs);
	expect_counts(0, 0, 0);
}

TEST_P(TableTest, WalkReportsClustersInUse)
{
	init(2048 * kSlots);
	std::vector<st_cluster_view> views;
	const u64 meta = table() ? kClusterBytes : kSlots * SWAPTAB_FLAT_ENTRY_SIZE;

	put(&t_, 3 * kSlots + 1, ST_SAME, 0);
	put(&t_, 3 * kSlots + 2, ST_HUGE, 1);
	put(&t_, 3 * kSlots + 3, ST_OBJ, st_obj_val(2, 1000));
	put(&t_, 0, ST_OBJ, st_obj_val(3, 700));
	put(&t_, 1500 * kSlots + 511, ST_SAME, ~0UL);	// no length: not counted
	put(&t_, 9 * kSlots, ST_OBJ, 5);
	put(&t_, 9 * kSlots, ST_EMPTY, 0);	// cluster 9 empties again

	EXPECT_EQ(0, st_cluster_walk(&t_, collect_cb, &views));
	ASSERT_EQ(3u, views.size());
	EXPECT_EQ(0u, views[0].index);
	EXPECT_EQ(1u, views[0].used);
	EXPECT_EQ(700u, views[0].bytes);
	EXPECT_EQ(3u, views[1].index);
	EXPECT_EQ(3u, views[1].used);
	EXPECT_EQ(1u, views[1].same);
	EXPECT_EQ(1u, views[1].huge);
	EXPECT_EQ(kPage + 1000, views[1].bytes);	// the huge slot is a page
	EXPECT_EQ(1500u, views[2].index);
	EXPECT_EQ(1u, views[2].same);
	EXPECT_EQ(0u, views[2].bytes);
	for (const auto &v : views)
		EXPECT_EQ(meta, v.meta_bytes);

	int calls = 0;
	EXPECT_EQ(42, st_cluster_walk(&t_, stop_cb, &calls));
	EXPECT_EQ(2, calls);
}

// Random single-threaded operations against a model; the counters and the
// accounting are checked all along.
TEST_P(TableTest, RandomOperationsMatchAModel)
{
	const u64 n = 40 * kSlots;
	std::vector<st_entry> model(n, st_entry{ ST_EMPTY, 0 });
	std::mt19937_64 rng(7);

	init(n);
	for (int i = 0; i < 200000; i++) {
		// skewed towards a few clusters so that they fill and empty
		u64 s = (rng() % 8) * kSlots * 5 + rng() % (i % 3 ? 16 : kSlots);
		st_kind k = kKinds[rng() % 4];
		unsigned long v = rng();

		if (rng() % 3 == 0)
			k = ST_EMPTY;
		put(&t_, s, k, v);
		model[s] = { k, k == ST_EMPTY ? 0 : v };
		if (i % 20000 == 0)
			expect_accounting();
	}
	u64 stored = 0, same = 0, huge = 0;
	for (u64 s = 0; s < n; s++) {
		st_entry e = get(&t_, s);

		ASSERT_EQ(model[s].kind, e.kind) << s;
		ASSERT_EQ(model[s].val, e.val) << s;
		stored += e.kind != ST_EMPTY;
		same += e.kind == ST_SAME;
		huge += e.kind == ST_HUGE;
	}
	expect_counts(stored, same, huge);
	expect_accounting();
}

// Threads lock, check, replace and clear slots of a few clusters that fill
// and empty all the time, so clusters are freed and recreated under
// concurrent lookups.  Even slots go through lock, get, set and unlock (or
// st_slot_lock_read()), and have a shadow entry, touched only under the
// slot's lock; odd slots of the same clusters go through the one-call
// paths the device uses (st_slot_xchg(), st_slot_lock_read(),
// st_slot_try_clear()).  Every OBJ/HUGE value is an object id that must be
// freed exactly once (by its replacer, or by destroy).
TEST_P(TableTest, ConcurrentStress)
{
	const int threads = 4, iters = 150000;
	const u64 clusters = 8, per_cluster = 16, n = 64 * kSlots;
	struct Shadow {
		st_kind kind = ST_EMPTY;
		unsigned long val = 0;
	};
	std::vector<Shadow> shadow(n);
	std::unique_ptr<std::atomic<unsigned char>[]> obj(
		new std::atomic<unsigned char>[threads * iters + 1]());
	std::atomic<unsigned long> next_obj{1};
	std::atomic<long> errors{0}, busy{0}, walks{0};

	init(n);
	auto slot_of = [&](unsigned long r) {
		return (r % clusters) * 5 * kSlots + (r >> 8) % per_cluster;
	};
	auto drop = [&](const st_entry &e) {
		if (e.kind == ST_OBJ || e.kind == ST_HUGE)
			if (obj[e.val].exchange(2) != 1)
				errors++;
	};
	auto new_entry = [&](unsigned long r) {
		st_entry e = { kKinds[(r >> 40) % 4], r };

		if (e.kind == ST_OBJ || e.kind == ST_HUGE) {
			e.val = next_obj++;
			obj[e.val] = 1;
		}
		return e;
	};
	// odd slots: the device's one-call paths; only object ids are checked
	auto one_call = [&](u64 s, unsigned long r, int op) {
		st_slot_ref ref;
		st_entry e, old;

		if (op < 50) {
			e = new_entry(r);
			if (st_slot_xchg(&t_, s, &e, kGfpNoio, &old)) {
				errors++;
				return;
			}
			drop(old);
		} else if (op < 75) {
			if (st_slot_lock_read(&t_, s, &ref, &e)) {
				errors++;
				return;
			}
			// held: nobody may have freed it
			if ((e.kind == ST_OBJ || e.kind == ST_HUGE) && obj[e.val] != 1)
				errors++;
			st_slot_unlock(&ref);
		} else if (!st_slot_try_clear(&t_, s, &old)) {
			busy++;
		} else {
			drop(old);
		}
	};
	auto worker = [&](int id) {
		std::mt19937_64 rng(100 + id);

		for (int i = 0; i < iters; i++) {
			unsigned long r = rng();
			u64 s = slot_of(r);
			st_slot_ref ref;
			st_entry e;
			int op = (r >> 32) % 100;

			if (s % 2 && op < 98) {
				one_call(s, r, op);
			} else if (op < 50) {		// write
				if (st_slot_lock(&t_, s, true, kGfpNoio, &ref)) {
					errors++;
					continue;
				}
				st_slot_get(&ref, &e);
				if (e.kind != shadow[s].kind ||
				    (e.kind != ST_EMPTY && e.val != shadow[s].val))
					errors++;
				drop(e);
				e = new_entry(r);
				st_slot_set(&ref, &e);
				shadow[s] = { e.kind, e.kind == ST_EMPTY ? 0 : e.val };
				st_slot_unlock(&ref);
			} else if (op < 75) {	// read
				int ret = (r >> 48) % 2 ?
						  st_slot_lock_read(&t_, s, &ref, &e) :
						  st_slot_lock(&t_, s, false, kGfpNoio, &ref);

				if (ret) {
					errors++;
					continue;
				}
				if (!((r >> 48) % 2))
					st_slot_get(&ref, &e);
				// an EMPTY read may come from a missing cluster, which
				// holds nothing: only a stored entry guarantees the lock
				if (e.kind != ST_EMPTY &&
				    (e.kind != shadow[s].kind || e.val != shadow[s].val))
					errors++;
				st_slot_unlock(&ref);
			} else if (op < 98) {	// free notify
				if (!st_slot_trylock(&t_, s, &ref)) {
					busy++;
					continue;
				}
				st_slot_get(&ref, &e);
				if (e.kind != ST_EMPTY) {
					if (e.kind != shadow[s].kind || e.val != shadow[s].val)
						errors++;
					drop(e);
					st_entry clear = { ST_EMPTY, 0 };
					st_slot_set(&ref, &clear);
					shadow[s] = {};
				}
				st_slot_unlock(&ref);
			} else {		// debugfs
				std::vector<st_cluster_view> views;
				struct st_table_stats st;

				st_cluster_walk(&t_, collect_cb, &views);
				st_table_stats(&t_, &st);
				walks++;
			}
		}
	};
	std::vector<std::thread> pool;

	for (int i = 0; i < threads; i++)
		pool.emplace_back(worker, i);
	for (auto &th : pool)
		th.join();
	EXPECT_EQ(0, errors.load());
	std::printf("stress: %ld trylocks found the slot busy, %ld walks\n",
		    busy.load(), walks.load());

	// final consistency: table == shadow, counters == scan, books balanced
	u64 stored = 0, same = 0, huge = 0, used_clusters = 0;
	for (u64 c = 0; c < n / kSlots; c++) {
		bool any = false;

		for (u64 s = c * kSlots; s < (c + 1) * kSlots; s++) {
			st_entry e = get(&t_, s);

			if (s % 2 == 0) {
				ASSERT_EQ(shadow[s].kind, e.kind) << s;
			}
			if (s % 2 == 0 && e.kind != ST_EMPTY) {
				ASSERT_EQ(shadow[s].val, e.val) << s;
			}
			stored += e.kind != ST_EMPTY;
			same += e.kind == ST_SAME;
			huge += e.kind == ST_HUGE;
			any |= e.kind != ST_EMPTY;
		}
		used_clusters += any;
	}
	expect_counts(stored, same, huge);
	if (table()) {
		EXPECT_EQ(used_clusters, stats(&t_).clusters_used);
	}
	expect_accounting();

	Released rest;
	st_table_destroy(&t_, release_cb, &rest);
	live_ = false;
	for (const auto &o : rest.objs)
		drop(st_entry{ o.second, o.first });
	unsigned long leaked = 0;
	for (unsigned long id = 1; id < next_obj; id++)
		leaked += obj[id] != 2;
	EXPECT_EQ(0u, leaked);
	EXPECT_EQ(0, errors.load());
}

}  // namespace
