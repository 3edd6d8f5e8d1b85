// What a verified target is for this device: its kind, board, arch and version from the
// "custom" fields `ota repo add` writes, and how it compares with what the device holds
// (installed already, newer, or below the anti-rollback floor). Custom fields come from signed
// metadata but are still typed strictly: a field of the wrong type is treated as absent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ota/slots/ota_state.h"
#include "ota/tuf/metadata.h"

namespace edgeward::ota::client {

struct TargetInfo {
  std::string name;
  std::string kind;             // runtime | workload | release | "" (none given)
  std::string board, arch;      // "" when the target does not say
  std::optional<uint64_t> version;
  uint64_t length = 0;
  std::string sha256;
};

TargetInfo describe_target(const std::string& name, const tuf::TargetFile& file);

// "installed" (a slot or workload image holds these bytes), "below-floor", "newer" (above the
// floor and above every installed version of it) or "not-newer"; `state` null: a device not
// provisioned yet, where every target is "newer".
std::string update_status(const OtaState* state, const TargetInfo& t, const std::string& workload_name);

// The workload a target installs as: the target name without ".ewi".
std::string default_workload_name(const std::string& target);

}  // namespace edgeward::ota::client
