// Parsing and printing of human sizes ("256M", "4GiB", "1048576").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace edgeward {

// Accepts a decimal integer with an optional binary unit: K/KiB, M/MiB, G/GiB, T/TiB
// (case-insensitive; 1K = 1024). Rejects empty input, signs, fractions, unknown units and
// values that overflow 64 bits; the error names the text that was wrong.
Result<uint64_t> parse_size(std::string_view text);

// Prints bytes with the largest binary unit that divides them exactly (e.g. "256MiB").
std::string format_size(uint64_t bytes);

// Parses a decimal unsigned integer in [min, max]; `what` names the value in errors.
Result<uint64_t> parse_uint(std::string_view text, uint64_t min, uint64_t max, std::string_view what);

}  // namespace edgeward
