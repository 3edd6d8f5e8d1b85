// Restart policies of supervised workloads (docker's vocabulary): "no", "on-failure[:N]",
// "always". Parsing is separate from the decision, and both are pure (tested with a table).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace edgeward::daemon {

struct RestartPolicy {
  enum class Kind { kNo, kOnFailure, kAlways };
  Kind kind = Kind::kNo;
  uint32_t max_restarts = 0;  // on-failure:N; 0 = unlimited
  std::string text() const;   // canonical form, parses back to the same policy
  bool operator==(const RestartPolicy&) const = default;
};

Result<RestartPolicy> parse_restart_policy(std::string_view text);

// Whether a workload that ended with `exit_status` (shell convention: 128+N for signal N) is
// started again. A stop asked for by the user never restarts.
bool should_restart(const RestartPolicy& p, int exit_status, uint32_t restarts_so_far, bool stopped_by_user);

// Delay before restart number `consecutive` (1-based) of a workload that keeps failing: 100 ms,
// doubled each time, at most 30 s. A run longer than kBackoffResetAfter resets the count.
std::chrono::milliseconds restart_backoff(uint32_t consecutive);
constexpr std::chrono::seconds kBackoffResetAfter{10};

}  // namespace edgeward::daemon
