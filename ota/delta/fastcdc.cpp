// FastCDC chunking (see fastcdc.h).
#include "ota/delta/fastcdc.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace edgeward::ota::delta {
namespace {

// splitmix64 from the seed "edgeward": 256 well-mixed 64-bit values, computed at compile time.
constexpr std::array<uint64_t, 256> make_gear() {
  std::array<uint64_t, 256> t{};
  uint64_t x = 0x6564676577617264ULL;
  for (auto& v : t) {
    x += 0x9E3779B97F4A7C15ULL;
    uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    v = z ^ (z >> 31);
  }
  return t;
}
constexpr std::array<uint64_t, 256> kGear = make_gear();

// `bits` one-bits every other position from bit 63 down: the gear hash's high bits depend on the
// last 64 bytes, the low ones on only a few, so the mask uses the high ones.
constexpr uint64_t spread_mask(int bits) {
  uint64_t m = 0;
  for (int i = 0; i < bits; ++i) m |= uint64_t{1} << (63 - 2 * i);
  return m;
}
// log2(16 KiB) = 14; normalized chunking level 2: two bits harder before the average size, two
// easier after it, which narrows the spread of chunk sizes around the average.
constexpr uint64_t kMaskHard = spread_mask(16);
constexpr uint64_t kMaskEasy = spread_mask(12);

}  // namespace

const std::array<uint64_t, 256>& gear_table() { return kGear; }

size_t next_cut(std::span<const uint8_t> data) {
  const size_t n = data.size();
  if (n <= kMinChunk) return n;
  const size_t normal = std::min(n, kAvgChunk);
  const size_t end = std::min(n, kMaxChunk);
  uint64_t h = 0;
  size_t i = kMinChunk;
  for (; i < normal; ++i) {
    h = (h << 1) + kGear[data[i]];
    if ((h & kMaskHard) == 0) return i + 1;
  }
  for (; i < end; ++i) {
    h = (h << 1) + kGear[data[i]];
    if ((h & kMaskEasy) == 0) return i + 1;
  }
  return end;
}

Status chunk_file(const attest::Fd& fd, const std::string& path, const ChunkFn& each) {
  constexpr size_t kBuf = 4 << 20;  // refilled whenever less than a maximal chunk is left
  std::vector<uint8_t> buf(kBuf);
  size_t have = 0, pos = 0;
  uint64_t offset = 0;
  bool eof = false;
  for (;;) {
    if (!eof && have - pos < kMaxChunk) {
      std::memmove(buf.data(), buf.data() + pos, have - pos);
      have -= pos;
      pos = 0;
      while (!eof && have < buf.size()) {
        const ssize_t r = ::read(fd.get(), buf.data() + have, buf.size() - have);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return Error::io(path + ": read failed: " + std::strerror(errno));
        if (r == 0) eof = true;
        have += static_cast<size_t>(r);
      }
    }
    if (pos == have) return {};
    const std::span<const uint8_t> rest(buf.data() + pos, have - pos);
    const size_t len = next_cut(rest);
    EW_TRY(each(offset, rest.first(len)));
    pos += len;
    offset += len;
  }
}

}  // namespace edgeward::ota::delta
