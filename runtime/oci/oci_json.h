// What the OCI runtime prints as JSON (nlohmann, kept to this translation unit and the config
// parser): `state` (runtime-spec state), `features` (runtime-spec features.md) and log lines.
#pragma once

#include <string>

#include "runtime/container/container.h"

namespace edgeward::oci {

constexpr const char* kOciVersion = "1.0.2";

// {"ociVersion","id","status","pid","bundle","annotations"} (+ edgeward's created/exit details).
// The container's pid as OCI callers see it: the sandbox's init (WorkloadSpec::init_is_pid), else
// the monitor.
pid_t container_pid(const runtime::ContainerState& st);
std::string state_json(const runtime::ContainerState& st);

std::string features_json();

// One log line: text "time=... level=... msg=...", or JSON {"level","msg","time"} like runc.
std::string log_line(const std::string& level, const std::string& msg, bool json);

}  // namespace edgeward::oci
