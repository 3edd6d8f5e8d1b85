#include "attest/evidence/ota_claims_codec.h"

#include <cstring>

#include "attest/pb_util.h"

namespace edgeward::attest {
namespace {

constexpr uint32_t kMaxTries = 100;  // as ota/slots/ota_state.cpp

Error bad(const std::string& m) { return make_error(Errc::kMalformed, "evidence: ota: " + m); }

bool is_slot(std::string_view s) { return s == "A" || s == "B"; }

// Printable ASCII without spaces ("" allowed): safe to print in a verdict.
bool printable(std::string_view s) {
  for (unsigned char c : s) {
    if (c <= ' ' || c >= 0x7f) return false;
  }
  return true;
}

bool put(const OtaInstalledClaim& in, edgeward_attest_OtaInstalled& out) {
  out.version = in.version;
  std::memcpy(out.sha256, in.sha256.data(), in.sha256.size());
  return pb::put_string(out.target, in.target);
}

Result<OtaInstalledClaim> get(const edgeward_attest_OtaInstalled& in, const char* what) {
  OtaInstalledClaim c;
  c.target = in.target;
  if (!printable(c.target)) return bad(std::string(what) + ".target has spaces or control characters");
  c.version = in.version;
  std::memcpy(c.sha256.data(), in.sha256, c.sha256.size());
  return c;
}

}  // namespace

const OtaInstalledClaim* OtaClaims::slot(std::string_view name) const {
  if (name == active_slot) return &active;
  if (!trial_slot.empty() && name == trial_slot && trial) return &*trial;
  return nullptr;
}

Status put_ota_claims(const OtaClaims& in, edgeward_attest_OtaClaims& out) {
  out.root_version = in.root_version;
  out.timestamp_version = in.timestamp_version;
  out.snapshot_version = in.snapshot_version;
  out.targets_version = in.targets_version;
  out.tries_left = in.tries_left;
  out.has_active = true;
  out.has_trial = in.trial.has_value();
  out.has_release = in.release.has_value();
  out.has_trial_release = in.trial_release.has_value();
  const bool ok = pb::put_string(out.active_slot, in.active_slot) && pb::put_string(out.trial_slot, in.trial_slot) &&
                  put(in.active, out.active) && (!in.trial || put(*in.trial, out.trial)) &&
                  (!in.release || put(*in.release, out.release)) &&
                  (!in.trial_release || put(*in.trial_release, out.trial_release));
  if (!ok) return bad("a slot name or target name is too long (see attest/evidence/evidence.options)");
  return {};
}

Result<OtaClaims> get_ota_claims(const edgeward_attest_OtaClaims& in) {
  OtaClaims c;
  c.root_version = in.root_version;
  c.timestamp_version = in.timestamp_version;
  c.snapshot_version = in.snapshot_version;
  c.targets_version = in.targets_version;
  c.active_slot = in.active_slot;
  c.trial_slot = in.trial_slot;
  if (!is_slot(c.active_slot)) return bad("active slot must be \"A\" or \"B\"");
  if (!in.has_active) return bad("no claim for the active slot");
  if (!c.trial_slot.empty() && (!is_slot(c.trial_slot) || c.trial_slot == c.active_slot)) {
    return bad("trial slot must be \"\" or the slot that is not active");
  }
  if (in.has_trial != !c.trial_slot.empty()) return bad("a trial claim needs a trial slot and the other way round");
  if (in.has_trial_release && !in.has_trial) return bad("a trial release needs a trial slot");
  if (in.tries_left > kMaxTries) return bad("tries left above " + std::to_string(kMaxTries));
  c.tries_left = in.tries_left;
  EW_ASSIGN(c.active, get(in.active, "active"));
  if (in.has_trial) {
    EW_ASSIGN(c.trial, get(in.trial, "trial"));
  }
  if (in.has_release) {
    EW_ASSIGN(c.release, get(in.release, "release"));
  }
  if (in.has_trial_release) {
    EW_ASSIGN(c.trial_release, get(in.trial_release, "trial_release"));
  }
  return c;
}

}  // namespace edgeward::attest
