// Presentation: tables, JSON, Prometheus, and the overhead arithmetic behind them.
#include <gtest/gtest.h>

#include <sstream>

#include "cmd/device.h"
#include "cmd/list.h"
#include "cmd/monitor.h"
#include "cmd/overhead.h"
#include "cmd/stats.h"
#include "cmd/watch.h"
#include "kernel/overhead.h"
#include "out/json.h"
#include "out/prometheus.h"
#include "out/table.h"

namespace swaptab {
namespace {

DeviceInfo sample_device() {
  DeviceInfo d;
  d.index = 0;
  d.name = "swaptab0";
  d.size = 1ULL << 30;  // 262144 slots
  d.algorithm = "lz4";
  d.mem_limit = 0;
  d.layout = 0;
  d.openers = 1;
  d.has_stats = true;
  d.stats.reads = 10;
  d.stats.writes = 1000;
  d.stats.stored_pages = 1000;
  d.stats.same_pages = 100;
  d.stats.huge_pages = 100;
  d.stats.orig_bytes = uint64_t{1000} * 4096;
  d.stats.compr_bytes = 1500000;
  d.stats.pool_bytes = 1600000;
  d.stats.meta_static_bytes = 4096;
  d.stats.meta_dynamic_bytes = 8000;
  d.stats.clusters_used = 2;
  return d;
}

TEST(Table, AlignsAndRightJustifiesNumbers) {
  out::Table t({{"NAME", false}, {"SIZE", true}, {"ALGO", false}});
  t.add_row({"/dev/swaptab0", "4G", "lz4"});
  t.add_row({"/dev/swaptab10", "512M", "zstd"});
  std::ostringstream os;
  t.render(os, {});
  EXPECT_EQ(os.str(),
            "NAME           SIZE ALGO\n"
            "/dev/swaptab0    4G lz4\n"
            "/dev/swaptab10 512M zstd\n");
}

TEST(Table, RawAndNoHeadings) {
  out::Table t({{"NAME", false}, {"ALGO", false}});
  t.add_row({"a b", "lz4"});
  std::ostringstream os;
  t.render(os, {false, true, false});
  EXPECT_EQ(os.str(), "a\\x20b lz4\n");
}

TEST(Table, ColourOnlyWhenAsked) {
  out::Table t({{"NAME", false}});
  t.add_row({"x"});
  std::ostringstream plain;
  t.render(plain, {});
  EXPECT_EQ(plain.str().find('\033'), std::string::npos);
  std::ostringstream colour;
  t.render(colour, {true, false, true});
  EXPECT_EQ(colour.str(), "\033[1mNAME\033[0m\nx\n");
}

TEST(Json, EscapesAndKeepsOrder) {
  out::Json o = out::Json::object();
  o.set("b", "q\"uote\n");
  o.set("a", uint64_t{18446744073709551615ULL});
  o.set("n", out::Json());
  o.set("f", 0.09375);
  out::Json arr = out::Json::array();
  arr.push(1);
  arr.push(true);
  o.set("arr", std::move(arr));
  EXPECT_EQ(o.dump(false),
            R"({"b":"q\"uote\n","a":18446744073709551615,"n":null,"f":0.09375,"arr":[1,true]})"
            "");
  EXPECT_EQ(out::Json::object().dump(true), "{}\n");
}

TEST(Prometheus, FamiliesWithHelpTypeAndEscapedLabels) {
  out::Prometheus p;
  p.family("swaptab_reads_total", "Pages read.", "counter");
  p.sample("swaptab_reads_total", {{"device", "swap\"tab0"}}, uint64_t{5});
  p.sample("swaptab_reads_total", {{"device", "swaptab1"}}, uint64_t{7});
  p.family("swaptab_ratio", "A ratio.", "gauge");
  p.sample("swaptab_ratio", {}, 0.5);
  p.family("swaptab_empty", "No samples: omitted.", "gauge");
  std::ostringstream os;
  p.write(os);
  EXPECT_EQ(os.str(),
            "# HELP swaptab_reads_total Pages read.\n"
            "# TYPE swaptab_reads_total counter\n"
            "swaptab_reads_total{device=\"swap\\\"tab0\"} 5\n"
            "swaptab_reads_total{device=\"swaptab1\"} 7\n"
            "# HELP swaptab_ratio A ratio.\n"
            "# TYPE swaptab_ratio gauge\n"
            "swaptab_ratio 0.5\n");
}

