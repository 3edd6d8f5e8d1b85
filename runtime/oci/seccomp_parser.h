// config.json's linux.seccomp: defaultAction, defaultErrnoRet, architectures, flags and
// syscalls[{names, action, errnoRet, args[{index, value, valueTwo, op}]}]. Checked here: types,
// known action / operator / architecture / flag names, errno 1 .. 4095, arg index 0 .. 5 and
// sizes. Refused (clear errors, not ignored): SCMP_ACT_TRACE (edgeward's supervisor is the
// workload's only tracer), SCMP_ACT_NOTIFY and listenerPath (no seccomp agent is supported).
// How the profile is applied: runtime/sandbox/config_seccomp.h.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "runtime/sandbox/seccomp_profile.h"

namespace edgeward::oci {

// Reads linux["seccomp"] (absent or null: none); errors name `source` and the JSON path.
edgeward::Status read_seccomp(const nlohmann::ordered_json& linux_, const std::string& source,
                              std::optional<sandbox::SeccompProfile>& out);

}  // namespace edgeward::oci
