// A RunResult as JSON (for --json) and as a short human summary.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "runtime/sandbox/run_result.h"

namespace edgeward::sandbox {

nlohmann::ordered_json result_json(const RunResult& r);
std::string result_summary(const RunResult& r);

}  // namespace edgeward::sandbox
