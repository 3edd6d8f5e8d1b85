// `edgeward daemon` in library form: measure the boot, open the supervisor (re-adopting what a
// previous daemon left running), listen on the API socket, settle an OTA update on trial, and
// supervise until SIGTERM/SIGINT.
// Workloads keep running when the daemon exits; the next daemon adopts them.
#pragma once

#include "common/result.h"
#include "runtime/daemon/ota_trial.h"
#include "runtime/daemon/ota_updater.h"
#include "runtime/daemon/supervisor.h"

namespace edgeward::daemon {

// The daemon's OTA duties; an empty state_dir in either turns that duty off.
struct DaemonOta {
  OtaTrialConfig trial;      // settle a runtime on trial (a failed health check rolls the slot
                             // back and makes run_daemon return an error once the daemon stopped)
  OtaUpdaterConfig updater;  // scheduled checks, background workload installs, reconciling
};

Status run_daemon(DaemonConfig config, DaemonOta ota = {});

}  // namespace edgeward::daemon
