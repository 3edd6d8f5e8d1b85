// The device's trusted time for metadata expiry: max(system clock, the highest time this device
// has seen before), the latter persisted in <state>/tuf/clock.json after every refresh. A device
// whose clock is reset (no RTC battery, a forged NTP answer) can therefore never be moved back
// to a time when old, since-expired metadata was still valid: expiry only ever gets stricter.
// Metadata carries no signing time in TUF 1.0, so no later lower bound is derived from it (an
// expires date says nothing about when a file was signed).
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "ota/file_ops.h"

namespace edgeward::ota::client {

inline constexpr const char* kClockFile = "clock.json";

// max(system_now, the persisted value); a missing clock.json counts as 0, a damaged one is named.
Result<int64_t> trusted_now(const std::string& tuf_dir, int64_t system_now);

// Persists `now` when it is later than what clock.json holds (never moves it back).
Status remember_time(FileOps& ops, const std::string& tuf_dir, int64_t now);

}  // namespace edgeward::ota::client
