// Fuzzes what a local client sends the daemon: the frame parser over a byte stream, then the
// request decoder on each frame's payload (and the response decoder, which the CLI runs on what
// the daemon sends). A decoded request must re-encode and decode to itself.
#include <cstddef>
#include <cstdint>
#include <span>

#include "runtime/daemon/frame.h"
#include "runtime/daemon/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeward::daemon;
  std::span<const uint8_t> buf(data, size);
  while (!buf.empty()) {
    auto f = parse_frame(buf, kMaxRequestBytes);
    if (!f.ok() || !f->has_value()) break;
    const Frame& frame = **f;
    if (frame.payload.size() > kMaxRequestBytes || frame.consumed > buf.size()) __builtin_trap();
    if (auto r = decode_request(frame.payload); r.ok()) {
      auto again = encode_request(*r);
      if (!again.ok()) __builtin_trap();
      auto back = decode_request(*again);
      if (!back.ok() || !(*back == *r)) __builtin_trap();
    }
    buf = buf.subspan(frame.consumed);
  }
  (void)decode_response(std::span(data, size));
  return 0;
}
