// TUF public key objects and signatures, as securesystemslib writes them:
//   {"keytype":"ecdsa","scheme":"ecdsa-sha2-nistp256","keyval":{"public":"<SPKI PEM>"}}
//     (keytype "ecdsa-sha2-nistp256" accepted too, as older repositories write it); the
//     signature is the hex of a DER ECDSA signature over SHA-256 of the signed bytes.
//   {"keytype":"ed25519","scheme":"ed25519","keyval":{"public":"<64 hex digits>"}}
//     the signature is the hex of the 64-byte RFC 8032 signature of the signed bytes.
// A keyid is the hex SHA-256 of the canonical JSON of the key object exactly as written (with
// "keyid_hash_algorithms" only when the object has it). Signing is ECDSA P-256 only (mbedTLS);
// Ed25519 is verified with Nettle.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "attest/crypto/keys.h"
#include "common/result.h"

namespace edgeward::ota::tuf {

enum class KeyScheme { kEcdsaP256, kEd25519 };

class PublicKey {
 public:
  // Parses and checks a key object; `where` names it in errors (e.g. "root.json: keys/<id>").
  // `keyid` is the id the metadata gives it (root's "keys" map), or empty to compute it. An
  // unknown key type or scheme is kUnsupported (a root may list keys this client cannot use).
  static Result<PublicKey> parse(const nlohmann::json& object, std::string keyid, std::string_view where);

  KeyScheme scheme() const { return scheme_; }
  const std::string& keyid() const { return keyid_; }
  const nlohmann::json& object() const { return object_; }
  // The key itself, however it was spelled (Ed25519: the 32 raw bytes; ECDSA: the DER
  // SubjectPublicKeyInfo): two keyids naming the same key have the same material.
  const std::string& material() const { return material_; }

  // Whether `sig_hex` is a valid signature of `payload` by this key; the error says why not.
  Status verify(std::string_view payload, std::string_view sig_hex, std::string_view where) const;

 private:
  KeyScheme scheme_ = KeyScheme::kEd25519;
  std::string keyid_;
  nlohmann::json object_;
  std::string material_;
  std::vector<uint8_t> ed25519_;      // 32 bytes
  std::shared_ptr<attest::EcdsaP256Key> ecdsa_;  // prepared once, shared by copies
};

// Hex SHA-256 of the canonical JSON of `object`.
Result<std::string> key_id(const nlohmann::json& object);

// A repository signing key (ECDSA P-256, the only kind this repository generates).
class SigningKey {
 public:
  static Result<SigningKey> generate();
  static Result<SigningKey> from_pem(std::string_view pem, std::string_view source);

  const PublicKey& public_key() const { return public_; }
  const std::string& keyid() const { return public_.keyid(); }
  Result<std::string> private_pem() const { return private_->to_pem(); }
  // Hex of the DER ECDSA signature over SHA-256 of `payload`.
  Result<std::string> sign_hex(std::string_view payload) const;

 private:
  SigningKey(std::shared_ptr<attest::PrivateKey> k, PublicKey p) : private_(std::move(k)), public_(std::move(p)) {}
  static Result<SigningKey> wrap(attest::PrivateKey key);
  std::shared_ptr<attest::PrivateKey> private_;
  PublicKey public_;
};

}  // namespace edgeward::ota::tuf
