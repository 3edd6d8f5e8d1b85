// The verifier's memory of device certificates it has verified, so a repeat device costs one
// ECDSA verification instead of a certificate chain verification plus key set-up.
//
// The cache never widens trust:
//  - entries are keyed by SHA-256 of the certificate's DER, so any other certificate (a changed
//    one with the same subject, one issued by another CA, a re-issued one) is verified in full;
//  - only certificates whose chain verified are kept; a failed one is verified again next time;
//  - every lookup checks the validity window of the verified path (leaf to root) against `now`,
//    the verifier's clock at appraisal time, and re-verifies in full once it is outside it, so
//    an expired certificate is rejected with mbedTLS's own reason.
// Thread-safe. Full verifications are serialised: mbedTLS stores the fleet CA key's comb table
// inside the CA certificate the first time it verifies with it, which must not race.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>

#include "attest/crypto/cert.h"
#include "attest/crypto/ecdsa.h"
#include "common/result.h"

namespace edgeward::attest {

struct DeviceCert {
  std::string subject;
  Status chain;                     // the full verification's result (ok for every cached entry)
  std::optional<EcdsaP256Key> key;  // the certificate's key, when it is ECDSA P-256
  std::string key_id;               // device id derived from that key (hex of 16 bytes of SHA-256)
  ValidityWindow window;            // of the verified path; meaningful when chain is ok
};

class DeviceCertCache {
 public:
  explicit DeviceCertCache(const CertChain& fleet_ca, size_t capacity = 4096)
      : fleet_ca_(fleet_ca), capacity_(capacity) {}

  // The device certificate `der` as verified at time `now` (seconds since the epoch): cached if
  // this DER verified before and its path is valid at `now`, else verified in full. Errors only
  // for DER that is not a certificate.
  Result<std::shared_ptr<const DeviceCert>> get(std::span<const uint8_t> der, int64_t now);

  size_t size() const;

 private:
  Result<std::shared_ptr<const DeviceCert>> verify(std::span<const uint8_t> der, int64_t now);

  const CertChain& fleet_ca_;
  const size_t capacity_;
  mutable std::mutex mu_;  // guards entries_
  std::map<Digest, std::shared_ptr<const DeviceCert>> entries_;
  std::mutex verify_mu_;  // one full verification at a time (see above)
};

}  // namespace edgeward::attest
