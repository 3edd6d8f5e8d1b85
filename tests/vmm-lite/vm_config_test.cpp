#include "vmm-lite/vm_config.h"

#include <gtest/gtest.h>

namespace edgeward::vmm {
namespace {

TEST(VmConfig, DiskSpecs) {
  EXPECT_FALSE(parse_disk_spec("").ok());
  EXPECT_FALSE(parse_disk_spec(":ro").ok());
  auto ro = parse_disk_spec("/img/a.raw:ro");
  ASSERT_TRUE(ro.ok());
  EXPECT_EQ(ro->path, "/img/a.raw");
  EXPECT_TRUE(ro->read_only);
  auto rw = parse_disk_spec("disk.img");
  ASSERT_TRUE(rw.ok());
  EXPECT_FALSE(rw->read_only);
  auto colon = parse_disk_spec("odd:name");  // not a mode: part of the path
  ASSERT_TRUE(colon.ok());
  EXPECT_EQ(colon->path, "odd:name");
}

TEST(VmConfig, NetSpecs) {
  auto tap = parse_net_spec("tap:ew0");
  ASSERT_TRUE(tap.ok());
  EXPECT_EQ(*tap, "ew0");
  for (const char* bad : {"", "tap:", "ew0", "user:ew0", "TAP:ew0"}) {
    auto r = parse_net_spec(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("tap:NAME"), std::string::npos) << r.error().message;
  }
}

TEST(VmConfig, ValidationNamesTheOption) {
  VmConfig c;
  EXPECT_NE(validate(c).error().message.find("--kernel"), std::string::npos);
  c.kernel = "k";
  c.vcpus = 0;
  EXPECT_NE(validate(c).error().message.find("--vcpus"), std::string::npos);
  c.vcpus = kMaxVcpus + 1;
  EXPECT_FALSE(validate(c).ok());
  c.vcpus = 2;
  c.mem_bytes = 1 << 20;
  EXPECT_NE(validate(c).error().message.find("--mem"), std::string::npos);
  c.mem_bytes = (256 << 20) + 1;
  EXPECT_FALSE(validate(c).ok());
  c.mem_bytes = 256 << 20;
  EXPECT_TRUE(validate(c).ok());
}

}  // namespace
}  // namespace edgeward::vmm
