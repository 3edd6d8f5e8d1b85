// Shared by the delta tests: reproducible pseudo-random bytes.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace edgeward::ota::delta {

inline std::vector<uint8_t> random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

}  // namespace edgeward::ota::delta
