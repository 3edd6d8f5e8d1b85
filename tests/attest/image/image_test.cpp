// Signed workload images end to end: build, sign, verify; tampering any region of the file, the
// signature or the certificate is refused with a message naming what failed.
#include "attest/image/image.h"

#include <gtest/gtest.h>

#include <random>

#include "attest/image/container.h"
#include "tests/attest/testing.h"

namespace edgeward::attest {
namespace {

using testing::must;

class Image : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937 rng(42);
    auto random_file = [&](const std::string& name, size_t n) {
      std::vector<uint8_t> b(n);
      for (auto& x : b) x = static_cast<uint8_t>(rng());
      testing::write_bytes(dir.file(name), b);
      return dir.file(name);
    };
    BuildSpec spec;
    spec.manifest.name = "demo";
    spec.manifest.version = "1.0";
    spec.manifest.memory_bytes = 64 << 20;
    spec.manifest.vcpus = 1;
    spec.inputs = {{ComponentKind::kKernel, "kernel", random_file("k", 5000)},
                   {ComponentKind::kInitrd, "initrd", random_file("i", 3000)},
                   {ComponentKind::kRootfsDisk, "rootfs", random_file("r", 4096 * 200 + 17)}};
    image = dir.file("demo.ewi");
    manifest = must(build_image(spec, image));
    ASSERT_TRUE(sign_image(image, signer->key, signer->cert_pem).ok());
    bytes = must(read_file(image, 1 << 24));
    header = must(decode_header(bytes, bytes.size()));
  }

  // Flips one byte at `offset` and returns the verification error (empty if it verified).
  std::string tamper(uint64_t offset) {
    auto copy = bytes;
    copy[offset] ^= 0x5a;
    const std::string path = dir.file("t.ewi");
    testing::write_bytes(path, copy);
    auto r = verify_image(path, pki->ca, 2);
    return r.ok() ? std::string() : r.error().message;
  }

  // Generated once for the suite (key generation is the slow part).
  static const testing::Pki& fleet() {
    static const testing::Pki p;
    return p;
  }
  static const testing::Identity& signer_id() {
    static const testing::Identity s = fleet().issue(Purpose::kCodeSigning, "signer");
    return s;
  }
  const testing::Pki* pki = &fleet();
  const testing::Identity* signer = &signer_id();
  testing::TempDir dir;
  std::string image;
  Manifest manifest;
  std::vector<uint8_t> bytes;
  ImageHeader header;
};

TEST_F(Image, TamperingAnyRegionIsRefusedAndNamed) {
  const uint64_t sig_at = header.manifest_offset + header.manifest_len;
  const uint64_t certs_at = sig_at + header.signature_len;
  const auto& k = manifest.components[0];
  const auto& r = manifest.components[2];
  struct Region {
    const char* name;
    uint64_t begin, end;
    const char* error;  // substring every refusal in this region contains ("" = any)
  };
  const Region regions[] = {
      {"header", 0, kHeaderBytes, "image header"},
      {"header padding", kHeaderBytes, 4096, "padding before component 'kernel'"},
      {"kernel", k.offset, k.offset + k.size, "component 'kernel' (kernel): SHA-256 does not match"},
      {"padding after kernel", k.offset + k.size, align_up(k.offset + k.size), "padding before component 'initrd'"},
      {"rootfs data", r.offset, r.offset + r.size, "component 'rootfs' (rootfs-disk): data does not match the signed Merkle root"},
      {"rootfs tree", r.tree_offset, r.tree_offset + r.tree_size, "rootfs"},
      {"manifest", header.manifest_offset, sig_at, "manifest signature does not verify"},
      {"signature", sig_at, certs_at, "signature"},
      {"certificate", certs_at, bytes.size(), "signer certificate"},
  };
  for (const auto& reg : regions) {
    // Up to 24 positions per region: first, last, and evenly spread in between.
    const uint64_t n = reg.end - reg.begin;
    for (uint64_t i = 0; i < std::min<uint64_t>(n, 24); ++i) {
      const uint64_t off = reg.begin + (n <= 24 ? i : i * (n - 1) / 23);
      const std::string err = tamper(off);
      SCOPED_TRACE(std::string(reg.name) + " byte " + std::to_string(off));
      ASSERT_FALSE(err.empty()) << "tampered image verified";
      EXPECT_NE(err.find(reg.error), std::string::npos) << err;
    }
  }
}

TEST_F(Image, TruncatedExtendedUnsignedAndForeignSignerRefused) {
  const std::string path = dir.file("x.ewi");
  auto truncated = bytes;
  truncated.pop_back();
  testing::write_bytes(path, truncated);
  auto r = verify_image(path, pki->ca, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("truncated or extended"), std::string::npos) << r.error().message;

  auto extended = bytes;
  extended.push_back(0);
  testing::write_bytes(path, extended);
  EXPECT_FALSE(verify_image(path, pki->ca, 1).ok());

  testing::Pki other;
  auto stranger = other.issue(Purpose::kCodeSigning, "stranger");
  ASSERT_TRUE(sign_image(image, stranger.key, stranger.cert_pem).ok());
  r = verify_image(image, pki->ca, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not trusted by the fleet CA"), std::string::npos) << r.error().message;

  // The real signer's certificate with another key: refused at sign time already.
  EXPECT_FALSE(sign_image(image, stranger.key, signer->cert_pem).ok());
}

TEST_F(Image, VerifiesAndReSigns) {
  auto v = verify_image(image, pki->ca, 2);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->manifest, manifest);
  EXPECT_EQ(v->signer, "CN=signer");
  auto again = pki->issue(Purpose::kCodeSigning, "signer2");
  ASSERT_TRUE(sign_image(image, again.key, again.cert_pem).ok());
  v = verify_image(image, pki->ca, 1);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->signer, "CN=signer2");
  auto inspected = inspect_image(image);
  ASSERT_TRUE(inspected.ok());
  EXPECT_TRUE(inspected->signed_);
  EXPECT_EQ(inspected->manifest_digest, v->manifest_digest);
}

TEST_F(Image, LazyBlockVerifierForTheRootfs) {
  const Component& r = manifest.components[2];
  EXPECT_FALSE(block_verifier(image, manifest.components[0]).ok());  // kernel: flat digest
  auto v = must(block_verifier(image, r));
  std::vector<uint8_t> block(bytes.begin() + static_cast<ptrdiff_t>(r.offset + 4096 * 3),
                             bytes.begin() + static_cast<ptrdiff_t>(r.offset + 4096 * 4));
  EXPECT_TRUE(v.verify_block(3, block).ok());
  const uint64_t last = r.size / 4096;
  EXPECT_TRUE(v.verify_block(last, std::span(bytes).subspan(r.offset + last * 4096, r.size - last * 4096)).ok());
  block[0] ^= 1;
  EXPECT_FALSE(v.verify_block(3, block).ok());
}

TEST_F(Image, UnsignedImageIsRefused) {
  BuildSpec spec;
  spec.manifest.name = "u";
  spec.inputs = {{ComponentKind::kKernel, "kernel", dir.file("k")}};
  ASSERT_TRUE(build_image(spec, dir.file("u.ewi")).ok());
  auto r = verify_image(dir.file("u.ewi"), pki->ca, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not signed"), std::string::npos);
}

}  // namespace
}  // namespace edgeward::attest
