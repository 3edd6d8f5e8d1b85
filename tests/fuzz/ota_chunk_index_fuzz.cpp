// The chunk index parser (ota/delta/chunk_index.h) on arbitrary bytes: it must not crash, and what
// it accepts must keep its invariants (chunks tile the image and the blob, sizes bounded) and
// serialize back to the same bytes.
#include <cstdint>
#include <cstdlib>

#include "ota/delta/chunk_index.h"
#include "ota/delta/fastcdc.h"

using namespace edgeward::ota::delta;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = parse_chunk_index({data, size}, "fuzz.cidx");
  if (!r) return 0;
  uint64_t off = 0, boff = 0;
  for (const ChunkEntry& c : r->chunks) {
    if (c.offset != off || c.blob_offset != boff || c.length == 0 || c.length > kMaxChunk || c.blob_length == 0) std::abort();
    off += c.length;
    boff += c.blob_length;
  }
  if (off != r->image_length || boff != r->blob_length) std::abort();
  const auto back = serialize_chunk_index(*r);
  if (back.size() != size || !std::equal(back.begin(), back.end(), data)) std::abort();
  return 0;
}