TEST(List, DefaultColumnsHuman) {
  cmd::OutputOptions o;
  auto text = cmd::render_list({sample_device()}, o);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            "NAME          DISKSIZE DATA COMPR ALGORITHM TOTAL MEM-LIMIT META-STATIC META-DYN "
            "B/SLOT\n"
            "/dev/swaptab0       1G 3.9M  1.4M lz4        1.5M        0B          4K     7.8K  "
            "0.046\n");
}

TEST(List, SelectedColumnsBytesRaw) {
  cmd::OutputOptions o;
  o.columns = {"name", "DISKSIZE", "layout", "pages"};
  o.bytes = true;
  o.raw = true;
  auto text = cmd::render_list({sample_device()}, o);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "NAME DISKSIZE LAYOUT PAGES\n/dev/swaptab0 1073741824 table 1000\n");
}

TEST(List, PlusAppendsToDefaults) {
  cmd::OutputOptions o;
  o.columns = {"+LEVEL"};
  o.headings = false;
  auto text = cmd::render_list({sample_device()}, o);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("0.046 0"), std::string::npos) << *text;
}

TEST(List, UnknownColumnIsUsageError) {
  cmd::OutputOptions o;
  o.columns = {"NOPE"};
  auto text = cmd::render_list({sample_device()}, o);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().kind, ErrorKind::kUsage);
}

TEST(List, JsonKeysAreLowercaseColumnsWithBytes) {
  cmd::OutputOptions o;
  o.format = cmd::Format::kJson;
  auto text = cmd::render_list({sample_device()}, o);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            "{\n"
            "  \"devices\": [\n"
            "    {\n"
            "      \"name\": \"/dev/swaptab0\",\n"
            "      \"disksize\": 1073741824,\n"
            "      \"data\": 4096000,\n"
            "      \"compr\": 1500000,\n"
            "      \"algorithm\": \"lz4\",\n"
            "      \"total\": 1612096,\n"
            "      \"mem-limit\": 0,\n"
            "      \"meta-static\": 4096,\n"
            "      \"meta-dyn\": 8000,\n"
            "      \"b/slot\": 0.0461426\n"
            "    }\n"
            "  ]\n"
            "}\n");
}

TEST(List, EmptyPrintsNothingButJsonPrintsEmptyArray) {
  cmd::OutputOptions o;
  EXPECT_EQ(*cmd::render_list({}, o), "");
  o.format = cmd::Format::kJson;
  EXPECT_EQ(*cmd::render_list({}, o), "{\n  \"devices\": []\n}\n");
}

TEST(Stats, HumanListsEveryCounter) {
  cmd::OutputOptions o;
  const std::string text = cmd::render_stats({sample_device()}, o);
  EXPECT_EQ(text.rfind("/dev/swaptab0: 1G, lz4 level 0, layout table, mem-limit none, open 1\n", 0),
            0U)
      << text;
  for (const StatField& f : stat_fields()) {
    EXPECT_NE(text.find(std::string("  ") + f.key + " "), std::string::npos) << f.key;
  }
  EXPECT_NE(text.find("orig_bytes         3.9M"), std::string::npos) << text;
}

TEST(Stats, JsonCarriesEveryCounter) {
  cmd::OutputOptions o;
  o.format = cmd::Format::kJson;
  const std::string text = cmd::render_stats({sample_device()}, o);
  for (const StatField& f : stat_fields()) {
    EXPECT_NE(text.find(std::string("\"") + f.key + "\": "), std::string::npos) << f.key;
  }
  EXPECT_NE(text.find("\"writes\": 1000"), std::string::npos);
}

