// The launcher `edgeward pod run` hands admitted containers to: the device daemon, through the same
// RUN request as `edgeward run IMAGE` (so the daemon verifies, measures, supervises and logs them).
#pragma once

#include <memory>
#include <string>

#include "runtime/k8s/launcher.h"

namespace edgeward::cli {

// `socket`: the daemon's API socket; `manifest_dir`: relative image paths are resolved against it.
std::unique_ptr<k8s::PodLauncher> make_daemon_pod_launcher(std::string socket, std::string manifest_dir);

}  // namespace edgeward::cli
