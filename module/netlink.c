// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "swaptab" (include/netlink/swaptab.yaml): add, del,
 * get (do and dump), set, reset, and the "events" multicast group.
 *
 * Policies follow the spec: one per operation, holding only the attributes
 * that operation takes, each with its range; resv_start_op makes every
 * operation validate strictly, also on 6.1.  Handlers run under
 * st_registry_lock; every rejection says why in extack.
 */
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "swaptab.h"

static struct netlink_range_validation st_index_range = {
	.max = ST_MAX_DEVICES - 1,
};

/* the largest device the table can address */
static struct netlink_range_validation st_size_range = {
	.min = 4096,
	.max = ST_MAX_SLOTS << PAGE_SHIFT,
};

static struct netlink_range_validation_signed st_level_range = {
	.min = -131072,
	.max = 22,
};

static struct netlink_range_validation st_mem_limit_range = {
	.max = U64_MAX,
};

static struct netlink_range_validation st_layout_range = {
	.max = SWAPTAB_LAYOUT_FLAT,
};

#define ST_POLICY_INDEX	NLA_POLICY_FULL_RANGE(NLA_U32, &st_index_range)
#define ST_POLICY_ALGO	{ .type = NLA_NUL_STRING, .len = SWAPTAB_ALGO_NAME_MAX - 1 }
#define ST_POLICY_LEVEL	NLA_POLICY_FULL_RANGE_SIGNED(NLA_S32, &st_level_range)
#define ST_POLICY_LIMIT	NLA_POLICY_FULL_RANGE(NLA_U64, &st_mem_limit_range)

static const struct nla_policy st_add_policy[SWAPTAB_A_DEV_LAYOUT + 1] = {
	[SWAPTAB_A_DEV_SIZE]		= NLA_POLICY_FULL_RANGE(NLA_U64, &st_size_range),
	[SWAPTAB_A_DEV_ALGORITHM]	= ST_POLICY_ALGO,
	[SWAPTAB_A_DEV_LEVEL]		= ST_POLICY_LEVEL,
	[SWAPTAB_A_DEV_MEM_LIMIT]	= ST_POLICY_LIMIT,
	[SWAPTAB_A_DEV_LAYOUT]		= NLA_POLICY_FULL_RANGE(NLA_U32, &st_layout_range),
};

/* del, get, reset */
static const struct nla_policy st_index_policy[SWAPTAB_A_DEV_INDEX + 1] = {
	[SWAPTAB_A_DEV_INDEX]		= ST_POLICY_INDEX,
};

static const struct nla_policy st_set_policy[SWAPTAB_A_DEV_MEM_LIMIT + 1] = {
	[SWAPTAB_A_DEV_INDEX]		= ST_POLICY_INDEX,
	[SWAPTAB_A_DEV_ALGORITHM]	= ST_POLICY_ALGO,
	[SWAPTAB_A_DEV_LEVEL]		= ST_POLICY_LEVEL,
	[SWAPTAB_A_DEV_MEM_LIMIT]	= ST_POLICY_LIMIT,
};

static struct genl_family st_family;

enum { ST_MCGRP_EVENTS };

static const struct genl_multicast_group st_mcgrps[] = {
	[ST_MCGRP_EVENTS] = { .name = SWAPTAB_MCGRP_EVENTS },
};

/* ---- messages ---- */

