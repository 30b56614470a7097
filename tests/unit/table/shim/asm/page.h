/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for the kernel's <asm/page.h>: 4 KiB pages. */
#ifndef ST_SHIM_ASM_PAGE_H
#define ST_SHIM_ASM_PAGE_H

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)

#endif
