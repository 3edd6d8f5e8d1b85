// Errors from failed system calls: "what: strerror(errno)".
#pragma once

#include <cerrno>
#include <cstring>
#include <string>

#include "common/result.h"

namespace edgeward {

inline Error errno_error(const std::string& what, int err = errno) {
  ErrorCode code = ErrorCode::kIo;
  if (err == EACCES || err == EPERM) code = ErrorCode::kPermission;
  if (err == ENOENT) code = ErrorCode::kNotFound;
  return {code, what + ": " + std::strerror(err)};
}

}  // namespace edgeward
