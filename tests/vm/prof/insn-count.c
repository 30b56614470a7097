// SPDX-License-Identifier: GPL-2.0
/*
 * insn-count: a QEMU TCG plugin that counts every guest kernel instruction
 * executed, by address, and on SIGRTMIN+10 writes the counts since the last
 * signal to OUT/dump.N (then OUT/dump.N.done) and starts again from zero.
 * tests/vm/prof/run.sh drives it; see there.
 *
 * Exact, where perf under TCG only samples: a translated block gets an
 * execution callback, and each execution adds one to its counter; a dump
 * writes "count n addr1 ... addrn" per block run since the last one.  A
 * `rep` string instruction counts once per iteration, as QEMU's -icount
 * clock does.  User space is not counted.
 *
 * Debian ships no qemu-plugin.h: the few entry points used are declared
 * here, as QEMU's plugin API version 1 (bookworm's QEMU 7.2) has them.
 */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct {
	const char *target_name;
	struct {
		int min, cur;
	} version;
	bool system_emulation;
	union {
		struct {
			int smp_vcpus, max_vcpus;
		} system;
	};
} qemu_info_t;
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu, void *udata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
					  qemu_plugin_vcpu_udata_cb_t cb,
					  enum qemu_plugin_cb_flags flags,
					  void *udata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
						 size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);

#define EXPORT __attribute__((visibility("default")))

EXPORT int qemu_plugin_version = 1;

/* x86-64 kernel half: user-space blocks are left uncounted */
#define KERNEL_START 0xffff800000000000ull

/* One translated block: its instructions' addresses and how often it ran. */
struct block {
	uint64_t runs;
	uint32_t n;
	uint64_t addr[];
};

/* every block ever translated; blocks are never freed (a diagnostic's life) */
static pthread_mutex_t blocks_lock = PTHREAD_MUTEX_INITIALIZER;
static struct block **blocks;
static size_t nr_blocks, max_blocks;

static volatile sig_atomic_t dump_wanted;
static int dumps;
static char out_dir[4096] = ".";

/* Write the counts since the last dump, zero them, then the .done mark. */
static void dump(void)
{
	char path[4200];
	FILE *f;
	size_t i;
	uint32_t j;

	snprintf(path, sizeof(path), "%s/dump.%d", out_dir, dumps);
	f = fopen(path, "w");
	pthread_mutex_lock(&blocks_lock);
	for (i = 0; i < nr_blocks; i++) {
		struct block *b = blocks[i];
		uint64_t runs = __atomic_exchange_n(&b->runs, 0, __ATOMIC_RELAXED);

		if (!runs || !f)
			continue;
		fprintf(f, "%llu %u", (unsigned long long)runs, b->n);
		for (j = 0; j < b->n; j++)
			fprintf(f, " %llx", (unsigned long long)b->addr[j]);
		fputc('\n', f);
	}
	pthread_mutex_unlock(&blocks_lock);
	if (!f || fclose(f))
		fprintf(stderr, "insn-count: cannot write %s\n", path);
	snprintf(path, sizeof(path), "%s/dump.%d.done", out_dir, dumps++);
	f = fopen(path, "w");
	if (f)
		fclose(f);
}

static void block_ran(unsigned int vcpu, void *udata)
{
	struct block *b = udata;

	(void)vcpu;
	__atomic_fetch_add(&b->runs, 1, __ATOMIC_RELAXED);
	/* one vCPU thread takes the request */
	if (dump_wanted && __atomic_exchange_n(&dump_wanted, 0, __ATOMIC_ACQ_REL))
		dump();
}

static void block_translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb), i;
	struct block *b;

	(void)id;
	if (qemu_plugin_tb_vaddr(tb) < KERNEL_START)
		return;
	b = calloc(1, sizeof(*b) + n * sizeof(b->addr[0]));
	if (!b)
		return;
	b->n = n;
	for (i = 0; i < n; i++)
		b->addr[i] = qemu_plugin_insn_vaddr(qemu_plugin_tb_get_insn(tb, i));
	pthread_mutex_lock(&blocks_lock);
	if (nr_blocks == max_blocks) {
		size_t max = max_blocks ? 2 * max_blocks : 1 << 16;
		struct block **grown = realloc(blocks, max * sizeof(*blocks));

		if (!grown) {
			pthread_mutex_unlock(&blocks_lock);
			free(b);
			return;
		}
		blocks = grown;
		max_blocks = max;
	}
	blocks[nr_blocks++] = b;
	pthread_mutex_unlock(&blocks_lock);
	qemu_plugin_register_vcpu_tb_exec_cb(tb, block_ran, QEMU_PLUGIN_CB_NO_REGS, b);
}

static void dump_requested(int sig)
{
	(void)sig;
	dump_wanted = 1;
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
			       int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = dump_requested, .sa_flags = SA_RESTART };
	int i;

	(void)info;
	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			snprintf(out_dir, sizeof(out_dir), "%s", argv[i] + 4);
	/* not SIGUSR1: QEMU kicks its vCPU threads with it */
	if (sigaction(SIGRTMIN + 10, &sa, NULL))
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, block_translated);
	return 0;
}
