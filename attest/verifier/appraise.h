// The fleet verifier: checks evidence and appraises it against reference values. Everything is
// checked and every failed check is reported (not only the first), so the verdict explains itself:
//   device certificate chains to the fleet (enrollment) CA, valid, serverAuth;
//   signature by that certificate's key over the claims; device id derived from that key;
//   nonce equals the challenge (a replayed or stale answer fails);
//   event log replays to the reported registers (an edited log fails);
//   runtime version, runtime binary, board and every launched image manifest are in the reference;
//   the OTA facts agree with the measured boot (verifier/appraise_ota.h).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "attest/crypto/cert.h"
#include "attest/evidence/evidence.h"
#include "attest/verifier/device_cache.h"
#include "attest/verifier/reference.h"
#include "common/result.h"

namespace edgeward::attest {

struct Verdict {
  bool trusted = false;
  std::vector<std::string> failures;  // empty when trusted
  std::vector<std::string> checks;    // what passed
  Claims claims;
  std::string device_subject;
};

// A fleet verifier for many devices. Device certificates whose chain verified are remembered
// (verifier/device_cache.h: keyed by their DER, validity re-checked at every appraisal), so a
// repeat device costs one ECDSA verification. Thread-safe: any number of threads may appraise at
// once; appraise_all spreads a batch over the cores. `fleet_ca` must outlive it, and must not be
// used to verify certificates on other threads meanwhile (mbedTLS keeps tables inside it).
class Verifier {
 public:
  using Clock = int64_t (*)();  // seconds since the epoch; nullptr: the system clock
  Verifier(const CertChain& fleet_ca, Reference ref, Clock clock = nullptr)
      : ref_(std::move(ref)), clock_(clock), devices_(fleet_ca) {}

  // Errors only for evidence that does not parse; every trust failure is a reason in the Verdict.
  Result<Verdict> appraise(std::span<const uint8_t> evidence, std::span<const uint8_t> nonce);

  struct Request {
    std::span<const uint8_t> evidence;
    std::span<const uint8_t> nonce;
  };
  // Appraises every request on `threads` threads (0: one per core); results in request order.
  std::vector<Result<Verdict>> appraise_all(std::span<const Request> requests, unsigned threads = 0);

  size_t cached_devices() const { return devices_.size(); }

 private:
  const Reference ref_;
  const Clock clock_;
  DeviceCertCache devices_;
};

// One-shot form of Verifier::appraise.
Result<Verdict> appraise_evidence(std::span<const uint8_t> evidence, std::span<const uint8_t> nonce,
                                  const Reference& ref, const CertChain& fleet_ca);

}  // namespace edgeward::attest
