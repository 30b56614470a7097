// The text exposition format node_exporter's textfile collector reads.
#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace swaptab::out {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Prometheus {
 public:
  // Declares a family once (HELP/TYPE); samples of it may be added in any order.
  void family(const std::string& name, const std::string& help, const std::string& type);
  void sample(const std::string& name, const Labels& labels, double value);
  void sample(const std::string& name, const Labels& labels, uint64_t value);
  // Families in declaration order, each with its samples.
  void write(std::ostream& os) const;

 private:
  struct Family {
    std::string name;
    std::string help;
    std::string type;
    std::vector<std::string> lines;
  };
  Family& find(const std::string& name);
  std::vector<Family> families_;
};

std::string prom_escape_label(const std::string& v);

}  // namespace swaptab::out
