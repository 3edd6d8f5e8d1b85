// The health check an updated runtime must pass before it is marked good (`ota mark-good`, and
// the daemon itself when it starts from the OTA slot on trial): the daemon's API answers, and a
// canary workload — a signed image, run through the daemon exactly as `edgeward run` runs one
// (verified, measured, on the backend the daemon picks) — exits 0 within the time allowed. The
// canary is removed afterwards, whatever the outcome.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/daemon/protocol.h"

namespace edgeward::daemon {

// One API call: over the socket (the CLI) or straight to the supervisor (the daemon itself).
using ApiCall = std::function<Result<Response>(const Request&)>;

struct HealthCheckOptions {
  std::string canary_image;  // signed .ewi; required
  std::string backend = "auto";
  uint32_t timeout_s = 120;  // until the canary has exited
  uint32_t poll_ms = 100;
};

struct HealthReport {
  bool healthy = false;
  std::vector<std::string> passed;  // what was checked and held, in order
  std::string failure;              // the first check that did not hold
  int64_t canary_ms = 0;
};

// An Error only when the check itself could not be made sense of; an unhealthy runtime is a
// report with healthy == false and the reason.
HealthReport check_health(const ApiCall& call, const HealthCheckOptions& options);

}  // namespace edgeward::daemon
