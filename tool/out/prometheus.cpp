#include "out/prometheus.h"

#include <cmath>
#include <cstdio>

namespace swaptab::out {

std::string prom_escape_label(const std::string& v) {
  std::string out;
  for (const char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

namespace {

std::string series(const std::string& name, const Labels& labels) {
  std::string s = name;
  if (!labels.empty()) {
    s += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      s += (i != 0 ? "," : "") + labels[i].first + "=\"" + prom_escape_label(labels[i].second) +
           "\"";
    }
    s += '}';
  }
  return s;
}

}  // namespace

void Prometheus::family(const std::string& name, const std::string& help, const std::string& type) {
  for (const auto& f : families_) {
    if (f.name == name) {
      return;
    }
  }
  families_.push_back(Family{name, help, type, {}});
}

Prometheus::Family& Prometheus::find(const std::string& name) {
  for (auto& f : families_) {
    if (f.name == name) {
      return f;
    }
  }
  families_.push_back(Family{name, "", "untyped", {}});
  return families_.back();
}

void Prometheus::sample(const std::string& name, const Labels& labels, double value) {
  char buf[48];
  if (std::isnan(value)) {
    std::snprintf(buf, sizeof(buf), "NaN");
  } else {
    std::snprintf(buf, sizeof(buf), "%.6g", value);
  }
  find(name).lines.push_back(series(name, labels) + " " + buf);
}

void Prometheus::sample(const std::string& name, const Labels& labels, uint64_t value) {
  find(name).lines.push_back(series(name, labels) + " " + std::to_string(value));
}

void Prometheus::write(std::ostream& os) const {
  for (const auto& f : families_) {
    if (f.lines.empty()) {
      continue;
    }
    if (!f.help.empty()) {
      os << "# HELP " << f.name << ' ' << f.help << '\n';
    }
    os << "# TYPE " << f.name << ' ' << f.type << '\n';
    for (const auto& l : f.lines) {
      os << l << '\n';
    }
  }
}

}  // namespace swaptab::out
