// FastCDC chunking: sizes within bounds, deterministic cuts, and an insertion changes only the
// chunks around it (what makes deltas small).
#include "ota/delta/fastcdc.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

#include "attest/crypto/sha256.h"
#include "tests/ota/delta/delta_testing.h"

namespace edgeward::ota::delta {
namespace {

std::vector<std::vector<uint8_t>> chunks_of(const std::vector<uint8_t>& data) {
  std::vector<std::vector<uint8_t>> out;
  size_t pos = 0;
  while (pos < data.size()) {
    const size_t n = next_cut(std::span(data).subspan(pos));
    out.emplace_back(data.begin() + pos, data.begin() + pos + n);
    pos += n;
  }
  return out;
}

TEST(FastCdc, GearTableIsFixed) {
  // The table is part of the format: every publisher and device must cut the same way. The value
  // is splitmix64's first output from the seed "edgeward", computed independently (Python).
  EXPECT_EQ(gear_table()[0], 0xaa46fdafce580aa6ULL) << std::hex << gear_table()[0];
  EXPECT_EQ(std::set<uint64_t>(gear_table().begin(), gear_table().end()).size(), 256u);
}

TEST(FastCdc, SmallInputIsOneChunk) {
  const auto d = random_bytes(kMinChunk, 1);
  EXPECT_EQ(next_cut(d), kMinChunk);
  EXPECT_EQ(next_cut(std::span(d).first(10)), 10u);
  EXPECT_EQ(next_cut({}), 0u);
}

TEST(FastCdc, SizesWithinBoundsAndAverageNearTarget) {
  const auto d = random_bytes(8 << 20, 2);
  const auto c = chunks_of(d);
  for (size_t i = 0; i + 1 < c.size(); ++i) {
    EXPECT_GT(c[i].size(), kMinChunk);
    EXPECT_LE(c[i].size(), kMaxChunk);
  }
  const double avg = static_cast<double>(d.size()) / c.size();
  EXPECT_GT(avg, 12 * 1024);
  EXPECT_LT(avg, 24 * 1024);
}

TEST(FastCdc, ZerosCutAtTheMaximum) {
  const std::vector<uint8_t> z(300000, 0);
  EXPECT_EQ(next_cut(z), kMaxChunk);
}

TEST(FastCdc, AnInsertionChangesOnlyNearbyChunks) {
  const auto a = random_bytes(4 << 20, 3);
  auto b = a;
  const auto ins = random_bytes(777, 4);
  b.insert(b.begin() + (2 << 20), ins.begin(), ins.end());
  std::set<attest::Digest> old;
  for (const auto& c : chunks_of(a)) old.insert(attest::sha256(c));
  size_t fresh = 0, total = 0;
  for (const auto& c : chunks_of(b)) {
    ++total;
    fresh += !old.count(attest::sha256(c));
  }
  EXPECT_LE(fresh, 3u) << "of " << total;
}

TEST(FastCdc, ChunkFileMatchesTheInMemoryCuts) {
  const auto d = random_bytes(9 << 20, 5);  // larger than chunk_file's buffer
  char path[] = "/tmp/ew-fastcdc-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, d.data(), d.size()), static_cast<ssize_t>(d.size()));
  ::close(fd);
  auto in = attest::open_read(path);
  ASSERT_TRUE(in.ok());
  std::vector<size_t> lens;
  uint64_t expect_off = 0;
  ASSERT_TRUE(chunk_file(*in, path, [&](uint64_t off, std::span<const uint8_t> b) -> Status {
    EXPECT_EQ(off, expect_off);
    expect_off += b.size();
    lens.push_back(b.size());
    return {};
  }).ok());
  ::unlink(path);
  const auto mem = chunks_of(d);
  ASSERT_EQ(lens.size(), mem.size());
  for (size_t i = 0; i < mem.size(); ++i) EXPECT_EQ(lens[i], mem[i].size()) << i;
}

}  // namespace
}  // namespace edgeward::ota::delta
