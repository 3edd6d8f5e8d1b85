// bzImage validation (hostile images first) and placement of kernel, initrd, command line, e820.
#include "vmm-lite/arch/x86_64/bzimage.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "common/unique_fd.h"
#include "vmm-lite/arch/x86_64/layout.h"

namespace edgeward::vmm::x86 {
namespace {

// A synthetic bzImage: boot sector + 1 setup sector + `kernel_bytes` of kernel.
std::vector<uint8_t> image(size_t kernel_bytes = 4096, uint16_t version = 0x020f, uint16_t xloadflags = 1,
                           uint8_t loadflags = 1) {
  std::vector<uint8_t> img(0x400 + kernel_bytes, 0);
  img[0x1f1] = 1;
  img[0x201] = 0x66;
  std::memcpy(&img[0x202], "HdrS", 4);
  std::memcpy(&img[0x206], &version, 2);
  img[0x211] = loadflags;
  const uint32_t initrd_max = 0x7fffffff, cmdline_size = 2048, init_size = 0x100000;
  std::memcpy(&img[0x22c], &initrd_max, 4);
  std::memcpy(&img[0x236], &xloadflags, 2);
  std::memcpy(&img[0x238], &cmdline_size, 4);
  std::memcpy(&img[0x260], &init_size, 4);
  img[0x400] = 0xf4;  // first kernel byte
  return img;
}

TEST(BzImage, RefusesWhatItCannotBoot) {
  struct Case { const char* name; std::vector<uint8_t> img; const char* says; };
  auto no_magic = image();
  no_magic[0x202] = 'X';
  auto no_kernel = image(0);
  no_kernel.resize(0x400);
  auto bad_jump = image();
  bad_jump[0x201] = 0xff;
  for (const Case& c : {Case{"empty", {}, "too small"}, Case{"no HdrS", no_magic, "HdrS"},
                        Case{"old protocol", image(4096, 0x0209), "older than 2.12"},
                        Case{"no 64-bit entry", image(4096, 0x020f, 0), "64-bit entry"},
                        Case{"zImage", image(4096, 0x020f, 1, 0), "not loaded high"},
                        Case{"no kernel", no_kernel, "no kernel"}, Case{"header overrun", bad_jump, "malformed"}}) {
    auto r = parse_bzimage(c.img);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << c.name << ": " << r.error().message;
  }
}

TEST(BzImage, LoadsKernelInitrdCmdlineAndE820) {
  auto mem = GuestMemory::create({{0, 64 << 20}});
  ASSERT_TRUE(mem.ok());
  const std::vector<uint8_t> initrd(10000, 0xab);
  const std::vector<E820Entry> e820{{0, 0x9fc00, 1}, {0x100000, (64 << 20) - 0x100000, 1}};
  auto entry = load_bzimage(*mem, image(), initrd, "console=ttyS0 quiet", e820, 0xe0000);
  ASSERT_TRUE(entry.ok()) << entry.error().message;
  EXPECT_EQ(*entry, kKernelAddr + 0x200);
  EXPECT_EQ(mem->read_obj<uint8_t>(kKernelAddr).value(), 0xf4);

  auto zp = [&](uint64_t off, auto type_tag) { return mem->read_obj<decltype(type_tag)>(kZeroPageAddr + off).value(); };
  EXPECT_EQ(zp(0x202, uint32_t{}), 0x53726448u);
  EXPECT_EQ(zp(0x210, uint8_t{}), 0xff);
  EXPECT_EQ(zp(0x1e8, uint8_t{}), 2);
  EXPECT_EQ(zp(0x2d0 + 20 + 0, uint64_t{}), 0x100000u);
  EXPECT_EQ(zp(0x070, uint64_t{}), 0xe0000u);
  const uint32_t cmdline = zp(0x228, uint32_t{});
  char text[20] = {};
  ASSERT_TRUE(mem->read(cmdline, {reinterpret_cast<uint8_t*>(text), 19}).ok());
  EXPECT_STREQ(text, "console=ttyS0 quiet");

  const uint32_t initrd_addr = zp(0x218, uint32_t{});
  EXPECT_EQ(zp(0x21c, uint32_t{}), 10000u);
  EXPECT_EQ(initrd_addr % 4096, 0u);
  EXPECT_GE(initrd_addr, 0x1000000u + 0x100000u) << "initrd must clear the decompressed kernel";
  EXPECT_LE(initrd_addr + 10000u, 64u << 20);
  EXPECT_EQ(mem->read_obj<uint8_t>(initrd_addr + 9999).value(), 0xab);
}

TEST(BzImage, MapsTheInitrdFromItsFile) {
  auto mem = GuestMemory::create({{0, 64 << 20}});
  ASSERT_TRUE(mem.ok());
  std::vector<uint8_t> initrd(10001);  // not a multiple of the page size
  for (size_t i = 0; i < initrd.size(); ++i) initrd[i] = static_cast<uint8_t>(i * 3 + 7);
  UniqueFd fd(::memfd_create("initrd", MFD_CLOEXEC));
  ASSERT_TRUE(fd.valid());
  ASSERT_EQ(::pwrite(fd.get(), initrd.data(), initrd.size(), 0), static_cast<ssize_t>(initrd.size()));
  const std::vector<E820Entry> e820{{0x100000, (64 << 20) - 0x100000, 1}};
  ASSERT_TRUE(load_bzimage(*mem, image(), initrd, "", e820, 0, fd.get()).ok());
  const uint32_t initrd_addr = mem->read_obj<uint32_t>(kZeroPageAddr + 0x218).value();
  std::vector<uint8_t> got(initrd.size() + 100, 0xff);
  ASSERT_TRUE(mem->read(initrd_addr, got).ok());
  EXPECT_TRUE(std::equal(initrd.begin(), initrd.end(), got.begin())) << "the initrd reads as its file";
  EXPECT_EQ(std::vector<uint8_t>(got.begin() + 10001, got.end()), std::vector<uint8_t>(100, 0)) << "then zeros";
  ASSERT_EQ(::ftruncate(fd.get(), 4096), 0);  // changed after it was checked: refused, never mapped short
  EXPECT_FALSE(load_bzimage(*mem, image(), initrd, "", e820, 0, fd.get()).ok());
}

TEST(BzImage, RefusesWhatDoesNotFit) {
  auto mem = GuestMemory::create({{0, 16 << 20}});
  ASSERT_TRUE(mem.ok());
  const std::vector<E820Entry> e820{{0x100000, 15 << 20, 1}};
  EXPECT_FALSE(load_bzimage(*mem, image(), std::vector<uint8_t>(8 << 20), "", e820, 0).ok()) << "initrd too big";
  EXPECT_FALSE(load_bzimage(*mem, image(), {}, std::string(4096, 'x'), e820, 0).ok()) << "cmdline too long";
  EXPECT_FALSE(load_bzimage(*mem, image(20 << 20), {}, "", e820, 0).ok()) << "kernel larger than RAM";
}

}  // namespace
}  // namespace edgeward::vmm::x86
