// The fleet verifier: checks evidence and appraises it against reference values. Everything is
// checked and every failed check is reported (not only the first), so the verdict explains itself:
//   device certificate chains to the fleet (enrollment) CA, valid, serverAuth;
//   signature by that certificate's key over the claims; device id derived from that key;
//   nonce equals the challenge (a replayed or stale answer fails);
//   event log replays to the reported registers (an edited log fails);
//   runtime version, runtime binary, board and every launched image manifest are in the reference.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "attest/crypto/cert.h"
#include "attest/evidence/evidence.h"
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

// A fleet verifier for many devices: remembers each device certificate it has seen (parsed, with
// its chain result re-checked every 60 s), so a repeat appraisal costs one signature check. Not
// thread-safe: use one Verifier per thread. `fleet_ca` must outlive it.
class Verifier {
 public:
  Verifier(const CertChain& fleet_ca, Reference ref) : fleet_ca_(fleet_ca), ref_(std::move(ref)) {}
  // Errors only for evidence that does not parse; every trust failure is a reason in the Verdict.
  Result<Verdict> appraise(std::span<const uint8_t> evidence, std::span<const uint8_t> nonce);

 private:
  struct KnownDevice {
    CertChain cert;
    Status chain;
    std::string key_id;  // device id derived from the certificate's key
    int64_t checked_at = 0;
  };
  KnownDevice* device(const std::vector<uint8_t>& der, Verdict& v);

  const CertChain& fleet_ca_;
  Reference ref_;
  std::map<Digest, std::unique_ptr<KnownDevice>> devices_;
};

// One-shot form of Verifier::appraise.
Result<Verdict> appraise_evidence(std::span<const uint8_t> evidence, std::span<const uint8_t> nonce,
                                  const Reference& ref, const CertChain& fleet_ca);

}  // namespace edgeward::attest
