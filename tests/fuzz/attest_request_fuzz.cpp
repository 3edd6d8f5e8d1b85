// Fuzzes the query protocol decoders (request: what a network client sends the device; response:
// what a device sends the fleet manager).
#include <cstddef>
#include <cstdint>
#include <span>

#include "attest/server/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeward::attest;
  if (auto r = decode_request(std::span(data, size)); r.ok()) {
    if (r->nonce.size() < 8 || r->nonce.size() > 64 || size > kMaxRequestBytes) __builtin_trap();
  }
  (void)decode_response(std::span(data, size));
  return 0;
}
