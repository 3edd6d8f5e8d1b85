// Measured OTA installs: every update the device installs (a runtime into a slot, a workload
// image, a release) is an event in the measured-launch log, so the verifier sees what changed on
// the device during this boot, not only what it booted from.
//
//   auto store = attest::MeasurementStore::open(attest_state_dir);
//   EW_TRY(attest::record_ota_install(*store, {attest::OtaInstallKind::kRuntime,
//                                             "edgeward-x86_64", 5, sha256_hex, "B"}));
//
// Call it right after the install is durable (OtaStore::install_runtime / install_workload
// returned ok): the event then never names bytes that are not in place.
#pragma once

#include <cstdint>
#include <string>

#include "attest/measure/store.h"
#include "common/result.h"

namespace edgeward::attest {

enum class OtaInstallKind { kRuntime, kWorkload, kRelease };

struct OtaInstallEvent {
  OtaInstallKind kind = OtaInstallKind::kRuntime;
  std::string target;   // the TUF target name
  uint64_t version = 0;
  std::string sha256;   // the target's SHA-256, 64 hex digits (as in ota-state.json)
  std::string where;    // runtime: the slot ("A" or "B"); workload: the workload name;
                        // release: "" (nothing was written by itself)

  // The event data, one line: "runtime edgeward-x86_64 version 5 -> slot B",
  // "workload web.ewi version 2 -> workload web", "release fleet-2026.12 version 7".
  std::string canonical() const;
};

// Appends one EV_OTA_INSTALL event (register 5, kRegOtaInstall): digest = the target's SHA-256
// bytes, data = event.canonical() (cut at 127 bytes). Errors (nothing recorded): kInvalidInput
// for a sha256 that is not 64 hex digits, an empty target or one with spaces or control
// characters, a runtime `where` other than "A"/"B", an empty workload `where`; the store's own
// errors (I/O, event log full) otherwise.
Status record_ota_install(MeasurementStore& store, const OtaInstallEvent& event);
// The event record_ota_install appends (same checks), for an atomic MeasurementStore::record_all.
Result<Event> ota_install_event(const OtaInstallEvent& event);

}  // namespace edgeward::attest
