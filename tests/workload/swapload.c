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
 * The processes run each phase (the fill, then every read pass) together:
 * none starts a phase before all finished the one before.  Without that, a
 * process could fill and check its share and exit before the other one got
 * going, so the work never exceeded memory and hardly swapped (seen in a
 * quarter of benchmark runs on a 2-vCPU guest).  A phase's MB/s is all the
 * processes' bytes over the phase's wall time.
 *
 * The memory is mapped as any program's is: with the kernel's transparent
 * huge page setting (Debian: always), so whole 2 MiB folios (or the mTHP
 * sizes enabled) are swapped out and in; --nohuge asks for base pages only
 * (MADV_NOHUGEPAGE), the kernel's THP-off case.
 *
 * Prints key=value lines (MB/s per phase, bad pages per process) and exits
 * 1 if any page came back wrong, 2 on a usage or system error (a process
 * killed, e.g. by the OOM killer, included).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
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

/*
 * Phase barrier: the parent writes a byte to each process's go pipe to
 * start a phase, and each process writes one byte to the shared done pipe
 * when it finished it: 'k', or 'E' if it cannot go on.
 */
static int wait_go(int go_fd)
{
	char c;

	return read(go_fd, &c, 1) == 1 ? 0 : -1;
}

static int say_done(int done_fd, char c)
{
	return write(done_fd, &c, 1) == 1 ? 0 : -1;
}

/* One process: phase 0 fills, phases 1..passes verify. */
static int run(uint64_t proc, uint64_t pages, int passes, int nohuge,
	       int go_fd, int done_fd)
{
	uint64_t expect[WORDS];
	uint64_t bad = 0, idx;
	uint64_t *mem;
	int pass;

	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "swapload: cannot map %llu pages: %s\n",
			(unsigned long long)pages, strerror(errno));
		wait_go(go_fd);
		say_done(done_fd, 'E');
		return 2;
	}
	if (nohuge && madvise(mem, pages * PAGE, MADV_NOHUGEPAGE))
		fprintf(stderr, "swapload: MADV_NOHUGEPAGE: %s\n", strerror(errno));

	if (wait_go(go_fd))
		return 2;
	for (idx = 0; idx < pages; idx++)
		fill_page(mem + idx * WORDS, proc, idx);
	if (say_done(done_fd, 'k'))
		return 2;

	for (pass = 1; pass <= passes; pass++) {
		if (wait_go(go_fd))
			return 2;
		for (idx = 0; idx < pages; idx++) {
			fill_page(expect, proc, idx);
			if (memcmp(expect, mem + idx * WORDS, PAGE))
				bad++;
		}
		if (say_done(done_fd, 'k'))
			return 2;
	}
	/* Exit only once the parent closes the go pipe: any earlier exit is a failure. */
	wait_go(go_fd);
	printf("proc%llu.bad_pages=%llu\n", (unsigned long long)proc,
	       (unsigned long long)bad);
	fflush(stdout);
	return bad ? 1 : 0;
}

/*
 * Collect one done byte per process.  Returns 0, or -1 when a process
 * reported an error or died (it would never answer: poll, then look).
 */
static int wait_done(int done_fd, unsigned long procs)
{
	unsigned long got = 0;
	char c;

	while (got < procs) {
		struct pollfd pfd = { .fd = done_fd, .events = POLLIN };
		int status;

		if (poll(&pfd, 1, 1000) > 0) {
			if (read(done_fd, &c, 1) != 1 || c != 'k')
				return -1;
			got++;
		} else if (waitpid(-1, &status, WNOHANG) > 0) {
			return -1;
		}
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: swapload --size MIB [--procs N] [--passes P] [--nohuge]\n"
		"  Fills MIB MiB of anonymous memory across N processes (default 2)\n"
		"  with mixed pages, then verifies every page P times (default 2).\n"
		"  --nohuge: base pages only (MADV_NOHUGEPAGE), whatever the THP setting.\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long size_mib = 0, procs = 2, i;
	int passes = 2, nohuge = 0, status, worst = 0, phase, done[2], a;
	int go[64];
	pid_t pids[64];
	uint64_t pages;
	double t, t0, mb;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--nohuge")) {
			nohuge = 1;
			continue;
		}
		if (a + 1 >= argc)
			usage();
		if (!strcmp(argv[a], "--size"))
			size_mib = strtoul(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--procs"))
			procs = strtoul(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--passes"))
			passes = atoi(argv[++a]);
		else
			usage();
	}
	if (!size_mib || !procs || procs > 64 || passes < 1)
		usage();
	pages = size_mib * (1024 * 1024 / PAGE) / procs;
	mb = pages * procs * PAGE / 1e6;

	/* a dead process's go pipe must fail the write, not kill us */
	signal(SIGPIPE, SIG_IGN);
	if (pipe(done)) {
		perror("swapload: pipe");
		return 2;
	}
	fflush(stdout);
	for (i = 0; i < procs; i++) {
		int p[2];

		if (pipe(p)) {
			perror("swapload: pipe");
			return 2;
		}
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("swapload: fork");
			return 2;
		}
		if (!pids[i]) {
			close(p[1]);
			close(done[0]);
			_exit(run(i, pages, passes, nohuge, p[0], done[1]));
		}
		close(p[0]);
		go[i] = p[1];
	}
	close(done[1]);

	t0 = now();
	for (phase = 0; phase <= passes; phase++) {
		t = now();
		for (i = 0; i < procs; i++)
			if (write(go[i], "g", 1) != 1)
				break;
		if (i < procs || wait_done(done[0], procs)) {
			if (phase)
				fprintf(stderr, "swapload: a process failed or died in read pass %d\n",
					phase);
			else
				fprintf(stderr, "swapload: a process failed or died in the fill\n");
			for (i = 0; i < procs; i++)
				kill(pids[i], SIGKILL);
			worst = 2;
			break;
		}
		if (phase)
			printf("all.read%d_mbs=%.1f\n", phase, mb / (now() - t));
		else
			printf("all.write_mbs=%.1f\n", mb / (now() - t));
		fflush(stdout);
	}
	for (i = 0; i < procs; i++)
		close(go[i]);
	while (wait(&status) > 0) {
		int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 2;

		if (rc > worst)
			worst = rc;
	}
	printf("total_mib=%lu procs=%lu seconds=%.1f result=%s\n", size_mib,
	       procs, now() - t0, worst == 0 ? "ok" : worst == 1 ? "BAD_PAGES" : "error");
	return worst;
}
