// Hands a downloaded, verified target to the device's slots (ota/slots/) by its custom "kind":
// a runtime goes to the inactive A/B slot on trial, a workload beside the image in use as pending.
// Refused before anything changes: a runtime without a version, one built for another board or
// arch than this device's or an unknown kind (a release's members: release.h); OtaStore itself
// refuses a version below the floor and a second runtime while one is on trial.
#pragma once

#include <string>

#include "common/result.h"
#include "ota/client/target_info.h"
#include "ota/slots/ota_store.h"

namespace edgeward::ota::client {

struct Device {
  std::string board;  // this binary's board name
  std::string arch;   // "x86_64" | "aarch64"
};

// The checks that need no download: kind, board, arch, a runtime's version.
Status check_installable(const TargetInfo& target, const Device& device);

// What was installed, for the message ("runtime rt version 2 on trial in slot B"). `file` is a
// private download: it is moved into place when it can be (no second copy).
Result<std::string> install_target(OtaStore& store, const TargetInfo& target, const std::string& file,
                                   const std::string& workload_name, const Device& device);

}  // namespace edgeward::ota::client
