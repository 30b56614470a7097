// SPDX-License-Identifier: GPL-2.0
/*
 * swaptab: module init/exit, parameters and the device registry.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/blkdev.h>
#include <linux/idr.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>

#include "swaptab.h"

static unsigned int num_devices;
module_param(num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices, "Devices created at load (default 0)");

static unsigned long long default_size = 1ULL << 30;
module_param(default_size, ullong, 0444);
MODULE_PARM_DESC(default_size,
		 "Size in bytes of the devices created at load (default 1 GiB)");

/*
 * st_registry_lock guards st_devices and the life of every device: add, del,
 * reset, set, get and dump all run under it, so a device found in the idr
 * stays valid until the lock is dropped.
 */
DEFINE_MUTEX(st_registry_lock);
static DEFINE_IDR(st_devices);

struct st_dev *st_dev_lookup(u32 index)
{
	lockdep_assert_held(&st_registry_lock);
	return idr_find(&st_devices, index);
}

/* st_dev_next - the device of the lowest index >= *index, or NULL. */
struct st_dev *st_dev_next(u32 *index)
{
	int id = *index;
	struct st_dev *dev;

	lockdep_assert_held(&st_registry_lock);
	dev = idr_get_next(&st_devices, &id);
	if (dev)
		*index = id;
	return dev;
}

/*
 * st_dev_add - create a device for @cfg (already validated) and register
 * its disk.  Registry lock held; may sleep.
 */
int st_dev_add(const struct st_config *cfg, struct st_dev **out)
{
	struct st_dev *dev;
	int ret;

	lockdep_assert_held(&st_registry_lock);
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->cfg = *cfg;

	ret = idr_alloc(&st_devices, dev, 0, ST_MAX_DEVICES, GFP_KERNEL);
	if (ret < 0)
		goto out_free_dev;
	dev->index = ret;
	snprintf(dev->name, sizeof(dev->name), ST_DEV_PREFIX "%d", dev->index);

	dev->stats = alloc_percpu(struct st_stats);
	if (!dev->stats) {
		ret = -ENOMEM;
		goto out_remove_id;
	}
	init_rwsem(&dev->table_lock);
	ret = st_dev_storage_init(dev);
	if (ret)
		goto out_free_stats;
	atomic64_set(&dev->pool_peak, st_store_bytes(dev->pool));
	ret = st_disk_create(dev);
	if (ret)
		goto out_free_storage;
	st_debugfs_add(dev);
	*out = dev;
	return 0;

out_free_storage:
	st_dev_storage_free(dev);
out_free_stats:
	free_percpu(dev->stats);
out_remove_id:
	idr_remove(&st_devices, dev->index);
out_free_dev:
	kfree(dev);
	return ret;
}

/* st_dev_del - remove a closed device.  Registry lock held; may sleep. */
int st_dev_del(struct st_dev *dev)
{
	int ret;

	lockdep_assert_held(&st_registry_lock);
	ret = st_dev_claim(dev);
	if (ret)
		return ret;
	st_netlink_notify(dev, SWAPTAB_CMD_DEL_NTF);
	st_debugfs_del(dev);
	idr_remove(&st_devices, dev->index);
	st_disk_destroy(dev);
	free_percpu(dev->stats);
	kfree(dev);
	return 0;
}

static void st_del_all(void)
{
	struct st_dev *dev;
	int id;

	mutex_lock(&st_registry_lock);
	idr_for_each_entry(&st_devices, dev, id)
		if (st_dev_del(dev))
			pr_err("%s busy at unload\n", dev->name);
	mutex_unlock(&st_registry_lock);
}

static int __init st_init(void)
{
	struct st_config cfg = {
		.size = round_down(default_size, PAGE_SIZE),
		.algorithm = "lzo-rle",
		.layout = SWAPTAB_LAYOUT_TABLE,
	};
	struct st_dev *dev;
	unsigned int i;
	int ret;

	BUILD_BUG_ON(PAGE_SIZE != 4096);

	st_major = register_blkdev(0, ST_DEV_PREFIX);
	if (st_major < 0)
		return st_major;
	st_debugfs_init();

	ret = st_netlink_init();
	if (ret)
		goto out_debugfs;

	if (num_devices && !cfg.size) {
		ret = -EINVAL;
		goto out_netlink;
	}
	mutex_lock(&st_registry_lock);
	for (i = 0, ret = 0; i < num_devices && !ret; i++)
		ret = st_dev_add(&cfg, &dev);
	mutex_unlock(&st_registry_lock);
	if (ret)
		goto out_devices;
	return 0;

out_devices:
	st_del_all();
out_netlink:
	st_netlink_exit();
out_debugfs:
	st_debugfs_exit();
	unregister_blkdev(st_major, ST_DEV_PREFIX);
	return ret;
}

static void __exit st_exit(void)
{
	st_netlink_exit();
	st_del_all();
	idr_destroy(&st_devices);
	st_debugfs_exit();
	unregister_blkdev(st_major, ST_DEV_PREFIX);
}

module_init(st_init);
module_exit(st_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(SWAPTAB_VERSION);
MODULE_DESCRIPTION("Compressed-RAM swap device with on-demand swap-table metadata");
MODULE_ALIAS_GENL_FAMILY(SWAPTAB_FAMILY_NAME);
