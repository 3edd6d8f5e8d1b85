// "0x1f" style formatting for addresses and values in messages.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace edgeward {

inline std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

}  // namespace edgeward
