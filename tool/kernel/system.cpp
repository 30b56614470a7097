#include "kernel/system.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

namespace swaptab::kernel {

namespace {

std::string unescape_octal(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      const std::string_view oct = s.substr(i + 1, 3);
      if (oct.size() == 3 &&
          std::all_of(oct.begin(), oct.end(), [](char c) { return c >= '0' && c <= '7'; })) {
        out.push_back(static_cast<char>((oct[0] - '0') * 64 + (oct[1] - '0') * 8 + (oct[2] - '0')));
        i += 3;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

struct DirCloser {
  void operator()(DIR* d) const { closedir(d); }
};

}  // namespace

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return error_from_errno(errno != 0 ? errno : ENOENT, "cannot read " + path);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::vector<SwapArea>> parse_proc_swaps(std::string_view text) {
  std::vector<SwapArea> areas;
  std::istringstream in{std::string(text)};
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      if (line.rfind("Filename", 0) == 0) {
        continue;
      }
    }
    if (line.find_first_not_of(" \t") == std::string::npos) {
      continue;
    }
    std::istringstream fields(line);
    std::string name;
    SwapArea a;
    if (!(fields >> name >> a.type >> a.size_kib >> a.used_kib >> a.priority)) {
      return make_error(ErrorKind::kParse, "unexpected line in /proc/swaps: " + line);
    }
    a.filename = unescape_octal(name);
    areas.push_back(std::move(a));
  }
  return areas;
}

Result<std::vector<SwapArea>> read_proc_swaps(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) {
    return text.take_error();
  }
  return parse_proc_swaps(*text);
}

void parse_zram_mm_stat(std::string_view text, ZramDevice* dev) {
  std::istringstream in{std::string(text)};
  uint64_t mem_limit = 0;
  uint64_t mem_used_max = 0;
  uint64_t compacted = 0;
  in >> dev->orig_bytes >> dev->compr_bytes >> dev->mem_used >> mem_limit >> mem_used_max >>
      dev->same_pages >> compacted >> dev->huge_pages;
}

std::string parse_selected_algorithm(std::string_view text) {
  const size_t open = text.find('[');
  const size_t close = text.find(']', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) {
    const size_t end = text.find_first_of(" \n");
    return std::string(text.substr(0, end));
  }
  return std::string(text.substr(open + 1, close - open - 1));
}

std::vector<ZramDevice> scan_zram(const std::string& sys_block) {
  std::vector<ZramDevice> devs;
  const std::unique_ptr<DIR, DirCloser> dir(opendir(sys_block.c_str()));
  if (!dir) {
    return devs;
  }
  while (const dirent* ent = readdir(dir.get())) {
    const std::string name = ent->d_name;
    if (name.rfind("zram", 0) != 0) {
      continue;
    }
    std::string base = sys_block;
    base.append("/").append(name).append("/");
    ZramDevice d;
    d.name = name;
    if (auto t = read_text_file(base + "disksize")) {
      d.disksize = std::strtoull(t->c_str(), nullptr, 10);
    }
    if (auto t = read_text_file(base + "mm_stat")) {
      parse_zram_mm_stat(*t, &d);
    }
    if (auto t = read_text_file(base + "comp_algorithm")) {
      d.algorithm = parse_selected_algorithm(*t);
    }
    devs.push_back(std::move(d));
  }
  std::sort(devs.begin(), devs.end(), [](const ZramDevice& a, const ZramDevice& b) {
    if (a.name.size() != b.name.size()) {
      return a.name.size() < b.name.size();
    }
    return a.name < b.name;
  });
  return devs;
}

bool module_btf_present(const std::string& module, const std::string& root) {
  struct stat st {};
  return stat((root + "/" + module).c_str(), &st) == 0;
}

}  // namespace swaptab::kernel
