// `edgeward daemon` in library form: measure the boot, open the supervisor (re-adopting what a
// previous daemon left running), listen on the API socket, settle an OTA update on trial, and
// supervise until SIGTERM/SIGINT.
// Workloads keep running when the daemon exits; the next daemon adopts them.
#pragma once

#include "common/result.h"
#include "runtime/daemon/ota_trial.h"
#include "runtime/daemon/supervisor.h"

namespace edgeward::daemon {

// `ota`: the OTA state to settle when this daemon runs the slot on trial (ota_trial.h); a failed
// health check rolls the slot back and makes run_daemon return an error after the daemon stopped.
Status run_daemon(DaemonConfig config, OtaTrialConfig ota = {});

}  // namespace edgeward::daemon
