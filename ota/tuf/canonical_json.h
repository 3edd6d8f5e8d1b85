// OLPC canonical JSON, byte for byte as securesystemslib's encode_canonical writes it: the bytes
// TUF signs and hashes (keyids, signatures over "signed"). Objects with keys sorted by code point
// (UTF-8 byte order), no whitespace, strings with only '\' and '"' escaped (everything else,
// control characters and non-ASCII included, passed through as UTF-8), integers only (a float
// is an error), true/false/null.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace edgeward::ota::tuf {

// Deepest nesting accepted (TUF metadata nests at most ~6 levels; this bounds the recursion).
constexpr int kMaxCanonicalDepth = 32;

// The canonical bytes of `value`; an error (naming the JSON pointer) for floats, binary values
// or nesting deeper than kMaxCanonicalDepth.
Result<std::string> canonical_json(const nlohmann::json& value);

}  // namespace edgeward::ota::tuf
