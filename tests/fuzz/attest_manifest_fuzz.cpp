// Fuzzes the workload image parsers: the manifest decoder and the .ewi header decoder. Any input
// must give a value or an Error, never a crash, a hang, or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <span>

#include "attest/image/container.h"
#include "attest/image/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeward::attest;
  const std::span<const uint8_t> in(data, size);
  if (auto m = decode_manifest(in); m.ok()) {
    // Whatever decodes must re-encode and decode to the same manifest.
    auto again = encode_manifest(*m);
    if (!again.ok() || !decode_manifest(*again).ok() || *decode_manifest(*again) != *m) __builtin_trap();
  }
  if (size > 0) {
    if (auto h = decode_header(in.subspan(1), size * 4096); h.ok()) {
      if (h->manifest_len == 0 || h->manifest_offset % 4096 != 0) __builtin_trap();
    }
  }
  return 0;
}
