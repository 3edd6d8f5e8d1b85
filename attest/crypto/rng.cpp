#include <cstdio>
#include <cstdlib>

#include "attest/crypto/mbed.h"
#include "attest/error.h"

namespace edgeward::attest {

Rng::Rng() {
  static const unsigned char kPersonal[] = "edgeward-attest";
  const int rc = mbedtls_ctr_drbg_seed(drbg_.get(), mbedtls_entropy_func, entropy_.get(), kPersonal,
                                       sizeof kPersonal - 1);
  if (rc != 0) {
    std::fprintf(stderr, "edgeward: fatal: seeding the random generator failed: %s\n", mbed_strerror(rc).c_str());
    std::abort();
  }
}

Rng& Rng::thread_instance() {
  thread_local Rng rng;
  return rng;
}

int Rng::fill(void* self, unsigned char* out, size_t len) {
  return mbedtls_ctr_drbg_random(static_cast<Rng*>(self)->drbg_.get(), out, len);
}

}  // namespace edgeward::attest
