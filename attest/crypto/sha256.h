// SHA-256 shaped like mbedTLS: a context with init (constructor) / update / finish, plus one-shot
// helpers. One interface, two implementations chosen by CMake (EDGEWARD_CRYPTO_BACKEND):
// attest/crypto/mbedtls/sha256.cpp (portable C) and attest/crypto/nettle/sha256.cpp (Nettle, which
// picks SHA-NI on x86_64 or the ARMv8 SHA-2 instructions at run time). Hex helpers and the file
// digest are backend-independent (attest/crypto/sha256.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace edgeward::attest {

using Digest = std::array<uint8_t, 32>;

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::span<const uint8_t> data);
  void update(std::string_view data);
  Digest finish();  // the context is reset afterwards and may be reused

  // Room for either backend's context (each backend static_asserts that it fits), so a hash
  // costs no allocation.
  static constexpr size_t kStateBytes = 128;

 private:
  alignas(16) unsigned char state_[kStateBytes];
};

Digest sha256(std::span<const uint8_t> data);
Digest sha256(std::string_view data);
// SHA-256 of a whole file, read in 1 MiB chunks.
Result<Digest> sha256_file(const std::string& path);

// The backend this binary was built with: "nettle" or "mbedtls".
std::string_view crypto_backend_name();

std::string to_hex(std::span<const uint8_t> bytes);
// nullopt unless `hex` is an even number of hex digits.
std::optional<std::vector<uint8_t>> bytes_from_hex(std::string_view hex);
// nullopt unless `hex` is exactly 64 hex digits.
std::optional<Digest> digest_from_hex(std::string_view hex);

}  // namespace edgeward::attest
