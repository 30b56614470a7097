// Column tables like zramctl/lsblk: aligned, --raw, -n, optional bold header on a tty.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace swaptab::out {

struct Column {
  std::string name;
  bool right = false;  // numbers align right
};

struct TableStyle {
  bool headings = true;
  bool raw = false;     // single spaces, no alignment, escaped like lsblk --raw
  bool colour = false;  // bold header
};

class Table {
 public:
  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}
  void add_row(std::vector<std::string> cells);
  void render(std::ostream& os, const TableStyle& style) const;
  size_t rows() const { return rows_.size(); }

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Whether to colour output on this fd: a tty, and NO_COLOR unset.
bool want_colour(int fd);

}  // namespace swaptab::out
