// Fuzzes the OTA transport's HTTP response handling (ota/transport/http_exchange.h): arbitrary
// bytes as a server's answer to a ranged GET, delivered in pieces of a fuzzed size. Checks that
// no more than the cap is ever handed out and that a 206 never starts anywhere but the offset.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ota/transport/http_exchange.h"
#include "ota/transport/memory_stream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeward::ota;
  if (size < 3) return 0;
  const uint64_t offset = data[0] & 0x0f;         // 0..15
  const uint64_t max_size = offset + data[1];     // cap: offset + 0..255
  const size_t piece = 1 + (data[2] & 0x3f);      // 1..64 bytes per read
  std::vector<uint8_t> response(data + 3, data + size);
  auto x = HttpExchange::receive(std::make_unique<MemoryStream>(std::move(response), piece), offset, max_size, 512);
  if (!x) return 0;
  const OpenedRange r = (*x)->range();
  if (r.start != 0 && r.start != offset) __builtin_trap();
  uint64_t delivered = 0;
  uint8_t buf[13];
  for (;;) {
    auto n = (*x)->read(buf);
    if (!n || *n == 0) break;
    delivered += *n;
    if (r.start + delivered > max_size) __builtin_trap();
  }
  return 0;
}