static int st_put_stats(struct sk_buff *msg, struct st_dev *dev)
{
	struct st_stats_snapshot s;
	struct nlattr *nest;

	st_dev_stats(dev, &s);
	nest = nla_nest_start(msg, SWAPTAB_A_DEV_STATS);
	if (!nest)
		return -EMSGSIZE;
#define ST_PUT(attr, val)						\
	do {								\
		if (nla_put_u64_64bit(msg, SWAPTAB_A_STATS_##attr, val,	\
				      SWAPTAB_A_STATS_PAD))		\
			goto out_cancel;				\
	} while (0)
	ST_PUT(READS, s.reads);
	ST_PUT(WRITES, s.writes);
	ST_PUT(FAILED_READS, s.failed_reads);
	ST_PUT(FAILED_WRITES, s.failed_writes);
	ST_PUT(NOTIFY_FREE, s.notify_free);
	ST_PUT(MISSED_FREE, s.missed_free);
	ST_PUT(DISCARDS, s.discards);
	ST_PUT(STORED_PAGES, s.stored);
	ST_PUT(SAME_PAGES, s.same);
	ST_PUT(HUGE_PAGES, s.huge);
	ST_PUT(ORIG_BYTES, s.orig_bytes);
	ST_PUT(COMPR_BYTES, s.compr_bytes);
	ST_PUT(POOL_BYTES, s.pool_bytes);
	ST_PUT(POOL_PEAK_BYTES, s.pool_peak);
	ST_PUT(META_STATIC_BYTES, s.meta_static);
	ST_PUT(META_DYNAMIC_BYTES, s.meta_dynamic);
	ST_PUT(CLUSTERS_USED, s.clusters_used);
	ST_PUT(MEM_LIMIT_REJECTS, s.mem_limit_rejects);
	ST_PUT(FIXED_BYTES, s.fixed_bytes);
#undef ST_PUT
	nla_nest_end(msg, nest);
	return 0;

out_cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

static int st_put_dev(struct sk_buff *msg, struct st_dev *dev, u32 portid,
		      u32 seq, int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &st_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(msg, SWAPTAB_A_DEV_INDEX, dev->index) ||
	    nla_put_string(msg, SWAPTAB_A_DEV_NAME, dev->name))
		goto out_cancel;
	if (cmd == SWAPTAB_CMD_ADD || cmd == SWAPTAB_CMD_DEL_NTF)
		goto out_end;
	if (nla_put_u64_64bit(msg, SWAPTAB_A_DEV_SIZE, dev->cfg.size,
			      SWAPTAB_A_DEV_PAD))
		goto out_cancel;
	if (cmd == SWAPTAB_CMD_ADD_NTF)
		goto out_end;
	if (nla_put_string(msg, SWAPTAB_A_DEV_ALGORITHM, dev->cfg.algorithm) ||
	    nla_put_s32(msg, SWAPTAB_A_DEV_LEVEL, dev->cfg.level) ||
	    nla_put_u64_64bit(msg, SWAPTAB_A_DEV_MEM_LIMIT,
			      READ_ONCE(dev->cfg.mem_limit),
			      SWAPTAB_A_DEV_PAD) ||
	    nla_put_u32(msg, SWAPTAB_A_DEV_LAYOUT, dev->cfg.layout) ||
	    nla_put_u32(msg, SWAPTAB_A_DEV_OPENERS, st_dev_openers(dev)) ||
	    st_put_stats(msg, dev))
		goto out_cancel;
out_end:
	genlmsg_end(msg, hdr);
	return 0;

out_cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/* st_netlink_notify - announce add/del to the events group.  May sleep. */
void st_netlink_notify(struct st_dev *dev, u8 cmd)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&st_family, &init_net, ST_MCGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (st_put_dev(msg, dev, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast(&st_family, msg, 0, ST_MCGRP_EVENTS, GFP_KERNEL);
}

/* ---- handlers ---- */

/*
 * Changing block devices needs CAP_SYS_ADMIN, as zram's sysfs and nbd's
 * netlink do; nothing else (no GENL_ADMIN_PERM, which would ask for
 * CAP_NET_ADMIN first and refuse without a message).
 */
static int st_check_admin(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "changing swaptab devices needs CAP_SYS_ADMIN");
	return -EPERM;
}

static struct st_dev *st_find(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SWAPTAB_A_DEV_INDEX];
	struct st_dev *dev;

	if (GENL_REQ_ATTR_CHECK(info, SWAPTAB_A_DEV_INDEX)) {
		NL_SET_ERR_MSG(info->extack, "device index is required");
		return ERR_PTR(-EINVAL);
	}
	dev = st_dev_lookup(nla_get_u32(attr));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such device");
		return ERR_PTR(-ENODEV);
	}
	return dev;
}

/*
 * st_parse_comp - the algorithm and level of @info, on top of @b and @level.
 * A new algorithm without a level means its default level.
 */
