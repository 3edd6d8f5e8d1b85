// config.json's linux.seccomp (runtime-spec config-linux.md, "Seccomp") as plain data: filled
// by runtime/oci/seccomp_parser.h (which checks names and ranges), stored in spec.json, turned
// into a second filter by config_seccomp.h. Actions and operators keep their runtime-spec
// names ("SCMP_ACT_ERRNO", "SCMP_CMP_MASKED_EQ").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace edgeward::sandbox {

struct SeccompArg {
  uint32_t index = 0;                // 0 .. 5
  uint64_t value = 0, value_two = 0;
  std::string op;                    // SCMP_CMP_NE, _LT, _LE, _EQ, _GE, _GT, _MASKED_EQ
};

struct SeccompRule {
  std::vector<std::string> names;
  std::string action;                // SCMP_ACT_*
  std::optional<uint32_t> errno_ret; // for SCMP_ACT_ERRNO (default EPERM)
  std::vector<SeccompArg> args;
};

struct SeccompProfile {
  std::string default_action;
  std::optional<uint32_t> default_errno_ret;
  std::vector<std::string> architectures;  // SCMP_ARCH_*
  std::vector<std::string> flags;          // SECCOMP_FILTER_FLAG_*
  std::vector<SeccompRule> syscalls;
};

}  // namespace edgeward::sandbox
