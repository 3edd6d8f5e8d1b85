// Every installed update is an event in the measured-launch log (attest/measure/ota_event.h):
// `ota install` and the daemon's updater call measure_install right after the install is durable,
// so the attestation evidence of this boot names what changed on the device.
#pragma once

#include <string>
#include <vector>

#include "attest/measure/ota_event.h"
#include "common/result.h"
#include "ota/client/release.h"
#include "ota/client/target_info.h"

namespace edgeward::ota::client {

// A runtime (`where`: the slot written) or a workload (`where`: the workload name).
attest::OtaInstallEvent install_event(const TargetInfo& t, const std::string& where);
// A release: the release itself, its runtime into `slot`, each of its workload images.
std::vector<attest::OtaInstallEvent> install_events(const ReleasePlan& plan, const std::string& slot);

// Appends the events to the measurement store in `attest_dir` (created 0700 if missing), all or
// none.
Status measure_install(const std::string& attest_dir, const std::vector<attest::OtaInstallEvent>& events);

}  // namespace edgeward::ota::client
