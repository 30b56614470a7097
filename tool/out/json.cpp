#include "out/json.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace swaptab::out {

std::string json_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

Json& Json::set(std::string key, Json value) {
  if (auto* obj = std::get_if<std::shared_ptr<Object>>(&v_)) {
    (*obj)->emplace_back(std::move(key), std::move(value));
  }
  return *this;
}

Json& Json::push(Json value) {
  if (auto* arr = std::get_if<std::shared_ptr<Array>>(&v_)) {
    (*arr)->push_back(std::move(value));
  }
  return *this;
}

void Json::write(std::ostream& os, bool pretty) const {
  write_at(os, pretty, 0);
  if (pretty) {
    os << '\n';
  }
}

std::string Json::dump(bool pretty) const {
  std::ostringstream ss;
  write(ss, pretty);
  return ss.str();
}

void Json::write_at(std::ostream& os, bool pretty, int depth) const {
  const auto indent = [&](int d) {
    if (pretty) {
      os << '\n' << std::string(static_cast<size_t>(d) * 2, ' ');
    }
  };
  if (std::holds_alternative<std::nullptr_t>(v_)) {
    os << "null";
  } else if (const auto* b = std::get_if<bool>(&v_)) {
    os << (*b ? "true" : "false");
  } else if (const auto* i = std::get_if<int64_t>(&v_)) {
    os << *i;
  } else if (const auto* u = std::get_if<uint64_t>(&v_)) {
    os << *u;
  } else if (const auto* d = std::get_if<double>(&v_)) {
    if (!std::isfinite(*d)) {
      os << "null";
    } else {
      char buf[40];
      std::snprintf(buf, sizeof(buf), "%.6g", *d);
      os << buf;
    }
  } else if (const auto* s = std::get_if<std::string>(&v_)) {
    os << '"' << json_escape(*s) << '"';
  } else if (const auto* a = std::get_if<std::shared_ptr<Array>>(&v_)) {
    const Array& arr = **a;
    os << '[';
    for (size_t k = 0; k < arr.size(); ++k) {
      os << (k != 0 ? "," : "");
      indent(depth + 1);
      arr[k].write_at(os, pretty, depth + 1);
    }
    if (!arr.empty()) {
      indent(depth);
    }
    os << ']';
  } else if (const auto* o = std::get_if<std::shared_ptr<Object>>(&v_)) {
    const Object& obj = **o;
    os << '{';
    for (size_t k = 0; k < obj.size(); ++k) {
      os << (k != 0 ? "," : "");
      indent(depth + 1);
      os << '"' << json_escape(obj[k].first) << "\":" << (pretty ? " " : "");
      obj[k].second.write_at(os, pretty, depth + 1);
    }
    if (!obj.empty()) {
      indent(depth);
    }
    os << '}';
  }
}

}  // namespace swaptab::out
