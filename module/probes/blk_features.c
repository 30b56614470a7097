// SPDX-License-Identifier: GPL-2.0
/*
 * Queue flags became limit features: 6.11 ("block: move the synchronous flag
 * to queue_limits")
 */
#include <linux/blkdev.h>

blk_features_t st_probe(void);
blk_features_t st_probe(void)
{
	return BLK_FEAT_SYNCHRONOUS | BLK_FEAT_STABLE_WRITES;
}
