// Fuzzes the evidence parser (and through it the claims, event log and VersionInfo decoders).
#include <cstddef>
#include <cstdint>
#include <span>

#include "attest/evidence/evidence.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeward::attest;
  if (auto e = decode_evidence(std::span(data, size)); e.ok()) {
    if (e->claims.events.size() > kMaxEvents || e->signature.empty() || e->device_cert.empty()) __builtin_trap();
    (void)replay(e->claims.events);
  }
  return 0;
}
