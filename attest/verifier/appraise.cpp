#include "attest/verifier/appraise.h"

#include <algorithm>
#include <ctime>

#include "attest/error.h"

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

Verifier::KnownDevice* Verifier::device(const std::vector<uint8_t>& der, Verdict& v) {
  const Digest key = sha256(der);
  const int64_t now = std::time(nullptr);
  auto it = devices_.find(key);
  if (it == devices_.end()) {
    auto cert = CertChain::parse(der, "device certificate");
    if (!cert) {
      v.failures.push_back(cert.error().message);
      return nullptr;
    }
    if (devices_.size() >= 4096) devices_.clear();  // bound memory; a fleet re-fills it cheaply
    auto d = std::make_unique<KnownDevice>();
    d->cert = std::move(cert).value();
    unsigned char buf[256];
    const int n = mbedtls_pk_write_pubkey_der(&d->cert.get()->pk, buf, sizeof buf);
    if (n > 0) {
      const Digest kd = sha256(std::span(buf + sizeof buf - n, static_cast<size_t>(n)));
      d->key_id = to_hex(std::span(kd.data(), 16));
    }
    d->checked_at = now - 3600;
    it = devices_.emplace(key, std::move(d)).first;
  }
  KnownDevice& d = *it->second;
  if (now - d.checked_at >= 60) {  // validity is time-dependent: re-check the chain now and then
    d.chain = verify_chain(d.cert, fleet_ca_, Purpose::kDevice, "device certificate");
    d.checked_at = now;
  }
  return &d;
}

Result<Verdict> Verifier::appraise(std::span<const uint8_t> bytes, std::span<const uint8_t> nonce) {
  EW_ASSIGN(Evidence ev, decode_evidence(bytes));
  Verdict v;
  Checker ck(v);
  v.claims = ev.claims;
  KnownDevice* d = device(ev.device_cert, v);
  if (!d) return v;
  v.device_subject = d->cert.leaf_subject();
  ck.check(d->chain.ok(), "device certificate '" + v.device_subject + "' chains to the fleet CA",
           d->chain.ok() ? "" : d->chain.error().message);
  auto sig = verify_signature(&d->cert.get()->pk, evidence_digest(ev.claims_bytes), ev.signature, "evidence signature");
  ck.check(sig.ok(), "evidence signature verifies with the device key",
           sig.ok() ? "" : sig.error().message + " (wrong device key or modified claims)");
  ck.check(!d->key_id.empty() && d->key_id == ev.claims.device_id,
           "device id " + ev.claims.device_id + " matches the device key",
           "device id " + ev.claims.device_id + " does not belong to the certificate's key");
  ck.check(std::equal(nonce.begin(), nonce.end(), ev.claims.nonce.begin(), ev.claims.nonce.end()), "nonce matches",
           "nonce does not match the challenge (replayed or stale evidence)");
  ck.check(replay(ev.claims.events) == ev.claims.registers,
           "event log (" + std::to_string(ev.claims.events.size()) + " events) replays to the registers",
           "event log does not replay to the reported registers (the log was edited)");
  appraise_claims(ev.claims, ref_, ck);
  v.trusted = v.failures.empty();
  return v;
}

Result<Verdict> appraise_evidence(std::span<const uint8_t> bytes, std::span<const uint8_t> nonce,
                                  const Reference& ref, const CertChain& fleet_ca) {
  Verifier verifier(fleet_ca, ref);
  return verifier.appraise(bytes, nonce);
}

}  // namespace edgeward::attest
