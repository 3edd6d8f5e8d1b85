// The OTA side of `edgeward attest ...`: where the device's OTA state is (--ota-state) and how a
// verdict shows the evidence's OTA facts (text and JSON).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "attest/evidence/evidence.h"
#include "common/cli/args.h"
#include "common/text/writer.h"

namespace edgeward::cli {

inline const Option kOtaStateOption{"ota-state", "DIR",
                                    "OTA state read for the evidence's OTA facts (default <board data dir>/ota)"};

// --ota-state DIR, else <board data dir>/ota (as `edgeward ota ... --state`).
std::string ota_state_dir(const ParsedArgs& p);

// {"metadata": {...}, "active": {...}, "trial": {...}|null, "release": {...}|null,
//  "trial_release": {...}|null, "installs": [...]},
// or null when the evidence has no OTA facts.
nlohmann::ordered_json ota_json(const attest::Claims& c);
// "ota:     active A (...), trial B (...)" and the lines below it, or "ota:     no OTA state".
void print_ota(text::Writer& out, const attest::Claims& c);

}  // namespace edgeward::cli
