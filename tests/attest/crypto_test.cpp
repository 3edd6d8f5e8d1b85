// Certificates and keys: chain verification refuses what it must (error cases first), signatures.
#include <gtest/gtest.h>

#include "attest/crypto/cert.h"
#include "tests/attest/testing.h"

namespace edgeward::attest {
namespace {

using testing::must;

const testing::Pki& pki() {
  static const testing::Pki p;
  return p;
}

struct ChainCase {
  const char* name;
  Purpose issued_for;
  Validity validity;
  Purpose checked_for;
  const char* error;  // nullptr: must verify
};

TEST(Cert, ChainVerificationTable) {
  const ChainCase cases[] = {
      {"expired", Purpose::kCodeSigning, {"20200101000000", "20210101000000"}, Purpose::kCodeSigning, "expired"},
      {"not yet valid", Purpose::kCodeSigning, {"20990101000000", "20991231000000"}, Purpose::kCodeSigning, "future"},
      {"client cert used to sign images", Purpose::kClient, validity_days(1), Purpose::kCodeSigning,
       "extended key usage does not allow code signing"},
      {"signer cert used as device", Purpose::kCodeSigning, validity_days(1), Purpose::kDevice,
       "extended key usage does not allow device"},
      {"CA cert used to sign images", Purpose::kCa, validity_days(1), Purpose::kCodeSigning, "key usage does not allow"},
      {"good signer", Purpose::kCodeSigning, validity_days(1), Purpose::kCodeSigning, nullptr},
      {"good client", Purpose::kClient, validity_days(1), Purpose::kClient, nullptr},
      {"good device", Purpose::kDevice, validity_days(1), Purpose::kDevice, nullptr},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto id = pki().issue(c.issued_for, c.name, c.validity);
    auto chain = must(CertChain::parse(id.cert_pem, c.name));
    auto st = verify_chain(chain, pki().ca, c.checked_for, "test cert");
    if (c.error == nullptr) {
      EXPECT_TRUE(st.ok()) << st.error().message;
    } else {
      ASSERT_FALSE(st.ok());
      EXPECT_NE(st.error().message.find(c.error), std::string::npos) << st.error().message;
    }
  }
}

TEST(Cert, OtherCaIsRefused) {
  testing::Pki other;
  auto id = other.issue(Purpose::kCodeSigning, "stranger");
  auto st = verify_chain(must(CertChain::parse(id.cert_pem, "x")), pki().ca, Purpose::kCodeSigning, "signer");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("not trusted by the fleet CA"), std::string::npos) << st.error().message;
}

TEST(Cert, GarbageIsMalformed) {
  EXPECT_FALSE(CertChain::parse(std::string_view("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), "x").ok());
  const std::vector<uint8_t> junk{0x30, 0x82, 0xff, 0xff, 0x01};
  EXPECT_FALSE(CertChain::parse(junk, "x").ok());
}

TEST(Keys, SignVerifyAndTamper) {
  auto key = must(PrivateKey::generate());
  const Digest d = sha256(std::string_view("hello"));
  auto sig = must(key.sign(d));
  EXPECT_TRUE(verify_signature(key.pk(), d, sig, "sig").ok());
  Digest other = d;
  other[0] ^= 1;
  EXPECT_FALSE(verify_signature(key.pk(), other, sig, "sig").ok());
  sig[sig.size() / 2] ^= 0x40;
  EXPECT_FALSE(verify_signature(key.pk(), d, sig, "sig").ok());
  EXPECT_FALSE(verify_signature(key.pk(), d, {}, "sig").ok());
}

// DER decoding of signatures is common to both backends; an mbedTLS signature verifies with the
// key prepared by the backend, and encodings mbedTLS would refuse are refused.
TEST(Keys, DerSignatureEncodings) {
  auto key = must(PrivateKey::generate());
  const Digest d = sha256(std::string_view("der"));
  const auto sig = must(key.sign(d));
  const EcdsaP256Key prepared = must(ecdsa_key(key.pk(), "key"));
  auto with = [&](std::vector<uint8_t> s) { return verify_signature(prepared, d, s, "sig"); };
  auto trailing = sig;
  trailing.push_back(0);  // a byte after the SEQUENCE
  auto longer = sig;
  longer[1] = static_cast<uint8_t>(longer[1] + 1);  // SEQUENCE length past the end
  longer.push_back(0);
  auto not_seq = sig;
  not_seq[0] = 0x31;  // SET instead of SEQUENCE
  // r widened to 34 bytes (0x01 then r): >= 2^256, cannot be a P-256 scalar.
  std::vector<uint8_t> wide{0x30, 0, 0x02, 34, 0x01};
  const size_t rlen = sig[3];
  wide.insert(wide.end(), sig.begin() + 4, sig.begin() + 4 + static_cast<ptrdiff_t>(rlen));
  wide.insert(wide.end(), 33 - rlen, 0);
  wide.insert(wide.end(), sig.begin() + 4 + static_cast<ptrdiff_t>(rlen), sig.end());
  wide[1] = static_cast<uint8_t>(wide.size() - 2);
  for (const auto& bad : {trailing, longer, not_seq, wide}) {
    auto st = with(bad);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("sig does not verify"), std::string::npos) << st.error().message;
  }
  EXPECT_TRUE(with(sig).ok());
  EXPECT_TRUE(verify_signature(key.pk(), d, sig, "sig").ok());
}

TEST(Keys, PemRoundTrip) {
  auto key = must(PrivateKey::generate());
  auto back = must(PrivateKey::from_pem(must(key.to_pem()), "mem"));
  EXPECT_EQ(must(back.public_der()), must(key.public_der()));
  EXPECT_FALSE(PrivateKey::from_pem("not a key", "mem").ok());
}

TEST(Csr, RoundTripAndTamperedSignatureRefused) {
  auto key = must(PrivateKey::generate());
  std::string csr = must(make_csr(key, "CN=device-1"));
  auto parsed = must(parse_csr(csr, "csr"));
  EXPECT_EQ(parsed.subject, "CN=device-1");
  // Flip a character in the base64 body (inside the signed part): the proof of possession fails.
  std::string bad = csr;
  bad[bad.find('\n') + 40] = bad[bad.find('\n') + 40] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(parse_csr(bad, "csr").ok());
}

TEST(Sha256, IncrementalEqualsOneShotAndKnownVector) {
  Sha256 h;
  h.update(std::string_view("ab"));
  h.update(std::string_view("c"));
  EXPECT_EQ(to_hex(h.finish()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(h.finish(), sha256(std::string_view("")));
  EXPECT_FALSE(digest_from_hex("zz").has_value());
  EXPECT_FALSE(digest_from_hex(std::string(63, 'a') + "g").has_value());
  EXPECT_FALSE(bytes_from_hex("abc").has_value());
  EXPECT_EQ(bytes_from_hex("00fF10"), (std::vector<uint8_t>{0x00, 0xff, 0x10}));
  EXPECT_EQ(digest_from_hex(to_hex(sha256(std::string_view("abc")))), sha256(std::string_view("abc")));
}

}  // namespace
}  // namespace edgeward::attest
