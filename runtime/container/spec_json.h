// The entry's files as JSON (nlohmann, kept to this one translation unit): spec.json,
// state.json and exit.json. Written only by edgeward, but read defensively: a damaged file is an
// error naming the file, never a crash.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "runtime/container/container.h"

namespace edgeward::runtime {

// How the workload ended, as the monitor recorded it.
struct ExitRecord {
  int status = 0;              // exit code or 128 + signal
  int64_t finished_unix = 0;
  std::string error;           // the sandbox/VMM failed (status 127 then)
};

std::string spec_to_json(const ContainerSpec& spec);
Result<ContainerSpec> spec_from_json(std::string_view text, const std::string& source);

std::string state_to_json(const ContainerState& st);
Result<ContainerState> state_from_json(std::string_view text, const std::string& source);

std::string exit_to_json(const ExitRecord& e);
Result<ExitRecord> exit_from_json(std::string_view text, const std::string& source);

}  // namespace edgeward::runtime
