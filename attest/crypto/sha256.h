// SHA-256 shaped like mbedTLS: a context with init (constructor) / update / finish, plus one-shot
// helpers. The implementation is mbedTLS's; a board could swap in an accelerated one here.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "attest/crypto/mbed.h"
#include "common/result.h"

namespace edgeward::attest {

using Digest = std::array<uint8_t, 32>;

class Sha256 {
 public:
  Sha256();
  void update(std::span<const uint8_t> data);
  void update(std::string_view data);
  Digest finish();  // the context is reset afterwards and may be reused

 private:
  Sha256Context ctx_;
};

Digest sha256(std::span<const uint8_t> data);
Digest sha256(std::string_view data);
// SHA-256 of a whole file, read in 1 MiB chunks.
Result<Digest> sha256_file(const std::string& path);

std::string to_hex(std::span<const uint8_t> bytes);
// nullopt unless `hex` is an even number of hex digits.
std::optional<std::vector<uint8_t>> bytes_from_hex(std::string_view hex);
// nullopt unless `hex` is exactly 64 hex digits.
std::optional<Digest> digest_from_hex(std::string_view hex);

}  // namespace edgeward::attest
