// The OTA section of the evidence claims (evidence.proto OtaClaims): the device's trusted TUF
// metadata versions and its runtime slots, as a plain struct. The device fills it from its OTA
// state directory (evidence/ota_facts.h) or from anything else that knows the facts (a daemon
// holding the state in memory); the verifier checks it against the measured boot
// (verifier/appraise_ota.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "attest/crypto/sha256.h"

namespace edgeward::attest {

// What an OTA install put in place: target name ("" for a factory-provisioned slot), version and
// the SHA-256 of the installed file.
struct OtaInstalledClaim {
  std::string target;
  uint64_t version = 0;
  Digest sha256{};

  bool operator==(const OtaInstalledClaim&) const = default;
};

struct OtaClaims {
  // Versions of the trusted TUF metadata; 0 when the role is not trusted (root 0: never ran
  // `edgeward ota trust`).
  uint64_t root_version = 0;
  uint64_t timestamp_version = 0;
  uint64_t snapshot_version = 0;
  uint64_t targets_version = 0;
  std::string active_slot = "A";            // "A" or "B"
  OtaInstalledClaim active;                 // what the active slot holds
  std::string trial_slot;                   // "" or the other slot
  std::optional<OtaInstalledClaim> trial;   // present exactly when trial_slot is not ""
  uint32_t tries_left = 0;
  std::optional<OtaInstalledClaim> release;        // the release the active slot came with
  std::optional<OtaInstalledClaim> trial_release;  // the release the trial slot came with

  // The claim for `slot` ("A"/"B") when it is the active or the trial slot, else nullptr.
  const OtaInstalledClaim* slot(std::string_view name) const;

  bool operator==(const OtaClaims&) const = default;
};

}  // namespace edgeward::attest
