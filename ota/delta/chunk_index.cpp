// Chunk index format (see chunk_index.h).
#include "ota/delta/chunk_index.h"

#include <zstd.h>

#include <cstring>

#include "ota/delta/fastcdc.h"

namespace edgeward::ota::delta {
namespace {

constexpr char kMagic[8] = {'E', 'W', 'C', 'I', 'D', 'X', '0', '1'};

uint64_t get(const uint8_t* p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

void put(std::vector<uint8_t>& out, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace

Result<ChunkIndex> parse_chunk_index(std::span<const uint8_t> b, const std::string& where) {
  auto bad = [&](const std::string& m) { return Error::invalid(where + ": " + m + " (not a valid chunk index)"); };
  if (b.size() < kIndexHeaderBytes) return bad("shorter than its " + std::to_string(kIndexHeaderBytes) + "-byte header");
  if (std::memcmp(b.data(), kMagic, sizeof kMagic) != 0) return bad("wrong magic (expected EWCIDX01)");
  const uint64_t count = get(b.data() + 8, 4);
  if (get(b.data() + 12, 4) != 0) return bad("unknown flags");
  if (count > kMaxChunks) return bad(std::to_string(count) + " chunks, more than the " + std::to_string(kMaxChunks) + " allowed");
  if (b.size() != kIndexHeaderBytes + count * kIndexEntryBytes) {
    return bad(std::to_string(b.size()) + " bytes, but " + std::to_string(count) + " chunks need exactly " +
               std::to_string(kIndexHeaderBytes + count * kIndexEntryBytes));
  }
  ChunkIndex ix;
  ix.image_length = get(b.data() + 16, 8);
  ix.blob_length = get(b.data() + 24, 8);
  std::memcpy(ix.image_sha256.data(), b.data() + 32, 32);
  ix.chunks.reserve(count);
  uint64_t offset = 0, blob_offset = 0;  // each <= count * 2^32 < 2^52: cannot overflow
  for (uint64_t i = 0; i < count; ++i) {
    const uint8_t* p = b.data() + kIndexHeaderBytes + i * kIndexEntryBytes;
    ChunkEntry c;
    std::memcpy(c.sha256.data(), p, 32);
    c.offset = get(p + 32, 8);
    c.blob_offset = get(p + 40, 8);
    c.length = static_cast<uint32_t>(get(p + 48, 4));
    c.blob_length = static_cast<uint32_t>(get(p + 52, 4));
    const std::string at = "chunk " + std::to_string(i) + ": ";
    if (c.length == 0 || c.length > kMaxChunk) return bad(at + "length " + std::to_string(c.length) + " is not 1.." + std::to_string(kMaxChunk));
    if (c.blob_length == 0 || c.blob_length > ZSTD_COMPRESSBOUND(c.length)) {
      return bad(at + "blob_length " + std::to_string(c.blob_length) + " cannot hold " + std::to_string(c.length) + " bytes");
    }
    if (c.offset != offset) return bad(at + "offset " + std::to_string(c.offset) + " leaves a gap or overlap (expected " + std::to_string(offset) + ")");
    if (c.blob_offset != blob_offset) {
      return bad(at + "blob_offset " + std::to_string(c.blob_offset) + " leaves a gap or overlap (expected " + std::to_string(blob_offset) + ")");
    }
    offset += c.length;
    blob_offset += c.blob_length;
    ix.chunks.push_back(c);
  }
  if (offset != ix.image_length) return bad("the chunks add up to " + std::to_string(offset) + " bytes, the header says " + std::to_string(ix.image_length));
  if (blob_offset != ix.blob_length) {
    return bad("the frames add up to " + std::to_string(blob_offset) + " bytes, the header says the blob has " + std::to_string(ix.blob_length));
  }
  return ix;
}

std::vector<uint8_t> serialize_chunk_index(const ChunkIndex& ix) {
  std::vector<uint8_t> out(kMagic, kMagic + sizeof kMagic);
  out.reserve(kIndexHeaderBytes + ix.chunks.size() * kIndexEntryBytes);
  put(out, ix.chunks.size(), 4);
  put(out, 0, 4);
  put(out, ix.image_length, 8);
  put(out, ix.blob_length, 8);
  out.insert(out.end(), ix.image_sha256.begin(), ix.image_sha256.end());
  for (const ChunkEntry& c : ix.chunks) {
    out.insert(out.end(), c.sha256.begin(), c.sha256.end());
    put(out, c.offset, 8);
    put(out, c.blob_offset, 8);
    put(out, c.length, 4);
    put(out, c.blob_length, 4);
  }
  return out;
}

}  // namespace edgeward::ota::delta
