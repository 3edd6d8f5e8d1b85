// Where the device's attestation key lives. One interface so that a TPM or a secure element can
// replace the file store later: callers only ask for the public key, a signature over a digest,
// and an mbedTLS pk context for TLS (a hardware store would provide an opaque/alt context).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "attest/crypto/keys.h"
#include "common/result.h"

namespace edgeward::attest {

class KeyStore {
 public:
  virtual ~KeyStore() = default;
  virtual Result<std::vector<uint8_t>> public_key_der() const = 0;
  virtual Result<std::vector<uint8_t>> sign(const Digest& digest) const = 0;
  virtual mbedtls_pk_context* tls_key() const = 0;
  // The private key for CSR creation; a hardware store signs the CSR itself instead.
  virtual const PrivateKey& key() const = 0;
};

// An ECDSA P-256 key in a PEM file with mode 0600, generated on first use. A key file readable
// by group or others is refused (it may have been copied off the device).
class FileKeyStore final : public KeyStore {
 public:
  static Result<std::unique_ptr<FileKeyStore>> open_or_create(const std::string& path);
  explicit FileKeyStore(PrivateKey key) : key_(std::move(key)) {}

  Result<std::vector<uint8_t>> public_key_der() const override { return key_.public_der(); }
  Result<std::vector<uint8_t>> sign(const Digest& digest) const override { return key_.sign(digest); }
  mbedtls_pk_context* tls_key() const override { return key_.pk(); }
  const PrivateKey& key() const override { return key_; }

 private:
  PrivateKey key_;
};

// The device id: hex of the first 16 bytes of SHA-256 of the public key (a UEID-like value that
// survives reflashing as long as the key does).
Result<std::string> device_id(const KeyStore& ks);

}  // namespace edgeward::attest
