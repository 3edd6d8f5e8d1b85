// TUF keys: keyids as securesystemslib computes them, ECDSA P-256 sign/verify round trips and
// refusals, Ed25519 verification against the RFC 8032 test vectors.
#include "ota/tuf/keys.h"

#include "tests/ota/tuf/tuf_testing.h"

namespace edgeward::ota::tuf {
namespace {

using testing::unwrap;

// RFC 8032 section 7.1, TEST 1 and TEST 2.
constexpr const char* kRfcPub1 = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr const char* kRfcSig1 =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
constexpr const char* kRfcPub2 = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
constexpr const char* kRfcSig2 =
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

nlohmann::json ed25519_object(const char* pub) {
  return {{"keytype", "ed25519"}, {"scheme", "ed25519"}, {"keyval", {{"public", pub}}}};
}

TEST(TufKeys, KeyIdIsSha256OfCanonicalObject) {
  // hashlib.sha256(b'{"keytype":"ed25519","keyval":{"public":"d75a..."},"scheme":"ed25519"}')
  EXPECT_EQ(unwrap(key_id(ed25519_object(kRfcPub1))), "74c181c7ad8a0855d4b55e44d2ba87aabdddb196832571f15f92fece332e4916");
  // keyid_hash_algorithms is part of the hashed object when (and only when) present.
  auto with_algos = ed25519_object(kRfcPub1);
  with_algos["keyid_hash_algorithms"] = {"sha256", "sha512"};
  EXPECT_EQ(unwrap(key_id(with_algos)), "01e8764eedab63b3593451765fc337b2cc6d2c66923845da255f448c19e2afc5");
  // Parsing without a given keyid computes the same.
  EXPECT_EQ(unwrap(PublicKey::parse(ed25519_object(kRfcPub1), "", "k")).keyid(),
            "74c181c7ad8a0855d4b55e44d2ba87aabdddb196832571f15f92fece332e4916");
}

struct Ed25519Case {
  const char* name;
  const char* pub;
  std::string message;
  const char* sig;
  bool valid;
};

TEST(TufKeys, Ed25519Rfc8032) {
  const Ed25519Case cases[] = {
      {"rfc8032 test 1", kRfcPub1, "", kRfcSig1, true},
      {"rfc8032 test 2", kRfcPub2, "\x72", kRfcSig2, true},
      {"message changed", kRfcPub2, "\x73", kRfcSig2, false},
      {"wrong key", kRfcPub1, "\x72", kRfcSig2, false},
      {"signature of the other message", kRfcPub1, "", kRfcSig2, false},
      {"truncated signature", kRfcPub1, "", "e5564300c360ac72", false},
      {"not hex", kRfcPub1, "", "zz", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const PublicKey k = unwrap(PublicKey::parse(ed25519_object(c.pub), "", "k"));
    EXPECT_EQ(k.scheme(), KeyScheme::kEd25519);
    EXPECT_EQ(k.verify(c.message, c.sig, "test").ok(), c.valid);
  }
}

TEST(TufKeys, EcdsaSignVerifyRoundTrip) {
  const SigningKey key = testing::new_key();
  const SigningKey other = testing::new_key();
  const std::string payload = R"({"_type":"targets","version":1})";
  const std::string sig = unwrap(key.sign_hex(payload));
  EXPECT_TRUE(key.public_key().verify(payload, sig, "t").ok());
  // Refusals: tampered payload, another key, a flipped signature byte, garbage.
  EXPECT_FALSE(key.public_key().verify(payload + " ", sig, "t").ok());
  EXPECT_FALSE(other.public_key().verify(payload, sig, "t").ok());
  std::string flipped = sig;
  flipped[20] = flipped[20] == '0' ? '1' : '0';
  EXPECT_FALSE(key.public_key().verify(payload, flipped, "t").ok());
  EXPECT_FALSE(key.public_key().verify(payload, "", "t").ok());
  EXPECT_FALSE(key.public_key().verify(payload, std::string(2000, 'a'), "t").ok());
  // The error is a trust failure (CLI exit 1), not malformed input.
  EXPECT_EQ(other.public_key().verify(payload, sig, "t").error().code, ErrorCode::kPermission);
}

TEST(TufKeys, EcdsaObjectShape) {
  const SigningKey key = testing::new_key();
  const nlohmann::json& o = key.public_key().object();
  EXPECT_EQ(o["keytype"], "ecdsa");
  EXPECT_EQ(o["scheme"], "ecdsa-sha2-nistp256");
  EXPECT_TRUE(o["keyval"]["public"].get<std::string>().starts_with("-----BEGIN PUBLIC KEY-----\n"));
  EXPECT_EQ(key.keyid(), unwrap(key_id(o)));
  // The older keytype spelling parses to the same key (and verifies the same signatures).
  nlohmann::json old = o;
  old["keytype"] = "ecdsa-sha2-nistp256";
  const PublicKey k = unwrap(PublicKey::parse(old, "", "k"));
  EXPECT_TRUE(k.verify("x", unwrap(key.sign_hex("x")), "t").ok());
  EXPECT_NE(k.keyid(), key.keyid());  // a different object, a different keyid
}

TEST(TufKeys, BadKeyObjectsRefused) {
  struct Bad {
    const char* name;
    nlohmann::json object;
    ErrorCode code;
  };
  const Bad cases[] = {
      {"not an object", nlohmann::json::array(), ErrorCode::kInvalidInput},
      {"no keyval", {{"keytype", "ed25519"}, {"scheme", "ed25519"}}, ErrorCode::kInvalidInput},
      {"public not string", {{"keytype", "ed25519"}, {"scheme", "ed25519"}, {"keyval", {{"public", 5}}}},
       ErrorCode::kInvalidInput},
      {"ed25519 short", ed25519_object("d75a98"), ErrorCode::kInvalidInput},
      {"ecdsa not pem", {{"keytype", "ecdsa"}, {"scheme", "ecdsa-sha2-nistp256"}, {"keyval", {{"public", "abc"}}}},
       ErrorCode::kInvalidInput},
      {"scheme mismatch", {{"keytype", "ed25519"}, {"scheme", "ecdsa-sha2-nistp256"}, {"keyval", {{"public", kRfcPub1}}}},
       ErrorCode::kUnsupported},
      {"rsa unsupported", {{"keytype", "rsa"}, {"scheme", "rsassa-pss-sha256"}, {"keyval", {{"public", "x"}}}},
       ErrorCode::kUnsupported},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto k = PublicKey::parse(c.object, "", "root.json: keys/x");
    ASSERT_FALSE(k.ok());
    EXPECT_EQ(k.error().code, c.code) << k.error().message;
    EXPECT_TRUE(k.error().message.starts_with("root.json: keys/x")) << k.error().message;
  }
}

}  // namespace
}  // namespace edgeward::ota::tuf
