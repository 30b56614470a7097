// SPDX-License-Identifier: GPL-2.0
/*
 * cmpxchg16b-flags: does this CPU (or emulator) keep RFLAGS intact across an
 * unlocked cmpxchg16b, the instruction of SLUB's per-CPU fast path?
 *
 * QEMU 7.2's TCG calls its cmpxchg16b helper without first storing the
 * translator's pending condition-code state, and the helper rebuilds the
 * flags from whatever state the CPU struct holds.  When a flags-setting
 * instruction ran earlier in the same translation block and the block
 * started with the flags held whole (after popf, iret, or a cmpxchg16b),
 * the helper takes that instruction's source operand for RFLAGS: any bit
 * of it, TF, DF, IOPL, NT, AC, lands in the guest's flags.  In a kernel,
 * the next interrupt frame carries them and IRET loads them: the double
 * fault of issue 18 had EFLAGS c2ea0f6a, the low half of a slab pointer,
 * right after SLUB's cmpxchg16b in kmem_cache_alloc().
 *
 * Here: popf ends a block with the flags held whole, a sub makes NT (bit
 * 14) the source operand, cmpxchg16b runs, pushf reads the flags.  A sub
 * never sets NT, and cmpxchg16b changes ZF only, so NT must be clear.
 * Prints one line; exits 0 if the flags are intact, 1 if not.
 */
#include <stdint.h>
#include <stdio.h>

#define X86_EFLAGS_NT (1UL << 14)

int main(void)
{
	static unsigned __int128 slot __attribute__((aligned(16)));
	unsigned long flags, tmp = 1, junk = X86_EFLAGS_NT;
	int bad = 0, i;

	for (i = 0; i < 1000; i++) {
		asm volatile("pushfq\n\t"
			     "popfq\n\t"
			     "sub %[junk], %[tmp]\n\t"
			     "mov $0, %%eax\n\t"
			     "mov $0, %%edx\n\t"
			     "mov $0, %%ebx\n\t"
			     "mov $0, %%ecx\n\t"
			     "cmpxchg16b %[slot]\n\t"
			     "pushfq\n\t"
			     "pop %[flags]\n\t"
			     : [flags] "=r"(flags), [tmp] "+r"(tmp),
			       [slot] "+m"(slot)
			     : [junk] "r"(junk)
			     : "rax", "rbx", "rcx", "rdx", "cc", "memory");
		if (flags & X86_EFLAGS_NT) {
			bad = 1;
			break;
		}
	}
	printf("cmpxchg16b-flags: %s (rflags %#lx, %d rounds)\n",
	       bad ? "BROKEN: a sub's operand leaked into RFLAGS" : "intact",
	       flags, bad ? i + 1 : i);
	return bad;
}