static int st_parse_comp(struct genl_info *info,
			 const struct st_comp_backend **b, int *level)
{
	struct nlattr *algo = info->attrs[SWAPTAB_A_DEV_ALGORITHM];
	struct nlattr *lvl = info->attrs[SWAPTAB_A_DEV_LEVEL];
	char name[SWAPTAB_ALGO_NAME_MAX];
	int min, max;

	if (algo) {
		nla_strscpy(name, algo, sizeof(name));
		*b = st_comp_find(name);
		if (!*b) {
			NL_SET_ERR_MSG_ATTR(info->extack, algo,
					    ST_COMP_UNKNOWN_MSG);
			return -ENOENT;
		}
		*level = 0;
	}
	if (lvl)
		*level = nla_get_s32(lvl);
	if (!st_comp_level_ok(*b, *level, &min, &max)) {
		NL_SET_ERR_MSG_ATTR(info->extack, lvl ? lvl : algo,
				    "level out of range for this algorithm (0 is its default)");
		return -ERANGE;
	}
	return 0;
}

static int st_nl_add(struct sk_buff *skb, struct genl_info *info)
{
	struct st_config cfg = { .layout = SWAPTAB_LAYOUT_TABLE };
	const struct st_comp_backend *b = st_comp_find("lzo-rle");
	struct nlattr *size = info->attrs[SWAPTAB_A_DEV_SIZE];
	struct sk_buff *msg;
	struct st_dev *dev;
	int ret;

	ret = st_check_admin(skb, info);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, SWAPTAB_A_DEV_SIZE)) {
		NL_SET_ERR_MSG(info->extack, "size is required");
		return -EINVAL;
	}
	cfg.size = nla_get_u64(size);
	if (!IS_ALIGNED(cfg.size, PAGE_SIZE)) {
		NL_SET_ERR_MSG_ATTR(info->extack, size,
				    "size must be a multiple of 4096");
		return -EINVAL;
	}
	ret = st_parse_comp(info, &b, &cfg.level);
	if (ret)
		return ret;
	strscpy(cfg.algorithm, b->name, sizeof(cfg.algorithm));
	if (info->attrs[SWAPTAB_A_DEV_MEM_LIMIT])
		cfg.mem_limit = nla_get_u64(info->attrs[SWAPTAB_A_DEV_MEM_LIMIT]);
	if (info->attrs[SWAPTAB_A_DEV_LAYOUT])
		cfg.layout = nla_get_u32(info->attrs[SWAPTAB_A_DEV_LAYOUT]);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&st_registry_lock);
	ret = st_dev_add(&cfg, &dev);
	if (ret) {
		if (ret == -ENOSPC)
			NL_SET_ERR_MSG(info->extack, "too many devices");
		else
			NL_SET_ERR_MSG(info->extack,
				       "cannot allocate the device (its metadata, pool or compressor)");
		goto out_unlock;
	}
	ret = st_put_dev(msg, dev, info->snd_portid, info->snd_seq, 0,
			 SWAPTAB_CMD_ADD);
	if (ret)
		goto out_unlock;
	st_netlink_notify(dev, SWAPTAB_CMD_ADD_NTF);
	mutex_unlock(&st_registry_lock);
	return genlmsg_reply(msg, info);

out_unlock:
	mutex_unlock(&st_registry_lock);
	nlmsg_free(msg);
	return ret;
}

/*
 * st_nl_on_dev - run @op on the device @info names, under the registry lock:
 * the body of del and reset, which both refuse a device that is open.  Only
 * reset fails otherwise, when it cannot reallocate the table.  May sleep.
 */
static int st_nl_on_dev(struct sk_buff *skb, struct genl_info *info,
			int (*op)(struct st_dev *dev))
{
	struct st_dev *dev;
	int ret;

	ret = st_check_admin(skb, info);
	if (ret)
		return ret;
	mutex_lock(&st_registry_lock);
	dev = st_find(info);
	ret = IS_ERR(dev) ? PTR_ERR(dev) : op(dev);
	if (ret == -EBUSY)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[SWAPTAB_A_DEV_INDEX],
				    "device is open (swapon, mounted or in use)");
	else if (ret && !IS_ERR(dev))
		NL_SET_ERR_MSG(info->extack,
			       "cannot reallocate the device's metadata; the device fails I/O until a reset succeeds");
	mutex_unlock(&st_registry_lock);
	return ret;
}

static int st_nl_del(struct sk_buff *skb, struct genl_info *info)
{
	return st_nl_on_dev(skb, info, st_dev_del);
}

static int st_nl_reset(struct sk_buff *skb, struct genl_info *info)
{
	return st_nl_on_dev(skb, info, st_dev_reset);
}

