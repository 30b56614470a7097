// SPDX-License-Identifier: GPL-2.0
/*
 * swapload: push anonymous memory through swap and verify every page.
 *
 * N processes each map their share of --size MiB, fill it with a mix of
 * page kinds (1/8 zero, 1/8 one repeated word, 1/8 random, 5/8 about 2:1
 * compressible), then read everything back --passes times, regenerating
 * each page's expected content from its index and comparing. With more
 * memory than the machine has, the kernel must swap pages out and in again.
 *
 * Prints key=value lines (MB/s per pass, bad pages) and exits 1 if any page
 * came back wrong, 2 on a usage or system error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define WORDS (PAGE / sizeof(uint64_t))

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* The expected content of page @idx of process @proc: deterministic. */
static void fill_page(uint64_t *p, uint64_t proc, uint64_t idx)
{
	uint64_t seed = mix((proc << 40) ^ idx ^ 0x5eed);
	unsigned int kind = seed % 8;
	size_t i;

	switch (kind) {
	case 0:
		memset(p, 0, PAGE);
		break;
	case 1:
		for (i = 0; i < WORDS; i++)
			p[i] = seed | 1;
		break;
	case 2:
		for (i = 0; i < WORDS; i++)
			p[i] = mix(seed + i);
		break;
	default:
		/* Half random words, half a short repeated phrase: ~2:1. */
		for (i = 0; i < WORDS / 2; i++)
			p[i] = mix(seed + i);
		for (; i < WORDS; i++)
			p[i] = 0x2d62617474706177ULL + (i % 4);
		break;
	}
	/* Every page, whatever its kind, says whose it is in its last word
	 * unless it must stay one repeated word.
	 */
	if (kind >= 2)
		p[WORDS - 1] = (proc << 40) ^ idx;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run(uint64_t proc, uint64_t pages, int passes, int out_fd)
{
	uint64_t expect[WORDS];
	uint64_t bad = 0, idx;
	double t, mbs;
	char line[256];
	uint64_t *mem;
	int pass, n;

	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "swapload: cannot map %llu pages: %s\n",
			(unsigned long long)pages, strerror(errno));
		return 2;
	}
	/* Keep the kernel from merging or collapsing what we measure. */
	madvise(mem, pages * PAGE, MADV_NOHUGEPAGE);

	t = now();
	for (idx = 0; idx < pages; idx++)
		fill_page(mem + idx * WORDS, proc, idx);
	mbs = pages * PAGE / 1e6 / (now() - t);
	n = snprintf(line, sizeof(line), "proc%llu.write_mbs=%.1f\n",
		     (unsigned long long)proc, mbs);
	if (write(out_fd, line, n) != n)
		return 2;

	for (pass = 1; pass <= passes; pass++) {
		t = now();
		for (idx = 0; idx < pages; idx++) {
			fill_page(expect, proc, idx);
			if (memcmp(expect, mem + idx * WORDS, PAGE))
				bad++;
		}
		mbs = pages * PAGE / 1e6 / (now() - t);
		n = snprintf(line, sizeof(line),
			     "proc%llu.read%d_mbs=%.1f\nproc%llu.bad_pages=%llu\n",
			     (unsigned long long)proc, pass, mbs,
			     (unsigned long long)proc, (unsigned long long)bad);
		if (write(out_fd, line, n) != n)
			return 2;
	}
	return bad ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: swapload --size MIB [--procs N] [--passes P]\n"
		"  Fills MIB MiB of anonymous memory across N processes (default 2)\n"
		"  with mixed pages, then verifies every page P times (default 2).\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long size_mib = 0, procs = 2;
	int passes = 2, status, worst = 0, i;
	uint64_t pages;
	double t;

	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--size"))
			size_mib = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--procs"))
			procs = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--passes"))
			passes = atoi(argv[++i]);
		else
			usage();
	}
	if (!size_mib || !procs || procs > 64 || passes < 1)
		usage();
	pages = size_mib * (1024 * 1024 / PAGE) / procs;

	t = now();
	for (i = 0; i < (int)procs; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("swapload: fork");
			return 2;
		}
		if (!pid)
			_exit(run(i, pages, passes, STDOUT_FILENO));
	}
	while (wait(&status) > 0) {
		int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 2;

		if (rc > worst)
			worst = rc;
	}
	printf("total_mib=%lu procs=%lu seconds=%.1f result=%s\n", size_mib,
	       procs, now() - t, worst == 0 ? "ok" : worst == 1 ? "BAD_PAGES" : "error");
	return worst;
}
