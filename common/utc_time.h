// Unix seconds as UTC text (gmtime_r + strftime), for messages, state files and certificates.
#pragma once

#include <cstdint>
#include <string>

namespace edgeward {

// `format` is a strftime format; the result is at most 63 characters.
std::string format_utc(int64_t unix_seconds, const char* format);

// RFC 3339, e.g. "2026-11-23T17:20:30Z".
inline std::string rfc3339_utc(int64_t unix_seconds) { return format_utc(unix_seconds, "%Y-%m-%dT%H:%M:%SZ"); }

}  // namespace edgeward
