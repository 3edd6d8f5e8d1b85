// The OTA metadata layer's error shapes. Malformed metadata (does not parse, a field of the wrong
// type, a bad name) is kInvalidInput (CLI exit 2); a trust failure (signature, threshold, expiry,
// rollback, hash or length mismatch) is kPermission (CLI exit 1). Messages start with the file or
// role they are about.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace edgeward::ota::tuf {

inline Error malformed(std::string_view where, std::string_view what) {
  return Error::invalid(std::string(where) + ": " + std::string(what));
}

inline Error untrusted(std::string_view where, std::string_view what) {
  return Error{ErrorCode::kPermission, std::string(where) + ": " + std::string(what)};
}

}  // namespace edgeward::ota::tuf
