// X.509 for attest/ (mbedTLS x509): certificate chains, their verification against the fleet
// root CA with validity, key usage and extended key usage checked for the purpose, issuing
// certificates (the fleet side: `edgeward keys gen`, enrollment), and CSRs.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "attest/crypto/keys.h"
#include "attest/crypto/mbed.h"
#include "common/result.h"

namespace edgeward::attest {

// What a certificate may be used for; each maps to key usage + extended key usage.
enum class Purpose {
  kCa,           // keyCertSign, cA=true
  kCodeSigning,  // image signer: digitalSignature + codeSigning
  kDevice,       // device attestation key: digitalSignature + serverAuth (TLS server, evidence)
  kClient,       // fleet manager: digitalSignature + clientAuth (TLS client)
};

std::string_view purpose_name(Purpose p);

class CertChain {
 public:
  CertChain() : crt_(std::make_unique<X509Crt>()) {}
  // Parses one or more certificates (PEM text, or a single DER certificate).
  static Result<CertChain> parse(std::span<const uint8_t> data, std::string_view source);
  static Result<CertChain> parse(std::string_view pem, std::string_view source);
  static Result<CertChain> load(const std::string& path);
  // Parses certificates stored as concatenated DER (the .ewi form); every byte must belong to a
  // certificate.
  static Result<CertChain> parse_der_chain(std::span<const uint8_t> data, std::string_view source);

  bool empty() const { return crt_->get()->raw.p == nullptr; }
  mbedtls_x509_crt* get() const { return crt_->get(); }
  // DER of the leaf (first) certificate.
  std::vector<uint8_t> leaf_der() const;
  // DER of every certificate, in order.
  std::vector<std::vector<uint8_t>> all_der() const;
  std::string leaf_subject() const;
  // Whether the leaf certificate carries the public key `public_der` (DER SubjectPublicKeyInfo).
  bool leaf_has_key(const std::vector<uint8_t>& public_der) const;
  // All certificates as concatenated DER.
  std::vector<uint8_t> der_chain() const;

 private:
  std::unique_ptr<X509Crt> crt_;
};

// When every certificate of a verified path (leaf up to and including the trusted root) is
// valid: the latest notBefore and the earliest notAfter, in seconds since the epoch (UTC).
struct ValidityWindow {
  int64_t not_before = 0;
  int64_t not_after = 0;
  bool contains(int64_t t) const { return t >= not_before && t <= not_after; }
};

// Verifies that `chain`'s leaf chains to one of `roots`, every certificate is within its validity
// period, the algorithms are ECDSA P-256 / SHA-256, and the leaf's key usage and extended key
// usage allow `purpose`. `what` names the certificate in errors ("image signer certificate").
// On success, `window` (if given) receives the validity window of the verified path, so a cache
// of the result can keep checking validity without verifying the chain again.
Status verify_chain(const CertChain& chain, const CertChain& roots, Purpose purpose, std::string_view what,
                    ValidityWindow* window = nullptr);

struct Validity {
  std::string not_before;  // "YYYYMMDDhhmmss" UTC
  std::string not_after;
};
// From one hour ago until `days` from now.
Validity validity_days(int days);

struct IssueSpec {
  std::string subject;  // e.g. "CN=edgeward signer,O=edgeward"
  Purpose purpose = Purpose::kCodeSigning;
  Validity validity;
};

// Issues a certificate for `subject_key` signed by `issuer_key`; `issuer` is the issuer's
// certificate, or nullptr for a self-signed certificate (then issuer_key is the subject key).
Result<std::string> issue_certificate(mbedtls_pk_context* subject_key, const IssueSpec& spec,
                                      const PrivateKey& issuer_key, const CertChain* issuer);

// A PEM certificate signing request for `key` with subject `subject`.
Result<std::string> make_csr(const PrivateKey& key, const std::string& subject);

struct ParsedCsr {
  std::string subject;
  std::unique_ptr<PkContext> key;  // the requester's public key (signature checked)
};
Result<ParsedCsr> parse_csr(std::string_view pem, std::string_view source);

}  // namespace edgeward::attest
