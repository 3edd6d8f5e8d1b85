// SHA-256 backend: mbedTLS 2.28 (portable C, no CPU extensions; ~300 MB/s per x86_64 core).
#include <mbedtls/sha256.h>

#include <new>

#include "attest/crypto/sha256.h"

namespace edgeward::attest {
namespace {

static_assert(sizeof(mbedtls_sha256_context) <= Sha256::kStateBytes, "Sha256::kStateBytes too small for mbedTLS");
static_assert(alignof(mbedtls_sha256_context) <= 16);

mbedtls_sha256_context* ctx(unsigned char* state) { return std::launder(reinterpret_cast<mbedtls_sha256_context*>(state)); }

}  // namespace

std::string_view crypto_backend_name() { return "mbedtls"; }

Sha256::Sha256() {
  auto* c = new (state_) mbedtls_sha256_context;
  mbedtls_sha256_init(c);
  mbedtls_sha256_starts_ret(c, 0);
}

Sha256::~Sha256() { mbedtls_sha256_free(ctx(state_)); }

void Sha256::update(std::span<const uint8_t> data) { mbedtls_sha256_update_ret(ctx(state_), data.data(), data.size()); }

Digest Sha256::finish() {
  Digest d{};
  mbedtls_sha256_finish_ret(ctx(state_), d.data());
  mbedtls_sha256_starts_ret(ctx(state_), 0);
  return d;
}

Digest sha256(std::span<const uint8_t> data) {
  Digest d{};
  mbedtls_sha256_ret(data.data(), data.size(), d.data(), 0);
  return d;
}

}  // namespace edgeward::attest
