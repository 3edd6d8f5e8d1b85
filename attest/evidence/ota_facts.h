// The device side of the evidence's OTA section: the facts gathered from the OTA state directory
// (<board data dir>/ota, as `edgeward ota ...` uses): ota-state.json (ota/slots/ota_state.h) and
// the trusted TUF metadata under tuf/ (ota/client/trusted_store.h). Read only: nothing is
// repaired or removed here. In its own library (ew_attest_ota_facts) because it reads ota/,
// which itself builds on ew_attest; `attest evidence|serve` and the daemon link it.
#pragma once

#include <optional>
#include <string>

#include "attest/evidence/ota_claims.h"
#include "common/result.h"
#include "ota/client/trusted_store.h"
#include "ota/slots/ota_state.h"

namespace edgeward::attest {

// The claims for a parsed state and, when a root is trusted, the trusted metadata (nullptr: no
// root; the versions stay 0). A daemon holding the state in memory calls this directly.
Result<OtaClaims> ota_claims_of(const ota::OtaState& state, const ota::client::Trusted* trusted);

// nullopt when <ota_dir>/ota-state.json does not exist (the device was never provisioned: not an
// error). Errors for a state file that does not parse or a trusted store that cannot be read, so
// a damaged OTA state is named rather than left out of the evidence.
Result<std::optional<OtaClaims>> gather_ota_claims(const std::string& ota_dir);

}  // namespace edgeward::attest