static int st_nl_set(struct sk_buff *skb, struct genl_info *info)
{
	const struct st_comp_backend *b;
	struct st_dev *dev;
	int level, ret;

	ret = st_check_admin(skb, info);
	if (ret)
		return ret;
	mutex_lock(&st_registry_lock);
	dev = st_find(info);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto out_unlock;
	}
	if (info->attrs[SWAPTAB_A_DEV_ALGORITHM] ||
	    info->attrs[SWAPTAB_A_DEV_LEVEL]) {
		b = st_comp_find(dev->cfg.algorithm);
		level = dev->cfg.level;
		ret = st_parse_comp(info, &b, &level);
		if (ret)
			goto out_unlock;
		ret = st_dev_set_comp(dev, b, level);
		if (ret == -EBUSY)
			NL_SET_ERR_MSG(info->extack,
				       "algorithm and level can change only while the device stores nothing (reset it first)");
		else if (ret)
			NL_SET_ERR_MSG(info->extack,
				       "cannot allocate the compressor");
		if (ret)
			goto out_unlock;
	}
	if (info->attrs[SWAPTAB_A_DEV_MEM_LIMIT])
		st_dev_set_mem_limit(dev,
				     nla_get_u64(info->attrs[SWAPTAB_A_DEV_MEM_LIMIT]));
out_unlock:
	mutex_unlock(&st_registry_lock);
	return ret;
}

/* get is open to everyone: it only reads, like zram's sysfs counters. */
static int st_nl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct st_dev *dev;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&st_registry_lock);
	dev = st_find(info);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto out_unlock;
	}
	ret = st_put_dev(msg, dev, info->snd_portid, info->snd_seq, 0,
			 SWAPTAB_CMD_GET);
	if (ret)
		goto out_unlock;
	mutex_unlock(&st_registry_lock);
	return genlmsg_reply(msg, info);

out_unlock:
	mutex_unlock(&st_registry_lock);
	nlmsg_free(msg);
	return ret;
}

/* cb->args[0]: index of the next device to dump. */
static int st_nl_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	u32 index = cb->args[0];
	struct st_dev *dev;

	mutex_lock(&st_registry_lock);
	while ((dev = st_dev_next(&index))) {
		if (st_put_dev(skb, dev, NETLINK_CB(cb->skb).portid,
			       cb->nlh->nlmsg_seq, NLM_F_MULTI,
			       SWAPTAB_CMD_GET))
			break;
		index++;
	}
	mutex_unlock(&st_registry_lock);
	cb->args[0] = index;
	return skb->len;
}

static const struct genl_ops st_ops[] = {
	{
		.cmd		= SWAPTAB_CMD_ADD,
		.doit		= st_nl_add,
		.policy		= st_add_policy,
		.maxattr	= ARRAY_SIZE(st_add_policy) - 1,
	},
	{
		.cmd		= SWAPTAB_CMD_DEL,
		.doit		= st_nl_del,
		.policy		= st_index_policy,
		.maxattr	= ARRAY_SIZE(st_index_policy) - 1,
	},
	{
		.cmd		= SWAPTAB_CMD_GET,
		.doit		= st_nl_get_doit,
		.dumpit		= st_nl_get_dumpit,
		.policy		= st_index_policy,
		.maxattr	= ARRAY_SIZE(st_index_policy) - 1,
	},
	{
		.cmd		= SWAPTAB_CMD_SET,
		.doit		= st_nl_set,
		.policy		= st_set_policy,
		.maxattr	= ARRAY_SIZE(st_set_policy) - 1,
	},
	{
		.cmd		= SWAPTAB_CMD_RESET,
		.doit		= st_nl_reset,
		.policy		= st_index_policy,
		.maxattr	= ARRAY_SIZE(st_index_policy) - 1,
	},
};

static struct genl_family st_family __ro_after_init = {
	.name		= SWAPTAB_FAMILY_NAME,
	.version	= SWAPTAB_FAMILY_VERSION,
	.module		= THIS_MODULE,
	.parallel_ops	= true,
	.ops		= st_ops,
	.n_ops		= ARRAY_SIZE(st_ops),
	.resv_start_op	= SWAPTAB_CMD_RESET + 1,
	.mcgrps		= st_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(st_mcgrps),
};

int st_netlink_init(void)
{
	return genl_register_family(&st_family);
}

void st_netlink_exit(void)
{
	genl_unregister_family(&st_family);
}
