// The crypto backends (attest/crypto/mbedtls/, attest/crypto/nettle/) against known answers. This
// one source is built once per backend (tests/attest/CMakeLists.txt), so both backends pass the
// same vectors in every build, whichever one the product links.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "attest/crypto/ecdsa.h"
#include "attest/crypto/sha256.h"

namespace edgeward::attest {
namespace {

std::span<const uint8_t> bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

template <size_t N>
std::array<uint8_t, N> hex(std::string_view h) {
  std::array<uint8_t, N> out{};
  for (size_t i = 0; i < N; ++i) out[i] = static_cast<uint8_t>(std::stoi(std::string(h.substr(2 * i, 2)), nullptr, 16));
  return out;
}

std::string hex_of(const Digest& d) {
  std::string s;
  for (uint8_t b : d) s += "0123456789abcdef"[b >> 4], s += "0123456789abcdef"[b & 15];
  return s;
}

TEST(Backend, IsTheOneThisTestWasBuiltFor) { EXPECT_EQ(crypto_backend_name(), EW_EXPECT_BACKEND); }

// FIPS 180-2 / NIST CAVP SHA-256 examples.
struct ShaCase {
  std::string message;
  const char* digest;
};

TEST(Sha256Kat, NistVectorsOneShotAndIncremental) {
  const ShaCase cases[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
      {std::string(1000000, 'a'), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.message.substr(0, 16));
    EXPECT_EQ(hex_of(sha256(bytes(c.message))), c.digest);
    Sha256 h;  // uneven pieces cross the 64-byte block boundaries
    for (size_t at = 0, step = 1; at < c.message.size(); at += step, step = step * 3 % 97 + 1) {
      h.update(bytes(std::string_view(c.message).substr(at, step)));
    }
    EXPECT_EQ(hex_of(h.finish()), c.digest);
    EXPECT_EQ(hex_of(h.finish()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");  // reset
  }
}

// RFC 6979 A.2.5: ECDSA P-256 with SHA-256, deterministic signatures of "sample" and "test".
constexpr std::string_view kQx = "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6";
constexpr std::string_view kQy = "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299";
constexpr std::string_view kN = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";  // group order

std::array<uint8_t, 65> point(std::string_view x, std::string_view y) {
  std::array<uint8_t, 65> p{0x04};
  const auto bx = hex<32>(x), by = hex<32>(y);
  std::copy(bx.begin(), bx.end(), p.begin() + 1);
  std::copy(by.begin(), by.end(), p.begin() + 33);
  return p;
}

struct SigCase {
  const char* name;
  std::string message;
  std::string_view r, s;
  bool valid;
};

TEST(EcdsaKat, Rfc6979VectorsAndTampering) {
  auto key = EcdsaP256Key::from_point(point(kQx, kQy));
  ASSERT_TRUE(key.has_value());
  constexpr std::string_view r1 = "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716";
  constexpr std::string_view s1 = "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8";
  constexpr std::string_view r2 = "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367";
  constexpr std::string_view s2 = "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083";
  constexpr std::string_view zero = "0000000000000000000000000000000000000000000000000000000000000000";
  const SigCase cases[] = {
      {"signature of another message", "sample", r2, s2, false},
      {"r and s swapped", "sample", s1, r1, false},
      {"r of one signature, s of another", "sample", r1, s2, false},
      {"message changed", "samplf", r1, s1, false},
      {"r = 0", "sample", zero, s1, false},
      {"s = 0", "sample", r1, zero, false},
      {"r = n (out of range)", "sample", kN, s1, false},
      {"s = n (out of range)", "sample", r1, kN, false},
      {"sample", "sample", r1, s1, true},
      {"test", "test", r2, s2, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(key->verify(sha256(bytes(c.message)), hex<32>(c.r), hex<32>(c.s)), c.valid);
  }
}

TEST(EcdsaKat, PointsNotOnTheCurveAreRefused) {
  auto bad = point(kQx, kQy);
  bad[64] ^= 1;  // y changed: off the curve
  EXPECT_FALSE(EcdsaP256Key::from_point(bad).has_value());
  auto compressed = point(kQx, kQy);
  compressed[0] = 0x02;
  EXPECT_FALSE(EcdsaP256Key::from_point(compressed).has_value());
  const auto good = point(kQx, kQy);
  EXPECT_FALSE(EcdsaP256Key::from_point(std::span(good).first(64)).has_value());  // truncated
  EXPECT_FALSE(EcdsaP256Key::from_point(point(std::string(64, '0'), std::string(64, '0'))).has_value());
  EXPECT_TRUE(EcdsaP256Key::from_point(good).has_value());
}

}  // namespace
}  // namespace edgeward::attest
