#include "attest/verifier/appraise.h"

#include <algorithm>
#include <atomic>
#include <ctime>
#include <optional>
#include <thread>

#include "attest/error.h"
#include "attest/verifier/appraise_ota.h"

namespace edgeward::attest {
namespace {

class Checker {
 public:
  explicit Checker(Verdict& v) : v_(v) {}
  void check(bool ok, std::string passed, std::string failed) {
    if (ok) {
      v_.checks.push_back(std::move(passed));
    } else {
      v_.failures.push_back(std::move(failed));
    }
  }

 private:
  Verdict& v_;
};

void appraise_claims(const Claims& c, const Reference& ref, Checker& ck) {
  const auto& versions = ref.runtime_versions;
  ck.check(std::find(versions.begin(), versions.end(), c.runtime.version) != versions.end(),
           "runtime version " + c.runtime.version + " is allowed",
           "runtime version " + c.runtime.version + " is not in the reference");
  if (!ref.boards.empty()) {
    ck.check(std::find(ref.boards.begin(), ref.boards.end(), c.board) != ref.boards.end(), "board " + c.board + " is allowed",
             "board " + c.board + " is not in the reference");
  }
  bool saw_workload = false;
  for (const Event& e : c.events) {
    if (e.type == EventType::kRuntimeBinary && !ref.runtime_binaries.empty()) {
      const bool ok = std::find(ref.runtime_binaries.begin(), ref.runtime_binaries.end(), e.digest) != ref.runtime_binaries.end();
      ck.check(ok, "runtime binary is allowed", "runtime binary sha256:" + to_hex(e.digest) + " is not in the reference");
    }
    if (e.type == EventType::kImageManifest) {
      const bool ok = std::any_of(ref.images.begin(), ref.images.end(), [&](const ReferenceImage& r) { return r.digest == e.digest; });
      ck.check(ok, "image '" + e.data + "' is allowed",
               "image '" + e.data + "' (manifest sha256:" + to_hex(e.digest) + ") is not in the reference");
      if (e.data.rfind(c.workload + " ", 0) == 0) saw_workload = true;
    }
  }
  if (!c.workload.empty()) {
    ck.check(saw_workload, "requested workload '" + c.workload + "' was launched",
             "requested workload '" + c.workload + "' has no launch measurement");
  }
}

}  // namespace

Result<Verdict> Verifier::appraise(std::span<const uint8_t> bytes, std::span<const uint8_t> nonce) {
  EW_ASSIGN(Evidence ev, decode_evidence(bytes));
  Verdict v;
  Checker ck(v);
  const int64_t now = clock_ ? clock_() : static_cast<int64_t>(std::time(nullptr));
  auto cert = devices_.get(ev.device_cert, now);
  if (!cert) {
    v.failures.push_back(cert.error().message);
    v.claims = std::move(ev.claims);
    return v;
  }
  const DeviceCert& d = **cert;
  v.device_subject = d.subject;
  ck.check(d.chain.ok(), "device certificate '" + v.device_subject + "' chains to the fleet CA",
           d.chain.ok() ? "" : d.chain.error().message);
  if (!ref_.revoked_device_certs.empty()) {  // checked at every appraisal, cached or not
    const Digest der = sha256(ev.device_cert);
    const auto& revoked = ref_.revoked_device_certs;
    ck.check(std::find(revoked.begin(), revoked.end(), der) == revoked.end(), "device certificate is not revoked",
             "device certificate '" + v.device_subject + "' (sha256:" + to_hex(der) + ") is revoked by the reference");
  }
  Status sig = d.key ? verify_signature(*d.key, evidence_digest(ev.claims_bytes), ev.signature, "evidence signature")
                     : make_error(Errc::kUntrusted, "evidence signature does not verify (no P-256 key in the certificate)");
  ck.check(sig.ok(), "evidence signature verifies with the device key",
           sig.ok() ? "" : sig.error().message + " (wrong device key or modified claims)");
  ck.check(!d.key_id.empty() && d.key_id == ev.claims.device_id,
           "device id " + ev.claims.device_id + " matches the device key",
           "device id " + ev.claims.device_id + " does not belong to the certificate's key");
  ck.check(std::equal(nonce.begin(), nonce.end(), ev.claims.nonce.begin(), ev.claims.nonce.end()), "nonce matches",
           "nonce does not match the challenge (replayed or stale evidence)");
  ck.check(replay(ev.claims.events) == ev.claims.registers,
           "event log (" + std::to_string(ev.claims.events.size()) + " events) replays to the registers",
           "event log does not replay to the reported registers (the log was edited)");
  appraise_claims(ev.claims, ref_, ck);
  appraise_ota(ev.claims, ref_, v.checks, v.failures);
  v.claims = std::move(ev.claims);
  v.trusted = v.failures.empty();
  return v;
}

std::vector<Result<Verdict>> Verifier::appraise_all(std::span<const Request> requests, unsigned threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(requests.size(), 1)));
  std::vector<std::optional<Result<Verdict>>> slots(requests.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < requests.size();) slots[i] = appraise(requests[i].evidence, requests[i].nonce);
  };
  {
    std::vector<std::jthread> workers;
    for (unsigned t = 1; t < threads; ++t) workers.emplace_back(work);
    work();  // this thread is one of them
  }
  std::vector<Result<Verdict>> out;
  out.reserve(slots.size());
  for (auto& s : slots) out.push_back(std::move(*s));
  return out;
}

Result<Verdict> appraise_evidence(std::span<const uint8_t> bytes, std::span<const uint8_t> nonce,
                                  const Reference& ref, const CertChain& fleet_ca) {
  Verifier verifier(fleet_ca, ref);
  return verifier.appraise(bytes, nonce);
}

}  // namespace edgeward::attest
