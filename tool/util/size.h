// Sizes as users type them (4G, 512M, 1.5T) and as zramctl prints them (4G, 1.2M, 0B).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace swaptab {

// Parses a byte count with an optional binary suffix K, M, G, T, P or E (case-insensitive,
// optionally followed by "iB" or "B"), e.g. "4096", "4K", "1.5G", "2TiB".
Result<uint64_t> parse_size(std::string_view text);

// Like util-linux size_to_human_string(SIZE_SUFFIX_1LETTER): one decimal, binary units.
std::string human_size(uint64_t bytes);

// A bytes-per-slot figure with enough precision to tell 0.094 from 3.0 and 24.
std::string format_ratio(double value);

}  // namespace swaptab
