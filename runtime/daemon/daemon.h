// `edgeward daemon` in library form: measure the boot, open the supervisor (re-adopting what a
// previous daemon left running), listen on the API socket, supervise until SIGTERM/SIGINT.
// Workloads keep running when the daemon exits; the next daemon adopts them.
#pragma once

#include "common/result.h"
#include "runtime/daemon/supervisor.h"

namespace edgeward::daemon {

Status run_daemon(DaemonConfig config);

}  // namespace edgeward::daemon
