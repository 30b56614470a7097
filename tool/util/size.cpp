#include "util/size.h"

#include <cctype>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace swaptab {

namespace {

int suffix_shift(char c) {
  switch (std::toupper(static_cast<unsigned char>(c))) {
    case 'K':
      return 10;
    case 'M':
      return 20;
    case 'G':
      return 30;
    case 'T':
      return 40;
    case 'P':
      return 50;
    case 'E':
      return 60;
    default:
      return -1;
  }
}

Error bad_size(std::string_view text, const char* why) {
  return make_error(ErrorKind::kUsage,
                    "invalid size '" + std::string(text) + "': " + why +
                        " (use a number with an optional K, M, G or T suffix, e.g. 4G)");
}

}  // namespace

Result<uint64_t> parse_size(std::string_view text) {
  size_t i = 0;
  uint64_t whole = 0;
  bool any_digit = false;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
    const auto digit = static_cast<uint64_t>(text[i] - '0');
    if (whole > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
      return bad_size(text, "too large");
    }
    whole = whole * 10 + digit;
    any_digit = true;
    ++i;
  }
  // Up to 9 fractional digits, kept as a numerator over 10^n.
  uint64_t frac_num = 0;
  uint64_t frac_den = 1;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
      if (frac_den < 1000000000ULL) {
        frac_num = frac_num * 10 + static_cast<uint64_t>(text[i] - '0');
        frac_den *= 10;
      }
      any_digit = true;
      ++i;
    }
  }
  if (!any_digit) {
    return bad_size(text, "no number");
  }
  int shift = 0;
  if (i < text.size()) {
    shift = suffix_shift(text[i]);
    if (shift < 0) {
      if (text.substr(i) == "B" || text.substr(i) == "b") {
        shift = 0;
        i = text.size();
      } else {
        return bad_size(text, "unknown suffix");
      }
    } else {
      ++i;
      const std::string_view rest = text.substr(i);
      if (!(rest.empty() || rest == "B" || rest == "b" || rest == "iB" || rest == "ib")) {
        return bad_size(text, "unknown suffix");
      }
      i = text.size();
    }
  }
  if (shift > 0 && whole > (std::numeric_limits<uint64_t>::max() >> shift)) {
    return bad_size(text, "too large");
  }
  if (shift == 0 && frac_num != 0) {
    return bad_size(text, "a fraction of a byte");
  }
  const uint64_t unit = uint64_t{1} << shift;
  const uint64_t value = whole << shift;
  // unit * frac_num fits: unit <= 2^60 would overflow, so scale carefully.
  const long double extra = static_cast<long double>(unit) * static_cast<long double>(frac_num) /
                            static_cast<long double>(frac_den);
  if (static_cast<long double>(value) + extra >
      static_cast<long double>(std::numeric_limits<uint64_t>::max())) {
    return bad_size(text, "too large");
  }
  return value + static_cast<uint64_t>(extra);
}

std::string human_size(uint64_t bytes) {
  static constexpr char kLetters[] = "BKMGTPE";
  int exp = 0;
  while (exp < 60 && bytes >= (uint64_t{1} << (exp + 10))) {
    exp += 10;
  }
  uint64_t dec = exp != 0 ? bytes >> exp : bytes;
  uint64_t frac = exp != 0 ? bytes & ((uint64_t{1} << exp) - 1) : 0;
  if (frac != 0) {
    // Thousandths of the unit (as util-linux computes them), rounded to tenths.
    frac = exp >= 54 ? ((frac >> 10) * 1000) >> (exp - 10) : (frac * 1000) >> exp;
    frac = (frac + 50) / 100;
    if (frac >= 10) {
      ++dec;
      frac = 0;
    }
  }
  // 1023.97M reads better as 1G.
  if (dec == 1024 && exp < 60) {
    dec = 1;
    exp += 10;
  }
  const char letter = kLetters[exp / 10];
  char buf[48];
  if (frac != 0) {
    std::snprintf(buf, sizeof(buf), "%" PRIu64 ".%" PRIu64 "%c", dec, frac, letter);
  } else {
    std::snprintf(buf, sizeof(buf), "%" PRIu64 "%c", dec, letter);
  }
  return buf;
}

std::string format_ratio(double value) {
  char buf[48];
  if (!std::isfinite(value)) {
    return "-";
  }
  const double mag = std::fabs(value);
  if (mag == 0.0) {
    return "0";
  }
  if (mag < 0.001) {
    // swaptab's static cost per slot lives down here: keep two significant digits.
    std::snprintf(buf, sizeof(buf), "%.2g", value);
    if (std::strchr(buf, 'e') != nullptr) {
      std::snprintf(buf, sizeof(buf), "%.8f", value);
      size_t len = std::strlen(buf);
      while (len > 0 && buf[len - 1] == '0') {
        buf[--len] = '\0';
      }
    }
  } else if (mag < 1.0) {
    std::snprintf(buf, sizeof(buf), "%.3f", value);
  } else if (mag < 100.0) {
    std::snprintf(buf, sizeof(buf), "%.2f", value);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f", value);
  }
  return buf;
}

}  // namespace swaptab
