#include "vmm-lite/memory/guest_memory.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <limits>
#include <vector>

#include "common/unique_fd.h"

namespace edgeward::vmm {
namespace {

GuestMemory two_regions() {
  auto m = GuestMemory::create({{0, 0x10000}, {0x100000, 0x10000}});
  EXPECT_TRUE(m.ok());
  return std::move(m).value();
}

TEST(GuestMemory, RejectsEveryRangeOutsideRam) {
  const GuestMemory m = two_regions();
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  struct Case { uint64_t gpa, len; const char* why; };
  for (const Case& c : {Case{0x10000, 1, "just past region 0"}, Case{0xffff, 2, "straddles the end of region 0"},
                        Case{0xfff0, 0x100000, "spans the hole between regions"}, Case{0x110000, 1, "past region 1"},
                        Case{kMax, 2, "wraps around 2^64"}, Case{0x100000, kMax, "huge length"},
                        Case{kMax - 4, 8, "wraps at the top"}, Case{0x50000, 0, "empty range inside the hole"}}) {
    EXPECT_FALSE(m.slice(c.gpa, c.len).ok()) << c.why;
  }
}

TEST(GuestMemory, AcceptsRangesInsideOneRegion) {
  const GuestMemory m = two_regions();
  EXPECT_TRUE(m.slice(0, 0x10000).ok());
  EXPECT_TRUE(m.slice(0xffff, 1).ok());
  EXPECT_TRUE(m.slice(0x10fff0, 0x10).ok());
  EXPECT_EQ(m.total_size(), 0x20000u);
}

TEST(GuestMemory, ReadsBackWhatWasWritten) {
  const GuestMemory m = two_regions();
  ASSERT_TRUE(m.write_obj<uint64_t>(0x100008, 0x1122334455667788ull).ok());
  auto v = m.read_obj<uint64_t>(0x100008);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 0x1122334455667788ull);
  EXPECT_FALSE(m.read_obj<uint64_t>(0x10fffc).ok()) << "a read straddling the end must fail";
}

TEST(GuestMemory, RefusesBadLayouts) {
  EXPECT_FALSE(GuestMemory::create({{0, 0x1001}}).ok());
  EXPECT_FALSE(GuestMemory::create({{0, 0x2000}, {0x1000, 0x1000}}).ok());
  EXPECT_FALSE(GuestMemory::create({{0, 0}}).ok());
}

// A memfd holding `bytes` bytes of a pattern (a regular file as far as mmap and fstat care).
UniqueFd file_of(size_t bytes, uint8_t seed = 1) {
  UniqueFd fd(::memfd_create("guest-file", MFD_CLOEXEC));
  EXPECT_TRUE(fd.valid());
  std::vector<uint8_t> data(bytes);
  for (size_t i = 0; i < bytes; ++i) data[i] = static_cast<uint8_t>(seed + i * 7 + (i >> 12));
  EXPECT_EQ(::pwrite(fd.get(), data.data(), data.size(), 0), static_cast<ssize_t>(data.size()));
  return fd;
}

std::vector<uint8_t> contents(int fd, size_t bytes) {
  std::vector<uint8_t> data(bytes);
  EXPECT_EQ(::pread(fd, data.data(), bytes, 0), static_cast<ssize_t>(bytes));
  return data;
}

std::vector<uint8_t> guest_bytes(const GuestMemory& m, uint64_t gpa, size_t len) {
  std::vector<uint8_t> out(len);
  EXPECT_TRUE(m.read(gpa, out).ok());
  return out;
}

TEST(GuestMemoryFile, RefusesWhatItCannotMap) {
  const GuestMemory m = two_regions();
  const UniqueFd f = file_of(5000);
  struct Case { uint64_t gpa, size; const char* why; const char* says; };
  for (const Case& c : {Case{0x1000, 8192, "the file is shorter than the size that was checked", "changed size"},
                        Case{0x1000, 4000, "the file is longer than the size that was checked", "changed size"},
                        Case{0xf000, 5000, "the page-rounded range leaves region 0", "outside guest RAM"},
                        Case{0x20000, 5000, "no RAM there", "outside guest RAM"}}) {
    auto r = m.map_file(c.gpa, f.get(), c.size);
    ASSERT_FALSE(r.ok()) << c.why;
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << c.why << ": " << r.error().message;
  }
  EXPECT_FALSE(m.map_file(0x1001, f.get(), 5000).ok()) << "an unaligned guest address cannot be mapped";
  EXPECT_FALSE(m.map_file(0x1000, -1, 5000).ok()) << "no file";
  EXPECT_EQ(guest_bytes(m, 0x1000, 0x3000), std::vector<uint8_t>(0x3000, 0)) << "a refused file leaves RAM as it was";
}

TEST(GuestMemoryFile, MappedFileReadsAsTheFileThenZeros) {
  const GuestMemory m = two_regions();
  ASSERT_TRUE(m.write_obj<uint64_t>(0x1ff8, 0x1122334455667788ull).ok());  // just below the file
  const size_t size = 5000;  // not a multiple of the page size
  const UniqueFd f = file_of(size);
  ASSERT_TRUE(m.map_file(0x2000, f.get(), size).ok());
  EXPECT_EQ(guest_bytes(m, 0x2000, size), contents(f.get(), size));
  EXPECT_EQ(guest_bytes(m, 0x2000 + size, 0x4000 - size), std::vector<uint8_t>(0x4000 - size, 0))
      << "the rest of the file's last page and the page after it read as zeros";
  EXPECT_EQ(m.read_obj<uint64_t>(0x1ff8).value(), 0x1122334455667788ull) << "RAM below the file is untouched";
  // The guest's writes stay in its own copy of the page: the file never changes.
  ASSERT_TRUE(m.write_obj<uint32_t>(0x2010, 0xdeadbeef).ok());
  EXPECT_EQ(m.read_obj<uint32_t>(0x2010).value(), 0xdeadbeefu);
  EXPECT_NE(contents(f.get(), 0x20)[0x10], 0xef);
  const std::vector<uint8_t> file = contents(f.get(), size);
  EXPECT_EQ(guest_bytes(m, 0x3000, size - 0x1000), std::vector<uint8_t>(file.begin() + 0x1000, file.end()))
      << "the pages the guest did not write still read as the file";
}

TEST(GuestMemoryFile, PlaceMapsAlignedFilesAndCopiesTheRest) {
  const GuestMemory m = two_regions();
  const UniqueFd f = file_of(3 * 4096, 9);
  const std::vector<uint8_t> want = contents(f.get(), 3 * 4096);
  ASSERT_TRUE(m.place(0x100000, want, f.get()).ok()) << "aligned: mapped";
  EXPECT_EQ(guest_bytes(m, 0x100000, want.size()), want);
  ASSERT_TRUE(m.place(0x1003, want, f.get()).ok()) << "unaligned: copied";
  EXPECT_EQ(guest_bytes(m, 0x1003, want.size()), want);
  ASSERT_TRUE(m.place(0x8000, want, -1).ok()) << "no file: copied";
  EXPECT_EQ(guest_bytes(m, 0x8000, want.size()), want);
  EXPECT_FALSE(m.place(0xe000, want, f.get()).ok()) << "past the end of region 0";
  EXPECT_TRUE(m.place(0x4000, {}, f.get()).ok()) << "nothing to place";
}

// Mapped or copied shows when the file changes afterwards: a mapped page not yet written by the
// guest is the file's page-cache page, a copy is not.
TEST(GuestMemoryFile, PlaceMapsSmallFilesAndCopiesLargeOnes) {
  auto mem = GuestMemory::create({{0, 8 << 20}});
  ASSERT_TRUE(mem.ok());
  const uint64_t big = GuestMemory::kMapBelow;
  for (const uint64_t size : {uint64_t{8192}, big}) {
    const UniqueFd f = file_of(size, 3);
    const std::vector<uint8_t> want = contents(f.get(), size);
    const uint64_t gpa = size == big ? 0x400000 : 0x100000;
    ASSERT_TRUE(mem->place(gpa, want, f.get()).ok());
    const uint8_t changed = static_cast<uint8_t>(want[100] + 1);
    ASSERT_EQ(::pwrite(f.get(), &changed, 1, 100), 1);
    const uint8_t seen = mem->read_obj<uint8_t>(gpa + 100).value();
    if (size == big) {
      EXPECT_EQ(seen, want[100]) << "a file of 2 MiB or more is copied into guest RAM";
    } else {
      EXPECT_EQ(seen, changed) << "a small file is mapped (its page-cache page is what the guest reads)";
    }
  }
}

}  // namespace
}  // namespace edgeward::vmm