TEST(Stats, PrometheusCountersAndGauges) {
  cmd::OutputOptions o;
  o.format = cmd::Format::kPrometheus;
  const std::string text = cmd::render_stats({sample_device()}, o);
  EXPECT_NE(
      text.find(
          "# TYPE swaptab_writes_total counter\nswaptab_writes_total{device=\"swaptab0\"} 1000\n"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          "# TYPE swaptab_stored_pages gauge\nswaptab_stored_pages{device=\"swaptab0\"} 1000\n"),
      std::string::npos);
  EXPECT_NE(text.find("swaptab_device_info{device=\"swaptab0\",algorithm=\"lz4\",level=\"0\","
                      "layout=\"table\"} 1\n"),
            std::string::npos);
}

TEST(Overhead, SwaptabRowFromCounters) {
  const auto r = kernel::swaptab_row(sample_device(), 4096);
  EXPECT_EQ(r.slots, 262144U);
  // the slot keeps each object's length: the counters are all there is
  EXPECT_EQ(r.dynamic_bytes, 8000U);
  EXPECT_DOUBLE_EQ(*r.dynamic_per_page, 8.0);
  EXPECT_DOUBLE_EQ(*r.static_per_slot, 4096.0 / 262144.0);
}

kernel::SwapLayerModel model_61() {
  kernel::SwapLayerModel m;
  m.static_parts = {
      {"swap_map", 1.0, ""}, {"swap_cgroup", 2.0, ""}, {"cluster_info", 8.0 / 512, ""}};
  return m;
}

TEST(Overhead, AreaTotalAddsBackingDevice) {
  kernel::OverheadInputs in;
  in.swaptab = {sample_device()};
  kernel::ZramDevice z;
  z.name = "zram0";
  z.disksize = 1ULL << 30;
  in.zram = {z};
  in.zram_model = kernel::ZramModel{24};
  in.swap_model = model_61();
  kernel::SwapArea a;
  a.filename = "/dev/zram0";
  a.size_kib = (1 << 20) - 4;
  a.used_kib = 0;
  in.areas = {a};
  const auto rows = kernel::compute_overhead(in);
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(rows[0].kind, kernel::RowKind::kSwaptab);
  EXPECT_EQ(rows[1].kind, kernel::RowKind::kZram);
  EXPECT_EQ(rows[1].static_bytes, 262144U * 24);
  EXPECT_EQ(rows[2].kind, kernel::RowKind::kSwapLayer);
  EXPECT_EQ(rows[2].slots, 262143U);
  EXPECT_NEAR(*rows[2].static_per_slot, 3.015625, 1e-9);
  EXPECT_EQ(rows[3].kind, kernel::RowKind::kAreaTotal);
  EXPECT_EQ(rows[3].static_bytes, rows[1].static_bytes + rows[2].static_bytes);
  EXPECT_NEAR(*rows[3].total_per_slot(), 27.0, 0.02);
  EXPECT_NE(rows[3].note.find("zram zram0"), std::string::npos);
}

TEST(Overhead, MissingZramBtfIsExplained) {
  kernel::OverheadInputs in;
  kernel::ZramDevice z;
  z.name = "zram0";
  z.disksize = 1ULL << 30;
  in.zram = {z};
  in.zram_model_error = "no struct zram_table_entry in zram's BTF";
  const auto rows = kernel::compute_overhead(in);
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_FALSE(rows[0].static_per_slot.has_value());
  EXPECT_NE(rows[0].note.find("zram_table_entry"), std::string::npos);
}

