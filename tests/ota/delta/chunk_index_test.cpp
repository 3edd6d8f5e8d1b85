// The chunk index parser on hostile input, error cases first, then the round trip.
#include "ota/delta/chunk_index.h"

#include <gtest/gtest.h>

#include <functional>

#include "ota/delta/fastcdc.h"

namespace edgeward::ota::delta {
namespace {

ChunkIndex sample() {
  ChunkIndex ix;
  uint64_t off = 0, boff = 0;
  for (uint32_t len : {5000u, 20000u, 65536u, 1u}) {
    ChunkEntry c;
    c.sha256.fill(static_cast<uint8_t>(len));
    c.offset = off;
    c.blob_offset = boff;
    c.length = len;
    c.blob_length = len / 2 + 10;
    off += len;
    boff += c.blob_length;
    ix.chunks.push_back(c);
  }
  ix.image_length = off;
  ix.blob_length = boff;
  ix.image_sha256.fill(7);
  return ix;
}

void put32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
void put64(std::vector<uint8_t>& b, size_t at, uint64_t v) {
  for (int i = 0; i < 8; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
size_t entry(size_t i) { return kIndexHeaderBytes + i * kIndexEntryBytes; }

struct Case {
  const char* name;
  std::function<void(std::vector<uint8_t>&)> mutate;
  const char* error;
};

TEST(ChunkIndex, HostileInputIsRefused) {
  const Case cases[] = {
      {"empty", [](auto& b) { b.clear(); }, "shorter than"},
      {"bad magic", [](auto& b) { b[0] = 'X'; }, "wrong magic"},
      {"flags", [](auto& b) { put32(b, 12, 1); }, "unknown flags"},
      {"count too large", [](auto& b) { put32(b, 8, kMaxChunks + 1); }, "more than the"},
      {"count lies (more)", [](auto& b) { put32(b, 8, 5); }, "need exactly"},
      {"count lies (less)", [](auto& b) { put32(b, 8, 3); }, "need exactly"},
      {"trailing byte", [](auto& b) { b.push_back(0); }, "need exactly"},
      {"image length lies", [](auto& b) { put64(b, 16, 90538); }, "add up to"},
      {"blob length lies", [](auto& b) { put64(b, 24, 1); }, "the blob has"},
      {"chunk too long", [](auto& b) { put32(b, entry(2) + 48, kMaxChunk + 1); }, "is not 1.."},
      {"chunk empty", [](auto& b) { put32(b, entry(0) + 48, 0); }, "is not 1.."},
      {"frame empty", [](auto& b) { put32(b, entry(1) + 52, 0); }, "cannot hold"},
      {"frame larger than zstd's bound", [](auto& b) { put32(b, entry(3) + 52, 100000); }, "cannot hold"},
      {"overlap", [](auto& b) { put64(b, entry(1) + 32, 4000); }, "gap or overlap"},
      {"gap", [](auto& b) { put64(b, entry(2) + 32, 26000); }, "gap or overlap"},
      {"blob overlap", [](auto& b) { put64(b, entry(2) + 40, 0); }, "gap or overlap"},
      {"offset near 2^64", [](auto& b) { put64(b, entry(3) + 32, ~uint64_t{0}); }, "gap or overlap"},
  };
  for (const Case& c : cases) {
    auto b = serialize_chunk_index(sample());
    c.mutate(b);
    auto r = parse_chunk_index(b, "app.cidx");
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << c.name << ": " << r.error().message;
    EXPECT_EQ(r.error().message.rfind("app.cidx: ", 0), 0u) << c.name;
  }
}

TEST(ChunkIndex, RoundTrip) {
  const ChunkIndex ix = sample();
  auto r = parse_chunk_index(serialize_chunk_index(ix), "x");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->image_length, ix.image_length);
  EXPECT_EQ(r->blob_length, ix.blob_length);
  EXPECT_EQ(r->image_sha256, ix.image_sha256);
  ASSERT_EQ(r->chunks.size(), ix.chunks.size());
  for (size_t i = 0; i < ix.chunks.size(); ++i) {
    EXPECT_EQ(r->chunks[i].sha256, ix.chunks[i].sha256);
    EXPECT_EQ(r->chunks[i].blob_offset, ix.chunks[i].blob_offset);
    EXPECT_EQ(r->chunks[i].length, ix.chunks[i].length);
  }
}

TEST(ChunkIndex, EmptyImage) {
  ChunkIndex ix;
  auto r = parse_chunk_index(serialize_chunk_index(ix), "x");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->chunks.empty());
}

}  // namespace
}  // namespace edgeward::ota::delta
