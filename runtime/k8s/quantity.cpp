#include "runtime/k8s/quantity.h"

#include <charconv>
#include <limits>
#include <string>

namespace edgeward::k8s {
namespace {

constexpr size_t kMaxDigits = 15;  // keeps every intermediate product inside 128 bits

Error bad(std::string_view text, const std::string& why) {
  return Error::invalid("quantity \"" + std::string(text) + "\": " + why + " (expected e.g. 500m, 2, 128Mi, 1G)");
}

struct Suffix {
  std::string_view name;
  int binary_shift;  // 2^shift, or
  int decimal_exp;   // 10^exp
};
constexpr Suffix kSuffixes[] = {
    {"Ki", 10, 0}, {"Mi", 20, 0}, {"Gi", 30, 0}, {"Ti", 40, 0}, {"Pi", 50, 0}, {"Ei", 60, 0},
    {"n", 0, -9},  {"u", 0, -6},  {"m", 0, -3},  {"", 0, 0},    {"k", 0, 3},   {"M", 0, 6},
    {"G", 0, 9},   {"T", 0, 12},  {"P", 0, 15},  {"E", 0, 18},
};

unsigned __int128 pow10(int e) {
  unsigned __int128 v = 1;
  while (e-- > 0) v *= 10;
  return v;
}

}  // namespace

Result<int64_t> parse_quantity_milli(std::string_view text) {
  if (text.empty()) return bad(text, "empty");
  if (text.front() == '-') return bad(text, "must not be negative");
  if (text.front() == '+') return bad(text, "a sign is not allowed");
  // Mantissa: digits with at most one '.'.
  size_t i = 0;
  uint64_t mantissa = 0;
  int frac_digits = 0, digits = 0;
  bool dot = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !dot) {
      dot = true;
    } else if (c >= '0' && c <= '9') {
      if (mantissa == 0 && c == '0') {
        if (dot) ++frac_digits;
        continue;  // leading zeros are not significant
      }
      if (++digits > static_cast<int>(kMaxDigits)) return bad(text, "more than 15 significant digits");
      mantissa = mantissa * 10 + static_cast<uint64_t>(c - '0');
      if (dot) ++frac_digits;
    } else {
      break;
    }
  }
  const std::string_view number = text.substr(0, i);
  if (number.find_first_of("0123456789") == std::string_view::npos) return bad(text, "no digits");
  std::string_view suffix = text.substr(i);
  int shift = 0, exp = 0;
  const Suffix* found = nullptr;
  for (const Suffix& s : kSuffixes) {
    if (s.name == suffix) found = &s;
  }
  if (found) {
    shift = found->binary_shift;
    exp = found->decimal_exp;
  } else if (suffix[0] == 'e' || suffix[0] == 'E') {  // a decimal exponent: 1e3, 5E-3
    int e = 0;
    const char* b = suffix.data() + 1;
    const char* end = suffix.data() + suffix.size();
    if (b != end && *b == '+') ++b;
    auto r = std::from_chars(b, end, e);
    if (b == end || r.ec != std::errc() || r.ptr != end)
      return bad(text, "unknown suffix \"" + std::string(suffix) + "\"");
    if (e < -18 || e > 18) return bad(text, "exponent out of range (-18..18)");
    exp = e;
  } else {
    return bad(text, "unknown suffix \"" + std::string(suffix) + "\"");
  }
  // value_milli = mantissa * 2^shift * 10^(exp + 3 - frac_digits), rounded up.
  const int e10 = exp + 3 - frac_digits;
  if (e10 > 21) return bad(text, "value too large");
  unsigned __int128 num = static_cast<unsigned __int128>(mantissa) << shift;
  unsigned __int128 den = 1;
  if (e10 >= 0) {
    num *= pow10(e10);
  } else if (-e10 > 36) {
    den = 0;  // far below 1m: any non-zero value rounds up to 1
  } else {
    den = pow10(-e10);
  }
  unsigned __int128 milli = den == 0 ? (mantissa ? 1 : 0) : (num + den - 1) / den;
  if (milli > static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max())) return bad(text, "value too large");
  return static_cast<int64_t>(milli);
}

}  // namespace edgeward::k8s
