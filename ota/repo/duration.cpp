// Durations and per-role options of the repository commands (see duration.h).
#include "ota/repo/duration.h"

#include "common/units.h"

namespace edgeward::ota::repo {
namespace {

constexpr int64_t kDay = 86400;

Result<std::pair<tuf::Role, std::string>> split_role(const std::string& entry, std::string_view option) {
  const size_t eq = entry.find('=');
  if (eq == std::string::npos) {
    return Error::invalid(std::string(option) + " '" + entry + "': expected ROLE=VALUE (e.g. timestamp=1d)");
  }
  auto role = tuf::role_from_name(entry.substr(0, eq));
  if (!role) {
    return Error::invalid(std::string(option) + " '" + entry + "': unknown role (root, targets, snapshot, timestamp)");
  }
  return std::make_pair(*role, entry.substr(eq + 1));
}

}  // namespace

Result<int64_t> parse_duration(std::string_view text) {
  const Error bad = Error::invalid("duration '" + std::string(text) +
                                   "': expected a number and a unit s, m, h, d, w or y (e.g. 30d, 12h, 1y)");
  if (text.size() < 2) return bad;
  int64_t unit = 0;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = kDay; break;
    case 'w': unit = 7 * kDay; break;
    case 'y': unit = 365 * kDay; break;
    default: return bad;
  }
  auto n = parse_uint(text.substr(0, text.size() - 1), 1, 100 * 365 * kDay, "duration");
  if (!n) return bad;
  const int64_t seconds = static_cast<int64_t>(*n) * unit;
  if (seconds > 100 * 365 * kDay) return Error::invalid("duration '" + std::string(text) + "': more than 100 years");
  return seconds;
}

Lifetimes default_lifetimes() {
  return {{tuf::Role::kRoot, 365 * kDay}, {tuf::Role::kTargets, 90 * kDay}, {tuf::Role::kSnapshot, 7 * kDay},
          {tuf::Role::kTimestamp, kDay}};
}

Result<Lifetimes> parse_lifetimes(const std::vector<std::string>& entries) {
  Lifetimes out = default_lifetimes();
  for (const std::string& e : entries) {
    EW_ASSIGN(auto rv, split_role(e, "--expires"));
    EW_ASSIGN(out[rv.first], parse_duration(rv.second));
  }
  return out;
}

Result<std::map<tuf::Role, uint32_t>> parse_role_counts(const std::vector<std::string>& entries, std::string_view option) {
  std::map<tuf::Role, uint32_t> out;
  for (const std::string& e : entries) {
    EW_ASSIGN(auto rv, split_role(e, option));
    EW_ASSIGN(uint64_t n, parse_uint(rv.second, 1, 16, std::string(option) + " " + e));
    out[rv.first] = static_cast<uint32_t>(n);
  }
  return out;
}

}  // namespace edgeward::ota::repo
