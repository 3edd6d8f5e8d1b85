// Runtime binary patches: made by the publisher's writer, applied by the device's decoder. Error
// cases first (a patch applied to another base, corrupt, truncated, not a frame, announcing another
// length, making more than the signed length, making other bytes), then the round trip.
#include "ota/delta/runtime_patch.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <functional>

#include "ota/delta/patch_writer.h"
#include "tests/ota/delta/delta_testing.h"

namespace edgeward::ota::delta {
namespace {

// A "binary" and its next build: a few changed bytes here and there and a 37-byte insertion, the
// way a small source change moves code.
struct Builds {
  std::vector<uint8_t> old_bin = random_bytes(1 << 20, 11), new_bin;
  Builds() {
    new_bin = old_bin;
    for (size_t i = 4096; i < new_bin.size(); i += 65536) new_bin[i] ^= 0x5a;
    const auto ins = random_bytes(37, 12);
    new_bin.insert(new_bin.begin() + 300000, ins.begin(), ins.end());
  }
  PatchTarget base() const { return {old_bin.size(), attest::sha256(old_bin)}; }
  PatchTarget target() const { return {new_bin.size(), attest::sha256(new_bin)}; }
};

std::vector<uint8_t> make(const Builds& b) {
  auto p = make_runtime_patch(b.old_bin, b.new_bin);
  EXPECT_TRUE(p.ok()) << p.error().message;
  return p ? *p : std::vector<uint8_t>{};
}

struct Case {
  const char* name;
  std::function<void(Builds&, std::vector<uint8_t>& patch, PatchTarget& base, PatchTarget& target)> spoil;
  const char* expect;
};

TEST(RuntimePatch, HostilePatchesAreRefused) {
  const Case cases[] = {
      {"another base of the same length", [](Builds& b, auto&, auto&, auto&) { b.old_bin[1000] ^= 1; },
       "made against another binary"},
      {"a base of another length", [](Builds& b, auto&, auto&, auto&) { b.old_bin.push_back(0); },
       "made against another binary"},
      {"a corrupt patch (bytes flipped in the middle: a literal decodes to other bytes)",
       [](Builds&, auto& p, auto&, auto&) {
         for (size_t i = p.size() / 3; i < p.size() / 3 + 8; ++i) p[i] ^= 0xff;
       },
       "SHA-256 is not the signed one"},
      {"a corrupt block header", [](Builds&, auto& p, auto&, auto&) { p[11] ^= 0xff; }, "it is"},
      {"a truncated patch", [](Builds&, auto& p, auto&, auto&) { p.resize(p.size() - 5); }, "it is truncated"},
      {"not a zstd frame", [](Builds&, auto& p, auto&, auto&) { p.assign(64, 0x41); }, "does not start with a zstd frame"},
      {"empty", [](Builds&, auto& p, auto&, auto&) { p.clear(); }, "does not start with a zstd frame"},
      {"a frame for another length", [](Builds&, auto&, auto&, auto& t) { t.length -= 1; },
       "does not announce the signed length"},
      {"a second frame making more than the signed length",
       [](Builds&, auto& p, auto&, auto&) {
         const auto extra = random_bytes(5000, 13);
         std::vector<uint8_t> frame(ZSTD_compressBound(extra.size()));
         frame.resize(ZSTD_compress(frame.data(), frame.size(), extra.data(), extra.size(), 1));
         p.insert(p.end(), frame.begin(), frame.end());
       },
       "decompresses to more than the signed length"},
      {"a binary with another SHA-256 than the signed one", [](Builds&, auto&, auto&, auto& t) { t.sha256[0] ^= 1; },
       "SHA-256 is not the signed one"},
      {"a binary larger than a patch may make",
       [](Builds&, auto&, auto&, auto& t) { t.length = kMaxPatchedBytes + 1; }, "at most 64 MiB"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Builds b;
    std::vector<uint8_t> patch = make(b);
    PatchTarget base = b.base(), target = b.target();
    c.spoil(b, patch, base, target);
    auto out = apply_runtime_patch(b.old_bin, base, patch, target, "rt.zpatch");
    ASSERT_FALSE(out.ok());
    EXPECT_NE(out.error().message.find(c.expect), std::string::npos) << out.error().message;
    EXPECT_EQ(out.error().message.rfind("rt.zpatch", 0), 0u) << out.error().message;
  }
}

TEST(RuntimePatch, RoundTripIsSmallAndExact) {
  const Builds b;
  const std::vector<uint8_t> patch = make(b);
  EXPECT_LT(patch.size(), b.new_bin.size() / 20) << "a patch for 17 changed bytes and a 37-byte insertion";
  auto out = apply_runtime_patch(b.old_bin, b.base(), patch, b.target(), "rt.zpatch");
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, b.new_bin);
}

TEST(RuntimePatch, UnrelatedBinariesStillRoundTrip) {
  const std::vector<uint8_t> old_bin = random_bytes(70000, 1), new_bin = random_bytes(90000, 2);
  auto patch = make_runtime_patch(old_bin, new_bin);
  ASSERT_TRUE(patch.ok()) << patch.error().message;
  EXPECT_GE(patch->size(), new_bin.size()) << "nothing in common: the publisher does not publish such a patch";
  auto out = apply_runtime_patch(old_bin, {old_bin.size(), attest::sha256(old_bin)}, *patch,
                                 {new_bin.size(), attest::sha256(new_bin)}, "rt.zpatch");
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, new_bin);
}

TEST(RuntimePatch, WindowCoversBaseAndBinary) {
  EXPECT_EQ(patch_window_log(0, 1), 10u);
  EXPECT_EQ(patch_window_log(1 << 20, 1 << 20), 21u);
  EXPECT_EQ(patch_window_log((1 << 20) + 1, 1 << 20), 22u);
  EXPECT_EQ(patch_window_log(kMaxPatchedBytes, kMaxPatchedBytes), 27u);
}

}  // namespace
}  // namespace edgeward::ota::delta
