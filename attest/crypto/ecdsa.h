// ECDSA P-256 signature verification, the verifier's hot path. One interface, two implementations
// chosen by CMake (EDGEWARD_CRYPTO_BACKEND): attest/crypto/mbedtls/ecdsa.cpp (mbedTLS 2.28,
// portable bignum code) and attest/crypto/nettle/ecdsa.cpp (Nettle/hogweed, assembly field
// arithmetic, ~10x faster). A key is prepared once and then verified against many times, from any
// number of threads. Signing, key generation, certificates and TLS stay with mbedTLS.
//
// The backends take (r, s) as integers; decoding the DER signature is common code
// (verify_signature in attest/crypto/keys.h), so both backends refuse the same encodings.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "attest/crypto/sha256.h"

namespace edgeward::attest {

// A P-256 scalar (r or s of a signature), big-endian.
using Scalar = std::array<uint8_t, 32>;

class EcdsaP256Key {
 public:
  // `point` is an uncompressed SEC1 point, 0x04 || X || Y (65 bytes). nullopt unless it is a
  // point on P-256 (not the point at infinity).
  static std::optional<EcdsaP256Key> from_point(std::span<const uint8_t> point);

  ~EcdsaP256Key();
  EcdsaP256Key(EcdsaP256Key&&) noexcept;
  EcdsaP256Key& operator=(EcdsaP256Key&&) noexcept;

  // Whether (r, s) is a valid ECDSA signature of the SHA-256 `digest` by this key; r and s
  // outside [1, n-1] are invalid. Thread-safe (the key is only read).
  bool verify(const Digest& digest, const Scalar& r, const Scalar& s) const;

 private:
  struct State;  // defined by the backend
  explicit EcdsaP256Key(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace edgeward::attest
