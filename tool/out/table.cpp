#include "out/table.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace swaptab::out {

namespace {

// lsblk --raw hex-escapes blanks and unprintables so columns split on spaces.
std::string raw_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u == '\\' || u >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", u);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

void Table::render(std::ostream& os, const TableStyle& style) const {
  if (style.raw) {
    auto line = [&](const std::vector<std::string>& cells) {
      for (size_t i = 0; i < cells.size(); ++i) {
        os << (i != 0 ? " " : "") << raw_escape(cells[i]);
      }
      os << '\n';
    };
    if (style.headings) {
      std::vector<std::string> names;
      names.reserve(columns_.size());
      for (const auto& c : columns_) {
        names.push_back(c.name);
      }
      line(names);
    }
    for (const auto& r : rows_) {
      line(r);
    }
    return;
  }
  std::vector<size_t> width(columns_.size(), 0);
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (style.headings) {
      width[i] = columns_[i].name.size();
    }
    for (const auto& r : rows_) {
      width[i] = std::max(width[i], r[i].size());
    }
  }
  auto line = [&](const std::vector<std::string>& cells, bool header) {
    std::string text;
    for (size_t i = 0; i < cells.size(); ++i) {
      const size_t pad = width[i] - cells[i].size();
      const bool last = i + 1 == cells.size();
      if (i != 0) {
        text += ' ';
      }
      if (columns_[i].right) {
        text.append(pad, ' ');
        text += cells[i];
      } else {
        text += cells[i];
        if (!last) {
          text.append(pad, ' ');
        }
      }
    }
    if (header && style.colour) {
      os << "\033[1m" << text << "\033[0m\n";
    } else {
      os << text << '\n';
    }
  };
  if (style.headings) {
    std::vector<std::string> names;
    names.reserve(columns_.size());
    for (const auto& c : columns_) {
      names.push_back(c.name);
    }
    line(names, true);
  }
  for (const auto& r : rows_) {
    line(r, false);
  }
}

bool want_colour(int fd) {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && *no_colour != '\0') {
    return false;
  }
  return isatty(fd) == 1;
}

}  // namespace swaptab::out
