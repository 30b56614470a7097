// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: swaptab/algorithms, and per device swaptab/<dev>/stats (every
 * counter, "name value" lines) and swaptab/<dev>/clusters (one line per
 * cluster in use: index used same huge bytes meta_bytes, where bytes is
 * what its slots hold in the pool, a page for each huge one).
 *
 * A file's device stays valid while the file is read: st_debugfs_del()
 * removes the directory, which waits for readers, before the device is freed.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "swaptab.h"

static struct dentry *st_debugfs_root;

static int st_algorithms_show(struct seq_file *m, void *unused)
{
	char buf[128];

	st_comp_names(buf, sizeof(buf));
	seq_printf(m, "%s\n", buf);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(st_algorithms);

static int st_stats_show(struct seq_file *m, void *unused)
{
	struct st_dev *dev = m->private;
	struct st_stats_snapshot s;

	st_dev_stats(dev, &s);
#define ST_SHOW(name) seq_printf(m, "%s %llu\n", #name, (unsigned long long)s.name)
	ST_SHOW(reads);
	ST_SHOW(writes);
	ST_SHOW(failed_reads);
	ST_SHOW(failed_writes);
	ST_SHOW(notify_free);
	ST_SHOW(missed_free);
	ST_SHOW(discards);
	seq_printf(m, "stored_pages %llu\n", s.stored);
	seq_printf(m, "same_pages %llu\n", s.same);
	seq_printf(m, "huge_pages %llu\n", s.huge);
	seq_printf(m, "obj_pages %llu\n", s.obj);
	ST_SHOW(orig_bytes);
	ST_SHOW(compr_bytes);
	ST_SHOW(pool_bytes);
	seq_printf(m, "pool_peak_bytes %llu\n", s.pool_peak);
	seq_printf(m, "meta_static_bytes %llu\n", s.meta_static);
	seq_printf(m, "meta_dynamic_bytes %llu\n", s.meta_dynamic);
	ST_SHOW(clusters_used);
	ST_SHOW(mem_limit_rejects);
	/* per-device memory independent of size: device struct, compressor streams */
	ST_SHOW(fixed_bytes);
#undef ST_SHOW
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(st_stats);

static int st_cluster_line(void *priv, const struct st_cluster_view *v)
{
	struct seq_file *m = priv;

	seq_printf(m, "%llu %u %u %u %llu %llu\n", v->index, v->used, v->same,
		   v->huge, v->bytes, v->meta_bytes);
	return 0;
}

/* Holds table_lock for reading: reset cannot swap the table under the walk. */
static int st_clusters_show(struct seq_file *m, void *unused)
{
	struct st_dev *dev = m->private;
	int ret;

	seq_puts(m, "# index used same huge bytes meta_bytes\n");
	down_read(&dev->table_lock);
	ret = dev->broken ? 0 : st_cluster_walk(&dev->table, st_cluster_line, m);
	up_read(&dev->table_lock);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(st_clusters);

void st_debugfs_init(void)
{
	st_debugfs_root = debugfs_create_dir("swaptab", NULL);
	debugfs_create_file("algorithms", 0444, st_debugfs_root, NULL,
			    &st_algorithms_fops);
}

void st_debugfs_exit(void)
{
	debugfs_remove_recursive(st_debugfs_root);
}

void st_debugfs_add(struct st_dev *dev)
{
	dev->debugfs = debugfs_create_dir(dev->name, st_debugfs_root);
	debugfs_create_file("stats", 0444, dev->debugfs, dev, &st_stats_fops);
	debugfs_create_file("clusters", 0444, dev->debugfs, dev,
			    &st_clusters_fops);
}

void st_debugfs_del(struct st_dev *dev)
{
	debugfs_remove_recursive(dev->debugfs);
	dev->debugfs = NULL;
}
