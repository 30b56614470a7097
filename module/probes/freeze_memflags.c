// SPDX-License-Identifier: GPL-2.0
/*
 * blk_mq_freeze_queue() enters a NOIO allocation scope and returns its flags
 * for the unfreeze: 6.14
 */
#include <linux/blk-mq.h>

unsigned int st_probe(struct request_queue *q);
unsigned int st_probe(struct request_queue *q)
{
	unsigned int memflags = blk_mq_freeze_queue(q);

	blk_mq_unfreeze_queue(q, memflags);
	return memflags;
}
