// SHA-256 backend: Nettle. Debian builds it "fat": at start-up it picks the SHA-NI code on x86_64
// CPUs that have it, or the ARMv8 SHA-2 instructions on aarch64 (HWCAP_SHA2), else portable C.
#include <nettle/sha2.h>

#include <new>

#include "attest/crypto/sha256.h"

namespace edgeward::attest {
namespace {

static_assert(sizeof(sha256_ctx) <= Sha256::kStateBytes, "Sha256::kStateBytes too small for Nettle");
static_assert(alignof(sha256_ctx) <= 16);

sha256_ctx* ctx(unsigned char* state) { return std::launder(reinterpret_cast<sha256_ctx*>(state)); }

}  // namespace

std::string_view crypto_backend_name() { return "nettle"; }

Sha256::Sha256() { sha256_init(new (state_) sha256_ctx); }

Sha256::~Sha256() = default;  // sha256_ctx owns nothing

void Sha256::update(std::span<const uint8_t> data) { sha256_update(ctx(state_), data.size(), data.data()); }

Digest Sha256::finish() {
  Digest d{};
  sha256_digest(ctx(state_), d.size(), d.data());  // also re-initialises the context
  return d;
}

Digest sha256(std::span<const uint8_t> data) {
  sha256_ctx c;
  sha256_init(&c);
  sha256_update(&c, data.size(), data.data());
  Digest d{};
  sha256_digest(&c, d.size(), d.data());
  return d;
}

}  // namespace edgeward::attest
