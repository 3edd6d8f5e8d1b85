// ECDSA P-256 keys (mbedTLS pk): generate, PEM in/out, sign a SHA-256 digest, verify.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "attest/crypto/ecdsa.h"
#include "attest/crypto/mbed.h"
#include "attest/crypto/sha256.h"
#include "common/result.h"

namespace edgeward::attest {

// Largest DER ECDSA P-256 signature (2 x 33-byte INTEGER + headers).
constexpr size_t kMaxSignatureBytes = 72;

class PrivateKey {
 public:
  static Result<PrivateKey> generate();
  // `source` names the input in errors (a path or "<memory>").
  static Result<PrivateKey> from_pem(std::string_view pem, std::string_view source);
  static Result<PrivateKey> load(const std::string& path);

  Result<std::string> to_pem() const;
  Result<std::vector<uint8_t>> public_der() const;
  // DER-encoded ECDSA signature of `digest`.
  Result<std::vector<uint8_t>> sign(const Digest& digest) const;
  mbedtls_pk_context* pk() const { return ctx_->get(); }

 private:
  explicit PrivateKey(std::unique_ptr<PkContext> ctx) : ctx_(std::move(ctx)) {}
  std::unique_ptr<PkContext> ctx_;
};

// Checks that `pk` is an EC key on P-256 (the only algorithm attest/ accepts).
Status require_p256(mbedtls_pk_context* pk, std::string_view what);

// The public key of `pk` (which must be ECDSA P-256) prepared for repeated verification.
Result<EcdsaP256Key> ecdsa_key(const mbedtls_pk_context* pk, std::string_view what);

// Verifies a DER ECDSA signature (SEQUENCE { r INTEGER, s INTEGER }, nothing after it) over
// `digest`; the error names `what` (e.g. "image signature") and says "does not verify".
Status verify_signature(const EcdsaP256Key& key, const Digest& digest, std::span<const uint8_t> signature,
                        std::string_view what);
// The same with an mbedTLS key (prepared for this one call).
Status verify_signature(mbedtls_pk_context* pk, const Digest& digest, std::span<const uint8_t> signature,
                        std::string_view what);

}  // namespace edgeward::attest
