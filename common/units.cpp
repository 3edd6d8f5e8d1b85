#include "common/units.h"

#include <array>
#include <cctype>
#include <charconv>
#include <limits>

namespace edgeward {
namespace {

struct Unit {
  std::string_view short_name;
  std::string_view long_name;
  unsigned shift;
};
constexpr std::array<Unit, 5> kUnits{{
    {"", "B", 0}, {"K", "KiB", 10}, {"M", "MiB", 20}, {"G", "GiB", 30}, {"T", "TiB", 40}}};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

Result<uint64_t> parse_uint(std::string_view text, uint64_t min, uint64_t max, std::string_view what) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return Error::invalid(std::string(what) + ": '" + std::string(text) + "' is not a whole number");
  }
  if (v < min || v > max) {
    return Error::invalid(std::string(what) + ": " + std::to_string(v) + " is out of range [" +
                          std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return v;
}

Result<uint64_t> parse_size(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  std::string_view number = text.substr(0, digits);
  std::string_view suffix = text.substr(digits);
  const std::string hint = " (expected a whole number with an optional unit K, M, G or T, e.g. 256M)";
  if (number.empty()) return Error::invalid("size '" + std::string(text) + "' has no number" + hint);
  EW_ASSIGN(uint64_t n, parse_uint(number, 0, std::numeric_limits<uint64_t>::max(), "size"));
  for (const Unit& u : kUnits) {
    if (iequals(suffix, u.short_name) || iequals(suffix, u.long_name)) {
      if (u.shift != 0 && n > (std::numeric_limits<uint64_t>::max() >> u.shift)) {
        return Error::invalid("size '" + std::string(text) + "' does not fit in 64 bits");
      }
      return n << u.shift;
    }
  }
  return Error::invalid("size '" + std::string(text) + "' has an unknown unit '" + std::string(suffix) + "'" + hint);
}

std::string format_size(uint64_t bytes) {
  for (auto it = kUnits.rbegin(); it != kUnits.rend(); ++it) {
    if (it->shift == 0) break;
    const uint64_t unit = uint64_t{1} << it->shift;
    if (bytes != 0 && bytes % unit == 0) return std::to_string(bytes / unit) + std::string(it->long_name);
  }
  return std::to_string(bytes) + "B";
}

}  // namespace edgeward
