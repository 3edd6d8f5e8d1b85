// arm64 Image validation (hostile headers first) and placement of kernel, initrd and device tree.
#include "vmm-lite/arch/arm64/image.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

#include "common/unique_fd.h"

#include "vmm-lite/arch/arm64/layout.h"

namespace edgeward::vmm::arm64 {
namespace {

// A synthetic Image: a 64-byte header followed by `bytes` of kernel; image_size adds a bss.
std::vector<uint8_t> image(size_t bytes = 8192, uint64_t text_offset = 0, uint64_t image_size = 1 << 20,
                           uint64_t flags = 0xa) {
  std::vector<uint8_t> img(64 + bytes, 0);
  const uint32_t code0 = 0x14000010;  // b +0x40: what a real Image starts with
  const uint32_t magic = 0x644d5241;
  std::memcpy(&img[0], &code0, 4);
  std::memcpy(&img[8], &text_offset, 8);
  std::memcpy(&img[16], &image_size, 8);
  std::memcpy(&img[24], &flags, 8);
  std::memcpy(&img[56], &magic, 4);
  img[64] = 0x5a;
  return img;
}

TEST(Arm64Image, RefusesWhatItCannotBoot) {
  struct Case {
    const char* name;
    std::vector<uint8_t> img;
    const char* says;
  };
  auto no_magic = image();
  no_magic[56] = 'X';
  auto gzip = image();
  gzip[0] = 0x1f, gzip[1] = 0x8b, gzip[56] = 0;
  const Case cases[] = {
      {"empty", {}, "too small"},
      {"truncated header", std::vector<uint8_t>(63, 0), "too small"},
      {"no magic", no_magic, "no \"ARM\\x64\" magic"},
      {"gzip'd Image", gzip, "uncompressed"},
      {"big-endian", image(8192, 0, 1 << 20, 0xb), "big-endian"},
      {"reserved flags", image(8192, 0, 1 << 20, 0x1a), "unknown flags 0x10"},
      {"pre-3.17 kernel", image(8192, 0, 0), "image_size 0"},
      {"huge image_size", image(8192, 0, 1ull << 40), "512 MiB"},
      {"file past image_size", image(8192, 0, 4096), "larger than its header's image_size"},
      {"odd text_offset", image(8192, 0x80001), "page-aligned"},
      {"text_offset past 2 MiB", image(8192, 0x200000), "below 2 MiB"},
  };
  for (const Case& c : cases) {
    auto r = parse_image(c.img);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << c.name << ": " << r.error().message;
  }
}

TEST(Arm64Image, PlacementRefusesTooLittleMemory) {
  const ImageHeader h{0, 30 << 20, 0xa};
  struct Case {
    const char* name;
    uint64_t ram, initrd;
  };
  for (const Case& c : {Case{"smaller than the dtb", 1 << 20, 0}, Case{"kernel overlaps the dtb", 31 << 20, 0},
                        Case{"no room for the initrd", 39 << 20, 8 << 20}, Case{"initrd larger than RAM", 64 << 20, 1ull << 40}}) {
    auto p = place_image(h, kRamBase, c.ram, c.initrd);
    ASSERT_FALSE(p.ok()) << c.name;
    EXPECT_NE(p.error().message.find("raise --mem"), std::string::npos) << c.name << ": " << p.error().message;
  }
  EXPECT_TRUE(place_image(h, kRamBase, 32 << 20, 0).ok()) << "kernel ends where the device tree starts";
  EXPECT_FALSE(place_image(h, kRamBase + 4096, 256 << 20, 0).ok()) << "RAM base not 2 MiB-aligned";
}

TEST(Arm64Image, PlacesKernelInitrdAndDeviceTree) {
  auto mem = GuestMemory::create({{kRamBase, 64 << 20}});
  ASSERT_TRUE(mem.ok());
  const std::vector<uint8_t> initrd(10000, 0xab);
  auto img = image(8192, 0x80000, 4 << 20);
  auto p = load_image(*mem, img, initrd);
  ASSERT_TRUE(p.ok()) << p.error().message;
  // Kernel: a 2 MiB-aligned base (the start of RAM) + text_offset; its bytes are there.
  EXPECT_EQ(p->kernel, kRamBase + 0x80000);
  EXPECT_EQ(p->kernel_end, p->kernel + (4 << 20));
  EXPECT_EQ(mem->read_obj<uint8_t>(p->kernel + 64).value(), 0x5a);
  EXPECT_EQ(mem->read_obj<uint32_t>(p->kernel).value(), 0x14000010u);
  // Device tree: the last 2 MiB block, 8-byte (indeed 2 MiB) aligned, at most 2 MiB.
  EXPECT_EQ(p->dtb, kRamBase + (62 << 20));
  EXPECT_EQ(p->dtb % 8, 0u);
  EXPECT_EQ(p->dtb_max, 2u << 20);
  // Initrd: page-aligned, just below the device tree, above the kernel, copied.
  EXPECT_EQ(p->initrd % 4096, 0u);
  EXPECT_LE(p->initrd + initrd.size(), p->dtb);
  EXPECT_GT(p->initrd + 4096 + initrd.size(), p->dtb);
  EXPECT_GE(p->initrd, p->kernel_end);
  EXPECT_EQ(p->initrd_size, initrd.size());
  EXPECT_EQ(mem->read_obj<uint8_t>(p->initrd + initrd.size() - 1).value(), 0xab);
}

TEST(Arm64Image, NoInitrdLeavesItsRangeEmpty) {
  auto mem = GuestMemory::create({{kRamBase, 16 << 20}});
  ASSERT_TRUE(mem.ok());
  auto p = load_image(*mem, image(), {});
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->initrd, 0u);
  EXPECT_EQ(p->initrd_size, 0u);
  EXPECT_EQ(p->kernel, kRamBase);
}

// A memfd holding `bytes`: the kernel or initrd file the builder hands over.
UniqueFd file_of(const std::vector<uint8_t>& bytes) {
  UniqueFd fd(::memfd_create("image", MFD_CLOEXEC));
  EXPECT_TRUE(fd.valid());
  EXPECT_EQ(::pwrite(fd.get(), bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size()));
  return fd;
}

bool all_zero(const GuestMemory& mem, uint64_t gpa, size_t len) {
  std::vector<uint8_t> got(len, 0xff);
  EXPECT_TRUE(mem.read(gpa, got).ok());
  return got == std::vector<uint8_t>(len, 0);
}

TEST(Arm64Image, MappedFilesReadAsTheFilesAndTheBssAsZeros) {
  auto mem = GuestMemory::create({{kRamBase, 64 << 20}});
  ASSERT_TRUE(mem.ok());
  auto img = image(8192 + 100, 0x80000, 4 << 20);  // a file size that is not a multiple of the page
  for (size_t i = 65; i < img.size(); ++i) img[i] = static_cast<uint8_t>(i * 13);
  std::vector<uint8_t> initrd(10000);
  for (size_t i = 0; i < initrd.size(); ++i) initrd[i] = static_cast<uint8_t>(i * 5 + 1);
  const UniqueFd kf = file_of(img), rf = file_of(initrd);
  auto p = load_image(*mem, img, initrd, kf.get(), rf.get());
  ASSERT_TRUE(p.ok()) << p.error().message;
  std::vector<uint8_t> got(img.size());
  ASSERT_TRUE(mem->read(p->kernel, got).ok());
  EXPECT_EQ(got, img) << "the kernel reads as its file";
  // image_size reaches far past the file: the bss (the rest of the last page, the pages after it,
  // the end of image_size) reads as zeros.
  EXPECT_TRUE(all_zero(*mem, p->kernel + img.size(), 4096 - img.size() % 4096));
  EXPECT_TRUE(all_zero(*mem, p->kernel + 16384, 8192));
  EXPECT_TRUE(all_zero(*mem, p->kernel_end - 4096, 4096));
  got.resize(initrd.size());
  ASSERT_TRUE(mem->read(p->initrd, got).ok());
  EXPECT_EQ(got, initrd) << "the initrd reads as its file";
  EXPECT_TRUE(all_zero(*mem, p->initrd + initrd.size(), p->dtb - p->initrd - initrd.size()));
  // The guest may write over its kernel (relocation, .data): the file stays as it was.
  ASSERT_TRUE(mem->write_obj<uint64_t>(p->kernel + 64, 0).ok());
  uint8_t first = 0;
  ASSERT_EQ(::pread(kf.get(), &first, 1, 64), 1);
  EXPECT_EQ(first, 0x5a);
}

TEST(Arm64Image, RefusesAFileThatChangedAfterItWasChecked) {
  auto mem = GuestMemory::create({{kRamBase, 64 << 20}});
  ASSERT_TRUE(mem.ok());
  const auto img = image(8192);
  const UniqueFd kf = file_of(img);
  ASSERT_EQ(::ftruncate(kf.get(), 4096), 0);  // shorter than what parse_image checked: mapping it would fault
  auto p = load_image(*mem, img, {}, kf.get());
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("changed size"), std::string::npos) << p.error().message;
  const UniqueFd rf = file_of(std::vector<uint8_t>(5000, 1));
  ASSERT_EQ(::ftruncate(rf.get(), 9000), 0);  // longer: the guest would see bytes nobody checked
  EXPECT_FALSE(load_image(*mem, img, std::vector<uint8_t>(5000, 1), -1, rf.get()).ok());
}

}  // namespace
}  // namespace edgeward::vmm::arm64
