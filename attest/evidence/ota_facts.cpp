#include "attest/evidence/ota_facts.h"

#include "attest/error.h"
#include "attest/fileio.h"
#include "ota/slots/ota_store.h"

namespace edgeward::attest {
namespace {

constexpr size_t kMaxStateBytes = 1 << 20;

Result<OtaInstalledClaim> claim_of(const ota::Installed& in, const std::string& what) {
  auto digest = digest_from_hex(in.sha256);
  if (!digest) return make_error(Errc::kMalformed, "OTA state: " + what + ": sha256 is not 64 hex digits");
  return OtaInstalledClaim{in.target, in.version, *digest};
}

Result<OtaInstalledClaim> slot_claim(const ota::OtaState& state, const std::string& slot) {
  const auto it = state.slots.find(slot);
  if (it == state.slots.end() || !it->second) {
    return make_error(Errc::kMalformed, "OTA state: slot " + slot + " is in use but records no content");
  }
  return claim_of(*it->second, "slot " + slot);
}

}  // namespace

Result<OtaClaims> ota_claims_of(const ota::OtaState& state, const ota::client::Trusted* trusted) {
  OtaClaims c;
  if (trusted) {
    c.root_version = trusted->root.common.version;
    if (trusted->timestamp) c.timestamp_version = trusted->timestamp->common.version;
    if (trusted->snapshot) c.snapshot_version = trusted->snapshot->common.version;
    if (trusted->targets) c.targets_version = trusted->targets->common.version;
  }
  c.active_slot = state.active;
  EW_ASSIGN(c.active, slot_claim(state, state.active));
  if (state.release) {
    EW_ASSIGN(c.release, claim_of(*state.release, "release"));
  }
  c.trial_slot = state.trial;
  if (!state.trial.empty()) {
    EW_ASSIGN(c.trial, slot_claim(state, state.trial));
    c.tries_left = state.tries_left;
    if (state.trial_release) {
      EW_ASSIGN(c.trial_release, claim_of(state.trial_release->what, "trial release"));
    }
  }
  return c;
}

Result<std::optional<OtaClaims>> gather_ota_claims(const std::string& ota_dir) {
  const std::string path = ota_dir + "/" + ota::kStateFile;
  auto text = read_text_file(path, kMaxStateBytes);
  if (!text) {
    if (text.error().code == ErrorCode::kNotFound) return std::optional<OtaClaims>();
    return std::move(text).error();
  }
  EW_ASSIGN(ota::OtaState state, ota::parse_state(*text, path));
  auto trusted = ota::client::load_trusted(ota_dir + "/tuf");
  if (!trusted && trusted.error().code != ErrorCode::kNotFound) return std::move(trusted).error();
  EW_ASSIGN(OtaClaims claims, ota_claims_of(state, trusted ? &*trusted : nullptr));
  return std::optional<OtaClaims>(std::move(claims));
}

}  // namespace edgeward::attest
