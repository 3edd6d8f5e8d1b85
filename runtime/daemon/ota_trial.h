// The daemon's part in an OTA runtime update: when it was started from the slot on trial (by
// `edgeward ota boot`), it proves the update with the health check (health_check.h) through its own
// API socket, then marks the slot good — or rolls it back and stops, so that the service manager's
// next `ota boot` runs the slot known good again.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "common/result.h"
#include "ota/slots/ota_store.h"

namespace edgeward::daemon {

struct OtaTrialConfig {
  ota::OtaLayout layout;     // state_dir "" : the device has no OTA state to settle
  std::string slot;          // the slot this daemon was started from
  std::string canary_image;  // "" : <layout.state_dir>/canary.ewi when it exists
  std::string socket_path;   // the daemon's own API socket
  uint32_t timeout_s = 120;
  const std::atomic<bool>* stopping = nullptr;  // the daemon is stopping: a failed check proves nothing
};

enum class TrialOutcome { kNone, kWaiting, kMarkedGood, kRolledBack };

struct TrialResult {
  TrialOutcome outcome = TrialOutcome::kNone;
  std::string message;  // for the daemon's log
};

// Runs while the daemon serves (the health check calls its socket). Errors: the OTA state could
// not be read or written.
Result<TrialResult> settle_trial(const OtaTrialConfig& config);

}  // namespace edgeward::daemon