TEST(Overhead, RendersTableJsonPrometheus) {
  cmd::OverheadReport rep;
  kernel::OverheadInputs in;
  in.swaptab = {sample_device()};
  in.swap_model = model_61();
  kernel::SwapArea a;
  a.filename = "/dev/swaptab0";
  a.size_kib = 1 << 20;
  a.used_kib = 4000;
  in.areas = {a};
  rep.rows = kernel::compute_overhead(in);
  rep.swap_model = in.swap_model;
  cmd::OutputOptions o;
  const std::string table = cmd::render_overhead(rep, o, true);
  EXPECT_NE(table.find("NAME"), std::string::npos);
  EXPECT_NE(table.find("= /dev/swaptab0"), std::string::npos) << table;
  EXPECT_NE(table.find("swap_map design"), std::string::npos);
  EXPECT_NE(table.find("static  swap_cgroup: 2.00 B/slot"), std::string::npos) << table;
  o.format = cmd::Format::kJson;
  const std::string json = cmd::render_overhead(rep, o, false);
  EXPECT_NE(json.find("\"kind\": \"total\""), std::string::npos);
  EXPECT_NE(json.find("\"design\": \"swap_map\""), std::string::npos);
  EXPECT_NE(json.find("\"static_bytes_per_slot\": 3.01562"), std::string::npos) << json;
  o.format = cmd::Format::kPrometheus;
  const std::string prom = cmd::render_overhead(rep, o, false);
  EXPECT_NE(
      prom.find("swaptab_overhead_static_bytes{name=\"/dev/swaptab0\",kind=\"swap\"} 790528\n"),
      std::string::npos)
      << prom;
}

TEST(Watch, RatesFromPreviousSample) {
  DeviceInfo d = sample_device();
  std::map<uint32_t, DeviceStats> prev;
  DeviceStats before = d.stats;
  before.writes = 500;
  prev[0] = before;
  cmd::OutputOptions o;
  const std::string frame = cmd::render_watch_frame({d}, prev, 2.0, cmd::OverheadReport{}, o);
  EXPECT_NE(frame.find("WRITES/s"), std::string::npos);
  EXPECT_NE(frame.find(" 250 "), std::string::npos) << frame;
}

TEST(Monitor, EventLines) {
  Event e;
  e.type = Event::Type::kAdd;
  e.index = 1;
  e.name = "swaptab1";
  e.size = 2ULL << 30;
  EXPECT_EQ(cmd::format_event(e, false), "add /dev/swaptab1 disksize 2G\n");
  EXPECT_EQ(cmd::format_event(e, true),
            "{\"event\":\"add\",\"index\":1,\"name\":\"swaptab1\",\"disksize\":2147483648}\n");
  e.type = Event::Type::kDel;
  e.size.reset();
  EXPECT_EQ(cmd::format_event(e, false), "del /dev/swaptab1\n");
}

TEST(AddOptions, Validation) {
  cmd::AddOptions a;
  a.size = "1G";
  a.algorithm = "zstd";
  a.mem_limit = "256M";
  a.layout = "flat";
  auto r = cmd::make_add_request(a);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size, 1ULL << 30);
  EXPECT_EQ(*r->mem_limit, 256ULL << 20);
  EXPECT_EQ(*r->layout, 1U);
  a.size = "10000";  // rounded up to whole 4 KiB slots
  EXPECT_EQ(cmd::make_add_request(a)->size, 12288U);
  a.size = "lots";
  EXPECT_EQ(cmd::make_add_request(a).error().kind, ErrorKind::kUsage);
  a.size = "0";
  EXPECT_FALSE(cmd::make_add_request(a).ok());
  a.size = "1G";
  a.priority = 5;
  EXPECT_FALSE(cmd::make_add_request(a).ok());  // --priority without --swapon
}

TEST(SetOptions, NeedsSomething) {
  cmd::SetOptions s;
  s.device = "swaptab0";
  EXPECT_EQ(cmd::make_set_request(s).error().kind, ErrorKind::kUsage);
  s.mem_limit = "1G";
  auto r = cmd::make_set_request(s);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r->mem_limit, 1ULL << 30);
}

}  // namespace
}  // namespace swaptab
