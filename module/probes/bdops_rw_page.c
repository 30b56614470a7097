// SPDX-License-Identifier: GPL-2.0
/*
 * ->rw_page, through which swap ran synchronous I/O: removed in 6.3 ("block:
 * remove ->rw_page")
 */
#include <linux/blkdev.h>

const struct block_device_operations st_probe = { .rw_page = NULL };
