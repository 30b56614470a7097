// swaptabctl: parse the command line, dispatch to cmd/, map errors to exit codes.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>

#include "cmd/common.h"
#include "cmd/device.h"
#include "cmd/list.h"
#include "cmd/monitor.h"
#include "cmd/overhead.h"
#include "cmd/stats.h"
#include "cmd/watch.h"
#include "util/result.h"

namespace {

using swaptab::ErrorKind;
using swaptab::Status;
namespace cmd = swaptab::cmd;

constexpr const char* kExitCodes =
    "Exit status: 0 success, 1 failure (kernel refused, I/O error), 2 bad usage, "
    "3 swaptab module not loaded, 4 permission denied (root or CAP_SYS_ADMIN needed), "
    "5 no such device, 6 device busy.";

// Output options of list/stats/overhead/watch, bound to their flags.
struct OutputFlags {
  std::string format = "table";
  bool json = false;
  bool noheadings = false;
  bool raw = false;
  bool bytes = false;
  std::string columns;
  bool output_all = false;
};

void add_format_flags(CLI::App* sub, OutputFlags& f, bool columns) {
  sub->add_option("--format", f.format, "Output format: table, json or prometheus")
      ->check(CLI::IsMember({"table", "json", "prometheus"}));
  sub->add_flag("-J,--json", f.json, "Use JSON output format");
  sub->add_flag("-n,--noheadings", f.noheadings, "Don't print headings");
  sub->add_flag("--raw", f.raw, "Use the raw output format");
  sub->add_flag("-b,--bytes", f.bytes, "Print sizes in bytes rather than in human form");
  if (columns) {
    std::string help = "Columns to print (comma-separated; +COL adds to the defaults):";
    for (const auto& c : cmd::list_columns()) {
      help += std::string("\n    ") + c.name + ": " + c.help + (c.default_on ? " (default)" : "");
    }
    sub->add_option("-o,--output", f.columns, help);
    sub->add_flag("--output-all", f.output_all, "Output all columns");
  }
}

swaptab::Result<cmd::OutputOptions> output_options(const OutputFlags& f) {
  cmd::OutputOptions o;
  auto format = cmd::parse_format(f.json ? "json" : f.format);
  if (!format) {
    return format.take_error();
  }
  o.format = *format;
  o.headings = !f.noheadings;
  o.raw = f.raw;
  o.bytes = f.bytes;
  o.colour = !f.raw && swaptab::out::want_colour(STDOUT_FILENO);
  std::stringstream ss(f.columns);
  std::string col;
  while (std::getline(ss, col, ',')) {
    if (!col.empty()) {
      o.columns.push_back(col);
    }
  }
  o.all_columns = f.output_all;
  return o;
}

int report(const swaptab::Error& e, const CLI::App* usage_of) {
  std::cerr << "swaptabctl: " << e.message << '\n';
  if (e.kind == ErrorKind::kUsage && usage_of != nullptr) {
    std::cerr << "Try 'swaptabctl " << usage_of->get_name() << " --help' for more information.\n";
  }
  return swaptab::exit_code_for(e.kind);
}

int run(int argc, char** argv) {
  CLI::App app{
      "swaptabctl: configure swaptab compressed-RAM swap devices and report what "
      "each swap slot costs",
      "swaptabctl"};
  app.footer(kExitCodes);
  app.set_version_flag("-V,--version", "swaptabctl " SWAPTABCTL_VERSION);
  app.require_subcommand(1);

  std::function<Status()> action;
  CLI::App* chosen = nullptr;

  // add
  cmd::AddOptions add;
  int add_level = 0;
  int add_prio = -1;
  auto* add_cmd = app.add_subcommand("add", "Create a device and print its name");
  add_cmd->add_option("-s,--size", add.size, "Disk size, e.g. 512M, 4G, 1T")->required();
  auto* add_algo = add_cmd->add_option(
      "-a,--algorithm", add.algorithm,
      "Compression algorithm: lzo-rle (default), lzo, lz4, lz4hc, zstd, deflate");
  auto* add_lvl = add_cmd->add_option("-l,--level", add_level, "Compression level");
  auto* add_limit = add_cmd->add_option("-m,--mem-limit", add.mem_limit,
                                        "Most pool memory the device may use, e.g. 1G");
  add_cmd->add_option("--layout", add.layout, "Metadata layout: table (default) or flat")
      ->check(CLI::IsMember({"table", "flat"}));
  add_cmd->add_flag("--swapon", add.swapon, "Run mkswap and swapon on the new device");
  auto* add_p = add_cmd->add_option("-p,--priority", add_prio, "Swap priority for --swapon");
  add_cmd->callback([&] {
    chosen = add_cmd;
    if (add_algo->count() == 0) {
      add.algorithm.reset();
    }
    if (add_limit->count() == 0) {
      add.mem_limit.reset();
    }
    action = [&]() -> Status {
      if (add_lvl->count() != 0) {
        add.level = add_level;
      }
      if (add_p->count() != 0) {
        add.priority = add_prio;
      }
      return cmd::run_add(add, std::cout);
    };
  });
  add_p->check(CLI::Range(-1, 32767));

  // remove
  std::string rm_dev;
  bool rm_swapoff = false;
  auto* rm_cmd = app.add_subcommand("remove", "Remove a device");
  rm_cmd->alias("del");
  rm_cmd->add_option("device", rm_dev, "swaptabN or /dev/swaptabN")->required();
  rm_cmd->add_flag("--swapoff", rm_swapoff, "swapoff the device first if it is swapped on");
  rm_cmd->callback([&] {
    chosen = rm_cmd;
    action = [&] { return cmd::run_remove(rm_dev, rm_swapoff); };
  });

  // reset
  std::string reset_dev;
  auto* reset_cmd = app.add_subcommand("reset", "Drop all data stored on a device");
  reset_cmd->add_option("device", reset_dev, "swaptabN or /dev/swaptabN")->required();
  reset_cmd->callback([&] {
    chosen = reset_cmd;
    action = [&] { return cmd::run_reset(reset_dev); };
  });

  // set
  cmd::SetOptions set;
  std::string set_limit;
  std::string set_algo;
  int set_level = 0;
  auto* set_cmd = app.add_subcommand("set",
                                     "Change a device's mem-limit (or, while empty, "
                                     "its algorithm and level)");
  set_cmd->add_option("device", set.device, "swaptabN or /dev/swaptabN")->required();
  auto* set_l = set_cmd->add_option("-m,--mem-limit", set_limit, "New limit, 0 for none");
  auto* set_a = set_cmd->add_option("-a,--algorithm", set_algo, "Compression algorithm");
  auto* set_v = set_cmd->add_option("-l,--level", set_level, "Compression level");
  set_cmd->callback([&] {
    chosen = set_cmd;
    if (set_l->count() != 0) {
      set.mem_limit = set_limit;
    }
    if (set_a->count() != 0) {
      set.algorithm = set_algo;
    }
    action = [&]() -> Status {
      if (set_v->count() != 0) {
        set.level = set_level;
      }
      return cmd::run_set(set);
    };
  });

  // list
  OutputFlags list_flags;
  auto* list_cmd = app.add_subcommand("list", "List devices (columns like zramctl)");
  add_format_flags(list_cmd, list_flags, true);
  list_cmd->callback([&] {
    chosen = list_cmd;
    action = [&]() -> Status {
      auto o = output_options(list_flags);
      if (!o) {
        return o.take_error();
      }
      return cmd::run_list(*o, std::cout);
    };
  });

  // stats
  OutputFlags stats_flags;
  std::string stats_dev;
  auto* stats_cmd = app.add_subcommand("stats", "Every counter of one device or of all");
  auto* stats_dev_opt = stats_cmd->add_option("device", stats_dev, "swaptabN (default: all)");
  add_format_flags(stats_cmd, stats_flags, false);
  stats_cmd->callback([&] {
    chosen = stats_cmd;
    action = [&]() -> Status {
      auto o = output_options(stats_flags);
      if (!o) {
        return o.take_error();
      }
      std::optional<std::string> dev;
      if (stats_dev_opt->count() != 0) {
        dev = stats_dev;
      }
      return cmd::run_stats(dev, *o, std::cout);
    };
  });

  // overhead
  OutputFlags oh_flags;
  cmd::OverheadOptions oh;
  std::string oh_btf;
  std::string oh_zram_btf;
  auto* oh_cmd = app.add_subcommand(
      "overhead", "Per-slot metadata cost of every swaptab and zram device and swap area");
  add_format_flags(oh_cmd, oh_flags, false);
  auto* oh_btf_opt =
      oh_cmd->add_option("--btf", oh_btf, "Read the swap layer from this vmlinux BTF file")
          ->check(CLI::ExistingFile);
  auto* oh_zbtf_opt =
      oh_cmd->add_option("--zram-btf", oh_zram_btf, "Read zram_table_entry from this zram BTF file")
          ->check(CLI::ExistingFile);
  oh_cmd->add_flag("-d,--details", oh.details, "Show how the swap layer figure is derived");
  oh_cmd->callback([&] {
    chosen = oh_cmd;
    action = [&]() -> Status {
      if (oh_btf_opt->count() != 0) {
        oh.vmlinux_btf = oh_btf;
      }
      if (oh_zbtf_opt->count() != 0) {
        oh.zram_btf = oh_zram_btf;
      }
      auto o = output_options(oh_flags);
      if (!o) {
        return o.take_error();
      }
      return cmd::run_overhead(oh, *o, std::cout);
    };
  });

  // watch
  cmd::WatchOptions watch;
  OutputFlags watch_flags;
  auto* watch_cmd = app.add_subcommand("watch", "Live counters, rates and overhead (q quits)");
  watch_cmd->add_option("-i,--interval", watch.interval, "Seconds between refreshes")
      ->check(CLI::Range(0.1, 3600.0));
  watch_cmd->add_option("-c,--count", watch.iterations, "Stop after this many refreshes")
      ->check(CLI::NonNegativeNumber);
  watch_cmd->add_flag("-b,--bytes", watch_flags.bytes, "Print sizes in bytes");
  watch_cmd->callback([&] {
    chosen = watch_cmd;
    action = [&]() -> Status {
      auto o = output_options(watch_flags);
      if (!o) {
        return o.take_error();
      }
      return cmd::run_watch(watch, *o, std::cout);
    };
  });

  // monitor
  cmd::MonitorOptions mon;
  auto* mon_cmd = app.add_subcommand("monitor", "Print device add/del events as they happen");
  mon_cmd->add_flag("-J,--json", mon.json, "One JSON object per event");
  mon_cmd->add_option("-c,--count", mon.count, "Exit after this many events")
      ->check(CLI::NonNegativeNumber);
  mon_cmd->add_option("-t,--timeout", mon.timeout, "Exit after this many seconds")
      ->check(CLI::Range(0.0, 86400.0));
  mon_cmd->callback([&] {
    chosen = mon_cmd;
    action = [&] { return cmd::run_monitor(mon, std::cout); };
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      return app.exit(e);  // --help, --version
    }
    std::cerr << "swaptabctl: " << e.what() << "\n\n";
    const CLI::App* sub = chosen;
    if (sub == nullptr) {
      for (const CLI::App* s : app.get_subcommands()) {
        sub = s;
      }
    }
    std::cerr << (sub != nullptr ? sub->help() : app.help());
    return 2;
  }
  if (!action) {
    std::cerr << app.help();
    return 2;
  }
  const Status st = action();
  if (!st) {
    return report(st.error(), chosen);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "swaptabctl: internal error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "swaptabctl: internal error\n";
  }
  return 1;
}
