#include "attest/verifier/appraise_ota.h"

#include "attest/measure/launch.h"

namespace edgeward::attest {
namespace {

const Event* last_event(const Claims& c, EventType type) {
  const Event* found = nullptr;
  for (const Event& e : c.events) {
    if (e.type == type) found = &e;
  }
  return found;
}

std::string describe(const std::string& slot, const OtaInstalledClaim& s) {
  return "slot " + slot + " (" + (s.target.empty() ? std::string("factory") : s.target) + " version " +
         std::to_string(s.version) + ", sha256:" + to_hex(s.sha256) + ")";
}

}  // namespace

void appraise_ota(const Claims& c, const Reference& ref, std::vector<std::string>& checks,
                  std::vector<std::string>& failures) {
  auto check = [&](bool ok, std::string passed, std::string failed) {
    (ok ? checks : failures).push_back(ok ? std::move(passed) : std::move(failed));
  };
  if (!c.ota) {
    check(!ref.ota, "no OTA state (OTA checks skipped)",
          "no OTA state in the evidence, but the reference requires it (<ota/>): provision the device for OTA");
    return;
  }
  const OtaClaims& o = *c.ota;
  if (ref.ota && ref.ota->min_targets_version > 0) {
    const std::string have = std::to_string(o.targets_version), want = std::to_string(ref.ota->min_targets_version);
    check(o.targets_version >= ref.ota->min_targets_version, "trusted targets metadata version " + have + " >= " + want,
          "trusted targets metadata version " + have + " is below the reference's minimum " + want +
              " (the device has not refreshed to the current release metadata)");
  }
  const Event* slot_event = last_event(c, EventType::kOtaSlot);
  if (!slot_event) {
    check(false, "", "the OTA state reports slot " + o.active_slot + " active, but this boot measured no OTA slot");
    return;
  }
  std::string booted;
  for (const char* name : {"A", "B"}) {
    if (slot_event->digest == ota_slot_digest(name)) booted = name;
  }
  if (booted.empty()) {
    check(false, "", "the measured OTA slot (ota-slot sha256:" + to_hex(slot_event->digest) + ") is neither slot A nor B");
    return;
  }
  const OtaInstalledClaim* slot = o.slot(booted);
  const std::string role = booted == o.active_slot ? "active" : "trial";
  check(slot != nullptr, "booted slot " + booted + " is the OTA state's " + role + " slot",
        "booted slot " + booted + " is neither the OTA state's active slot (" + o.active_slot + ") nor its trial slot (" +
            (o.trial_slot.empty() ? std::string("none") : o.trial_slot) + ")");
  if (!slot) return;
  const Event* binary = last_event(c, EventType::kRuntimeBinary);
  if (!binary) {
    check(false, "", "the OTA state reports " + describe(booted, *slot) + ", but this boot measured no runtime binary");
    return;
  }
  check(binary->digest == slot->sha256, "runtime binary measured at boot is " + describe(booted, *slot),
        "runtime binary measured at boot (sha256:" + to_hex(binary->digest) + ") is not what the OTA state says " +
            describe(booted, *slot) + " holds: the device does not run its recorded update");
}

}  // namespace edgeward::attest
