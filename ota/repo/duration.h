// Metadata lifetimes: "30d", "12h", "1y" (365 days), "90m", "3600s", "2w", and the per-role
// defaults (root 1y, targets 90d, snapshot 7d, timestamp 1d) overridden by "ROLE=DURATION" options.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "ota/tuf/metadata.h"

namespace edgeward::ota::repo {

// Seconds in `text`: a positive decimal number and one unit of s, m, h, d, w, y; at most 100 years.
Result<int64_t> parse_duration(std::string_view text);

using Lifetimes = std::map<tuf::Role, int64_t>;
Lifetimes default_lifetimes();
// Applies "ROLE=DURATION" entries (e.g. from repeated --expires options) to the defaults.
Result<Lifetimes> parse_lifetimes(const std::vector<std::string>& entries);
// "ROLE=N" entries (for --threshold / --keys): role -> N in [1, 16].
Result<std::map<tuf::Role, uint32_t>> parse_role_counts(const std::vector<std::string>& entries, std::string_view option);

}  // namespace edgeward::ota::repo
