// The VersionInfo nanopb message: round trip, and malformed input refused.
#include "common/version.h"

#include <gtest/gtest.h>

#include "common/build_config.h"

namespace edgeward {
namespace {

TEST(Version, CurrentIsFromTheBuild) {
  const Version v = current_version();
  EXPECT_EQ(v.version, EDGEWARD_VERSION);
  EXPECT_EQ(v.arch, EDGEWARD_ARCH);
  EXPECT_EQ(v.board, EDGEWARD_BOARD);
  EXPECT_FALSE(v.git_commit.empty());
}

TEST(Version, RoundTripsThroughNanopb) {
  const Version v{"1.2.3", "abcdef012345", "aarch64", "rpi4"};
  auto bytes = encode_version(v);
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  EXPECT_GT(bytes->size(), 20u);
  auto back = decode_version(*bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, v);
}

TEST(Version, RefusesOversizedField) {
  auto bytes = encode_version({std::string(100, '9'), "c", "x86_64", "b"});
  ASSERT_FALSE(bytes.ok());
  EXPECT_NE(bytes.error().message.find("too long"), std::string::npos);
}

TEST(Version, RefusesMalformedWire) {
  auto good = encode_version({"1.0", "c", "x86_64", "b"});
  ASSERT_TRUE(good.ok());
  std::vector<uint8_t> truncated(good->begin(), good->end() - 1);
  EXPECT_FALSE(decode_version(truncated).ok());
  // Field 1 (string) claiming 200 bytes: larger than max_size and than the buffer.
  EXPECT_FALSE(decode_version({0x0a, 0xc8, 0x01, 'x'}).ok());
  // Wire type 7 does not exist.
  EXPECT_FALSE(decode_version({0x0f, 0x00}).ok());
}

}  // namespace
}  // namespace edgeward
