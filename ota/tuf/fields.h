// Typed field access for untrusted JSON objects: each getter checks presence, type and bounds and
// names "<where>.<field>" in its error. Used by the metadata parsers only.
#pragma once

#include <cstdint>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace edgeward::ota::tuf::fields {

// `max_entries` bounds the object's size (the error names the field and the bound).
Result<const nlohmann::json*> object(const nlohmann::json& o, std::string_view name, std::string_view where,
                                     size_t max_entries = SIZE_MAX);
Result<const nlohmann::json*> array(const nlohmann::json& o, std::string_view name, std::string_view where);
Result<std::string> string(const nlohmann::json& o, std::string_view name, std::string_view where, size_t max_bytes);
Result<uint64_t> uint(const nlohmann::json& o, std::string_view name, std::string_view where, uint64_t min,
                      uint64_t max);
Result<bool> boolean(const nlohmann::json& o, std::string_view name, std::string_view where);
// {"sha256": "<hex>", ...}: 1..8 entries, algorithm names of [a-z0-9-] up to 32 bytes, values
// 16..128 lower-case hex digits; "sha256", when present, exactly 64.
Result<std::map<std::string, std::string>> hashes(const nlohmann::json& o, std::string_view name,
                                                  std::string_view where);

}  // namespace edgeward::ota::tuf::fields
