// Manifest codec: hostile wire data refused (error cases first), round trip.
#include "attest/image/manifest.h"

#include <gtest/gtest.h>

namespace edgeward::attest {
namespace {

Manifest sample() {
  Manifest m;
  m.name = "web";
  m.version = "1.2.0";
  Component k;
  k.kind = ComponentKind::kKernel;
  k.name = "kernel";
  k.offset = 4096;
  k.size = 100;
  k.sha256 = sha256(std::string_view("k"));
  m.components.push_back(k);
  m.memory_bytes = 64 << 20;
  m.vcpus = 2;
  m.node_selector = {{"kubernetes.io/arch", "arm64"}};
  return m;
}

TEST(Manifest, RefusesBadManifests) {
  struct Case {
    const char* name;
    void (*edit)(Manifest&);
    const char* error;
  };
  const Case cases[] = {
      {"no name", [](Manifest& m) { m.name.clear(); }, "missing image name"},
      {"no components", [](Manifest& m) { m.components.clear(); }, "no components"},
      {"duplicate component", [](Manifest& m) { m.components.push_back(m.components[0]); }, "duplicate component"},
      {"unnamed component", [](Manifest& m) { m.components[0].name.clear(); }, "has no name"},
      {"huge offset", [](Manifest& m) { m.components[0].offset = ~uint64_t{0}; }, "out-of-range"},
      {"tree on flat digest", [](Manifest& m) { m.components[0].tree_size = 4096; }, "flat digest kind"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Manifest m = sample();
    c.edit(m);
    auto bytes = encode_manifest(m);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    auto back = decode_manifest(*bytes);
    ASSERT_FALSE(back.ok());
    EXPECT_NE(back.error().message.find(c.error), std::string::npos) << back.error().message;
  }
}

TEST(Manifest, RefusesMalformedWire) {
  auto good = encode_manifest(sample());
  ASSERT_TRUE(good.ok());
  std::vector<uint8_t> truncated(good->begin(), good->end() - 3);
  EXPECT_FALSE(decode_manifest(truncated).ok());
  EXPECT_FALSE(decode_manifest(std::vector<uint8_t>{0x08, 0x02}).ok());  // format 2
  EXPECT_FALSE(decode_manifest(std::vector<uint8_t>{0x0f}).ok());        // wire type 7
  EXPECT_FALSE(decode_manifest(std::vector<uint8_t>(kMaxManifestBytes + 1, 0)).ok());
  EXPECT_FALSE(encode_manifest([] { Manifest m = sample(); m.name = std::string(100, 'x'); return m; }()).ok());
}

TEST(Manifest, RoundTrips) {
  const Manifest m = sample();
  auto bytes = encode_manifest(m);
  ASSERT_TRUE(bytes.ok());
  auto back = decode_manifest(*bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, m);
}

}  // namespace
}  // namespace edgeward::attest
