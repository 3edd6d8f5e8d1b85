// The linux.resources fields read apart from config_parser.cpp's memory.limit, pids.limit and
// cpu shares/quota/period: memory.reservation, memory.swap, memory.disableOOMKiller, cpu.cpus
// and cpu.mems (a cpuset list such as "0-3,6"). Types and formats are checked here; what they
// mean (and what is refused) is bundle.cpp's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"

namespace edgeward::oci {

struct OciResourcesExtra {
  std::optional<int64_t> memory_reservation;  // bytes
  std::optional<int64_t> memory_swap;         // memory + swap, bytes; -1: unlimited
  bool disable_oom_killer = false;
  std::string cpus, mems;                     // cpuset lists; empty: not given
};

// Reads linux_["resources"] (absent: nothing); errors name `source` and the JSON path.
edgeward::Status read_resources_extra(const nlohmann::ordered_json& linux_, const std::string& source,
                                      OciResourcesExtra& out);

}  // namespace edgeward::oci
