#include "vmm-lite/devices/virtio/blk.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>

#include "tests/vmm-lite/devices/virtio/virtqueue_rig.h"
#include "vmm-lite/devices/device.h"

namespace edgeward::vmm {
namespace {

using test::VirtqueueRig;
using R = VirtqueueRig;

class Blk : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/blk-" + std::to_string(::getpid()) + ".img";
    std::string img(4 * 512, '\0');
    img.replace(0, 5, "HELLO");
    std::ofstream(path_, std::ios::binary) << img;
  }
  void TearDown() override { ::unlink(path_.c_str()); }

  // Sends one request (header, optional data buffer, status) and returns the status byte.
  uint8_t request(VirtioBlk& blk, uint32_t type, uint64_t sector, uint32_t data_len, bool data_writable) {
    const uint64_t hdr = R::kBuffers, data = R::kBuffers + 0x100, status = R::kBuffers + 0x2000;
    (void)rig_.mem.write_obj<uint32_t>(hdr, type);
    (void)rig_.mem.write_obj<uint64_t>(hdr + 8, sector);
    (void)rig_.mem.write_obj<uint8_t>(status, 0xee);
    if (data_len) {
      rig_.desc(0, hdr, 16, R::kNext, 1);
      rig_.desc(1, data, data_len, static_cast<uint16_t>(R::kNext | (data_writable ? R::kWrite : 0)), 2);
      rig_.desc(2, status, 1, R::kWrite);
    } else {
      rig_.desc(0, hdr, 16, R::kNext, 2);
      rig_.desc(2, status, 1, R::kWrite);
    }
    rig_.publish(0);
    auto used = blk.process_queue(0, rig_.q, rig_.mem);
    EXPECT_TRUE(used.ok()) << used.error().message;
    return rig_.mem.read_obj<uint8_t>(status).value();
  }

  std::string path_;
  VirtqueueRig rig_;
};

TEST_F(Blk, RefusesImagesThatAreNotWholeSectors) {
  std::ofstream(path_, std::ios::binary) << std::string(1000, 'x');
  EXPECT_FALSE(VirtioBlk::open(path_, true).ok());
  EXPECT_FALSE(VirtioBlk::open("/nonexistent.img", true).ok());
  EXPECT_FALSE(VirtioBlk::open("/", true).ok());
}

TEST_F(Blk, ReadOnlyRefusesWritesAndAdvertisesRo) {
  auto blk = VirtioBlk::open(path_, true);
  ASSERT_TRUE(blk.ok());
  EXPECT_TRUE((*blk)->features() & (1 << 5));
  EXPECT_EQ(request(**blk, 1, 1, 512, false), 1);  // IOERR
  EXPECT_EQ(request(**blk, 0, 0, 512, true), 0);
  char got[6] = {};
  ASSERT_TRUE(rig_.mem.read(R::kBuffers + 0x100, {reinterpret_cast<uint8_t*>(got), 5}).ok());
  EXPECT_STREQ(got, "HELLO");
}

TEST_F(Blk, BoundsAndDirectionAreChecked) {
  auto blk = VirtioBlk::open(path_, false);
  ASSERT_TRUE(blk.ok());
  EXPECT_EQ(request(**blk, 0, 4, 512, true), 1) << "read at the capacity";
  EXPECT_EQ(request(**blk, 0, 3, 1024, true), 1) << "read running past the end";
  EXPECT_EQ(request(**blk, 0, ~0ull / 512, 512, true), 1) << "sector overflow";
  EXPECT_EQ(request(**blk, 0, 0, 512, false), 1) << "read into a device-readable buffer";
  EXPECT_EQ(request(**blk, 1, 3, 512, false), 0) << "write of the last sector";
  EXPECT_EQ(request(**blk, 4, 0, 0, false), 0) << "flush";
  EXPECT_EQ(request(**blk, 99, 0, 0, false), 2) << "unknown type: UNSUPP";
  EXPECT_EQ(request(**blk, 8, 0, 20, true), 0) << "get id";
}

TEST_F(Blk, ConfigSpaceReportsCapacity) {
  auto blk = VirtioBlk::open(path_, false);
  ASSERT_TRUE(blk.ok());
  uint8_t cap[8];
  (*blk)->read_config(0, cap);
  EXPECT_EQ(load_le(cap), 4u);
  uint8_t past[4];
  (*blk)->read_config(4096, past);
  EXPECT_EQ(load_le(past), 0u);
}

}  // namespace
}  // namespace edgeward::vmm
