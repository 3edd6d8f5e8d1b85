// The runtime patch applier (ota/delta/runtime_patch.h) on arbitrary patches against a fixed base:
// zstd's decoder with the base as prefix, the frame-header checks and the output cap. It must not
// crash, must never return more than the length asked for, and every refusal names the patch.
// The expected SHA-256 is one no input can reach, so every patch that decodes is refused at the
// digest check after the whole decompression ran.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <zstd.h>

#include "ota/delta/runtime_patch.h"

using namespace edgeward::ota::delta;

namespace {

// 64 KiB, byte i = (i * 2654435761 mod 2^32) >> 24. Seeds (corpus/ota_runtime_patch/), all
// `zstd --patch-from=BASE NEW`: small (-9), level1 (-1), level19-long (-19 --long) with NEW = this
// base with every 5000th byte changed and 64 bytes inserted; rotated (-9) with NEW = the base's
// halves swapped and 40 random letters every 3000 bytes.
const std::vector<uint8_t>& base() {
  static const std::vector<uint8_t> b = [] {
    std::vector<uint8_t> v(64 << 10);
    for (uint32_t i = 0; i < v.size(); ++i) v[i] = static_cast<uint8_t>((i * 2654435761u) >> 24);
    return v;
  }();
  return b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t>& b = base();
  static const PatchTarget base_id{b.size(), edgeward::attest::sha256(b)};
  // The length the frame announces when it is small enough to decode here, else a fixed one.
  const unsigned long long announced = ZSTD_getFrameContentSize(data, size);
  const uint64_t length = announced <= (1u << 20) ? announced : 4096;
  PatchTarget target{length, {}};
  auto r = apply_runtime_patch(b, base_id, {data, size}, target, "fuzz.zpatch");
  if (r && r->size() != length) std::abort();
  if (!r && r.error().message.rfind("fuzz.zpatch", 0) != 0) std::abort();
  return 0;
}
