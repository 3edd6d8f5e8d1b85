// Appraisal of the evidence's OTA facts against the measured boot: the device must run what its
// OTA state says.
//   - the slot the boot measured (the ota-slot event, recognised by its digest, see
//     ota_slot_digest in measure/launch.h) is the reported active slot or the trial slot;
//   - that slot's SHA-256 equals the runtime binary measured at boot (runtime-binary event);
//   - with <ota/> in the reference, OTA facts are required, and their trusted targets metadata
//     version is at least min-targets-version.
// Evidence without OTA facts passes as "no OTA state" unless the reference asks for them.
#pragma once

#include <string>
#include <vector>

#include "attest/evidence/evidence.h"
#include "attest/verifier/reference.h"

namespace edgeward::attest {

// Appends what passed to `checks` and what failed to `failures`.
void appraise_ota(const Claims& c, const Reference& ref, std::vector<std::string>& checks,
                  std::vector<std::string>& failures);

}  // namespace edgeward::attest
