// TUF key objects: parse, keyid, verify (ECDSA P-256 via attest/crypto, Ed25519 via Nettle), and
// the repository's ECDSA signing keys.
#include "ota/tuf/keys.h"

#include <nettle/eddsa.h>

#include "attest/crypto/sha256.h"
#include "ota/tuf/canonical_json.h"
#include "ota/tuf/error.h"

namespace edgeward::ota::tuf {
namespace {

constexpr size_t kMaxPublicText = 4096;     // a P-256 SPKI PEM is ~180 bytes
constexpr size_t kMaxSignatureHex = 1024;   // DER ECDSA P-256 <= 144 hex digits, Ed25519 128

const std::string* string_field(const nlohmann::json& o, const char* name) {
  auto it = o.find(name);
  return it != o.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

// The prepared key and its DER SubjectPublicKeyInfo (the canonical spelling of the key).
Result<std::pair<std::shared_ptr<attest::EcdsaP256Key>, std::string>> parse_ecdsa_pem(const std::string& pem,
                                                                                     std::string_view where) {
  attest::PkContext pk;
  const int rc = mbedtls_pk_parse_public_key(pk.get(), reinterpret_cast<const unsigned char*>(pem.c_str()),
                                             pem.size() + 1);
  if (rc != 0) return malformed(where, "keyval.public is not a PEM public key");
  auto key = attest::ecdsa_key(pk.get(), where);
  if (!key) return malformed(where, "keyval.public is not an ECDSA P-256 key");
  unsigned char der[256];
  const int n = mbedtls_pk_write_pubkey_der(pk.get(), der, sizeof der);
  if (n <= 0) return malformed(where, "keyval.public cannot be re-encoded");
  return std::make_pair(std::make_shared<attest::EcdsaP256Key>(std::move(*key)),
                        std::string(reinterpret_cast<const char*>(der + sizeof der - n), static_cast<size_t>(n)));
}

Result<std::string> pem_of(const attest::PrivateKey& key) {
  unsigned char buf[512];
  const int rc = mbedtls_pk_write_pubkey_pem(key.pk(), buf, sizeof buf);
  if (rc != 0) return Error::internal("writing a public key as PEM failed (mbedTLS " + std::to_string(rc) + ")");
  return std::string(reinterpret_cast<const char*>(buf));
}

}  // namespace

Result<std::string> key_id(const nlohmann::json& object) {
  EW_ASSIGN(std::string canon, canonical_json(object));
  return attest::to_hex(attest::sha256(canon));
}

Result<PublicKey> PublicKey::parse(const nlohmann::json& object, std::string keyid, std::string_view where) {
  if (!object.is_object()) return malformed(where, "a key must be a JSON object");
  const std::string* keytype = string_field(object, "keytype");
  const std::string* scheme = string_field(object, "scheme");
  auto keyval = object.find("keyval");
  if (!keytype || !scheme) return malformed(where, "a key needs string fields keytype and scheme");
  if (keyval == object.end() || !keyval->is_object()) return malformed(where, "a key needs an object keyval");
  const std::string* pub = string_field(*keyval, "public");
  if (!pub || pub->empty() || pub->size() > kMaxPublicText) {
    return malformed(where, "keyval.public must be a non-empty string of at most 4096 bytes");
  }
  PublicKey k;
  if ((*keytype == "ecdsa" || *keytype == "ecdsa-sha2-nistp256") && *scheme == "ecdsa-sha2-nistp256") {
    k.scheme_ = KeyScheme::kEcdsaP256;
    EW_ASSIGN(auto parsed, parse_ecdsa_pem(*pub, where));
    k.ecdsa_ = std::move(parsed.first);
    k.material_ = "ecdsa:" + parsed.second;
  } else if (*keytype == "ed25519" && *scheme == "ed25519") {
    k.scheme_ = KeyScheme::kEd25519;
    auto raw = attest::bytes_from_hex(*pub);
    if (!raw || raw->size() != ED25519_KEY_SIZE) return malformed(where, "an ed25519 public key must be 64 hex digits");
    k.ed25519_ = std::move(*raw);
    k.material_ = "ed25519:" + std::string(k.ed25519_.begin(), k.ed25519_.end());
  } else {
    return Error::unsupported(std::string(where) + ": key type '" + *keytype + "' with scheme '" + *scheme +
                              "' is not supported (ecdsa-sha2-nistp256 and ed25519 are)");
  }
  k.object_ = object;
  if (keyid.empty()) {
    EW_ASSIGN(keyid, key_id(object));
  }
  k.keyid_ = std::move(keyid);
  return k;
}

Status PublicKey::verify(std::string_view payload, std::string_view sig_hex, std::string_view where) const {
  const std::string who = std::string(where) + ": signature by key " + keyid_.substr(0, 16);
  if (sig_hex.size() > kMaxSignatureHex) return untrusted(who, "is too long");
  auto sig = attest::bytes_from_hex(sig_hex);
  if (!sig) return untrusted(who, "is not hex");
  if (scheme_ == KeyScheme::kEd25519) {
    if (sig->size() != ED25519_SIGNATURE_SIZE) return untrusted(who, "is not 64 bytes (ed25519)");
    if (ed25519_sha512_verify(ed25519_.data(), payload.size(), reinterpret_cast<const uint8_t*>(payload.data()),
                              sig->data()) != 1) {
      return untrusted(who, "does not verify");
    }
    return {};
  }
  auto st = attest::verify_signature(*ecdsa_, attest::sha256(payload), *sig, who);
  if (!st) return untrusted(who, "does not verify");
  return {};
}

Result<SigningKey> SigningKey::wrap(attest::PrivateKey key) {
  EW_ASSIGN(std::string pem, pem_of(key));
  const nlohmann::json object = {
      {"keytype", "ecdsa"}, {"scheme", "ecdsa-sha2-nistp256"}, {"keyval", {{"public", pem}}}};
  EW_ASSIGN(PublicKey pub, PublicKey::parse(object, "", "new signing key"));
  return SigningKey(std::make_shared<attest::PrivateKey>(std::move(key)), std::move(pub));
}

Result<SigningKey> SigningKey::generate() {
  EW_ASSIGN(attest::PrivateKey key, attest::PrivateKey::generate());
  return wrap(std::move(key));
}

Result<SigningKey> SigningKey::from_pem(std::string_view pem, std::string_view source) {
  EW_ASSIGN(attest::PrivateKey key, attest::PrivateKey::from_pem(pem, source));
  return wrap(std::move(key));
}

Result<std::string> SigningKey::sign_hex(std::string_view payload) const {
  EW_ASSIGN(std::vector<uint8_t> der, private_->sign(attest::sha256(payload)));
  return attest::to_hex(der);
}

}  // namespace edgeward::ota::tuf
