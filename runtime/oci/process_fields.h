// The OCI process fields beyond args/env/cwd/terminal/user ids, as config.json gives them:
// process.rlimits, process.user.umask, process.noNewPrivileges, process.capabilities,
// process.oomScoreAdj and process.consoleSize. The parser (process_fields.cpp, called by
// config_parser.cpp) checks what the runtime-spec requires (known rlimit types and capability
// names, soft <= hard, no duplicate rlimit, oomScoreAdj -1000..1000, a umask 0..0777); what
// edgeward makes of them, and what it refuses, is process_policy.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace edgeward::oci {

struct ProcessFields {
  struct Rlimit {
    std::string type;                    // "RLIMIT_NOFILE"
    uint64_t soft = 0, hard = 0;
  };
  std::vector<Rlimit> rlimits;
  std::optional<uint32_t> umask;         // process.user.umask
  std::optional<bool> no_new_privileges; // as given; absent: not said
  struct Capabilities {                  // names ("CAP_CHOWN"), each known
    std::vector<std::string> bounding, effective, inheritable, permitted, ambient;
  };
  std::optional<Capabilities> capabilities;
  std::optional<int> oom_score_adj;
  struct ConsoleSize {
    uint16_t height = 0, width = 0;
  };
  std::optional<ConsoleSize> console_size;
};

}  // namespace edgeward::oci
