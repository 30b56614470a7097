// SPDX-License-Identifier: GPL-2.0
/*
 * ->open() takes the gendisk and a blk_mode_t, ->release() the gendisk
 * alone: 6.5
 */
#include <linux/blkdev.h>

static int st_open(struct gendisk *disk, blk_mode_t mode)
{
	return 0;
}

static void st_release(struct gendisk *disk)
{
}

const struct block_device_operations st_probe = {
	.open = st_open,
	.release = st_release,
};
