// The JSON side of process_fields.h, for config_parser.cpp only (keeps nlohmann out of the
// struct's users).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "runtime/oci/process_fields.h"

namespace edgeward::oci {

// Reads the fields from the object `process` (config.json's "process"); errors are
// "SOURCE: process.rlimits[1].type: ..." and say what to give instead.
edgeward::Status read_process_fields(const nlohmann::ordered_json& process, const std::string& source,
                                     ProcessFields& out);

}  // namespace edgeward::oci
